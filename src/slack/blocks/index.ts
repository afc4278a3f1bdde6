/** Pure Block Kit builders: data in, Block Kit JSON out (no IO, no clock). */
export * from './escape.js';
export * from './limits.js';
export { helpMessage, usageLine, errorMessage, SUBCOMMANDS, SUBCOMMAND_NAMES, isSubcommand, type Subcommand } from './help.js';
export { runMessage } from './run-message.js';
export { unmappedAlert } from './unmapped-alert.js';
export { sparkline, SPARK_BARS, SPARKLINE_MAX_POINTS } from './sparkline.js';
export { healthAlertMessage, alertFollowup, alertSeverity, muteText, ALERT_SEVERITY, RESOLVED_BADGE } from './health-alert.js';
export { loadingModal, itemsModal, ALL_DOMAINS, SEARCH_MAX_CHARS, MAX_ITEMS_PER_MODAL } from './items-modal.js';
export { itemBreakdownModal } from './item-breakdown.js';
export { statusMessage, historyMessage, scheduleMessage } from './status.js';
export { homeView, MAX_HOME_CARDS } from './home.js';
export { resetConfirmModal, resetNotice, adminRefusal } from './reset.js';
export type * from './types.js';
