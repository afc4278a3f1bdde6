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
export { mappingModal, heldBackText, MAX_MAPPING_VALUES, MAPPING_LABEL_CHARS, MAPPING_HINT_CURRENCIES, MAPPING_SAVED_SHOWN } from './mapping-modal.js';
export { statusMessage, historyMessage, scheduleMessage } from './status.js';
export { homeView, MAX_HOME_CARDS } from './home.js';
export { cardLines, healthLines, compactTrends, MAX_CARD_REASONS } from './status-card.js';
export { HEALTH_BADGES, healthBadge, INDICATOR_LABELS, attentionIndicators } from './words.js';
export { resetConfirmModal, resetNotice, adminRefusal } from './reset.js';
export type * from './types.js';
