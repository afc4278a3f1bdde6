/**
 * Every action_id, callback_id and block_id the Slack app uses, in one place: builders put them on
 * buttons and views, handlers listen for them, and the manifest test checks them.
 */
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
  /** Mapping modal: one input block per value on the page: `mapping_value_<index>`. */
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
