/**
 * Every action_id, callback_id and block_id the Slack app uses, in one place: builders put them on
 * buttons and views, handlers listen for them, and the manifest test checks them.
 */
import { createHash } from 'node:crypto';

export const SLASH_COMMAND = '/tether';

export const ACTIONS = {
  /** Button: open the items modal for an execution (value: ItemsModalRequest JSON). */
  openItems: 'items_open',
  /** Button: queue another run of the same integration and domain (value: SyncAgainValue JSON). */
  syncAgain: 'sync_again',
  /** Home button: queue a run of an integration (value: integration key). */
  homeSync: 'home_sync',
  /** Home button: show an integration's recent executions (value: integration key). */
  homeHistory: 'home_history',
  /** Items modal: status filter (static_select). */
  itemsStatus: 'items_status',
  /** Items modal: domain type filter (static_select). */
  itemsDomain: 'items_domain',
  /** Items modal: search text (plain_text_input with dispatch_action on enter). */
  itemsSearch: 'items_search',
  /** Items modal paging. */
  itemsPrevious: 'items_previous',
  itemsNext: 'items_next',
  /** Items modal: open an aggregate item's per-record breakdown (value: item id). */
  itemOpen: 'item_open',
  /** Breakdown modal paging. */
  itemErrorsPrevious: 'item_errors_previous',
  itemErrorsNext: 'item_errors_next',
  /** Button: open the mapping modal (value: OpenMappingValue JSON {integrationKey, kind}). */
  openMapping: 'mapping_open',
  /** Mapping modal: the Tether SKU / channel for one unmapped value (external_select; options from the catalog search). */
  mappingTarget: 'mapping_target',
  /** Mapping modal: skip to the next page of values without saving. */
  mappingNext: 'mapping_next',
  mappingPrevious: 'mapping_previous',
  /** Button: retry failed items (value: RetryValue JSON {integrationKey, domainType?, executionId?}). */
  retryFailed: 'retry_failed',
  /** Alert buttons: mute the integration's alerts, or lift the mute (value: integration key). */
  muteHour: 'mute_1h',
  muteDay: 'mute_24h',
  muteUntilResolved: 'mute_until_resolved',
  unmute: 'unmute',
} as const;

export const VIEWS = {
  items: 'items_modal',
  itemBreakdown: 'item_breakdown_modal',
  resetConfirm: 'reset_confirm_modal',
  mapping: 'mapping_modal',
  loading: 'loading_modal',
} as const;

export const BLOCKS = {
  itemsFilters: 'items_filters',
  itemsSearch: 'items_search_block',
  itemsPaging: 'items_paging',
  itemErrorsPaging: 'item_errors_paging',
  runActions: 'run_actions',
  alertActions: 'alert_actions',
  /** Mapping modal: one input block per value on the page (see mappingValueBlockIds). */
  mappingValuePrefix: 'mapping_value_',
} as const;

export const EVENTS = { appHomeOpened: 'app_home_opened' } as const;

/** Status filter choices of the items modal (value → statuses). */
export const ITEM_STATUS_FILTERS = {
  problems: ['failed', 'partial_mapped'],
  failed: ['failed'],
  partial_mapped: ['partial_mapped'],
  success: ['success'],
  mapped: ['mapped'],
  skipped: ['skipped'],
  processing: ['processing'],
  all: [],
} as const;
export type ItemStatusFilter = keyof typeof ITEM_STATUS_FILTERS;

/**
 * The mapping modal's input blocks for a page of unmapped values: `mapping_value_<hash of the
 * value>`. Slack keeps what was picked in an input across views.update while its block_id stays
 * the same, so the id follows the value, not its position: a choice never moves to another value
 * when the page changes or saved values leave the list. (A value listed twice gets `_2`, `_3`…:
 * block ids must be unique in a view.)
 */
export function mappingValueBlockIds(values: string[]): string[] {
  const seen = new Map<string, number>();
  return values.map((value) => {
    const id = `${BLOCKS.mappingValuePrefix}${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
    const times = (seen.get(id) ?? 0) + 1;
    seen.set(id, times);
    return times === 1 ? id : `${id}_${times}`;
  });
}
