/** Categories of fatal errors, each with the fix a person should try. */
export const ERROR_CATEGORIES = {
  authentication: 'Authentication failed: update the integration credentials.',
  connection: 'Could not reach the source: check the base URL and the platform status, then retry.',
  source_data: 'The source sent data in a shape Tether cannot read: check the connector configuration and the source.',
  configuration: 'The integration is misconfigured: fix its configuration and apply it again.',
  credentials:
    'The stored credentials cannot be opened with the configured encryption keys: put the key they were sealed with in TETHER_PREVIOUS_KEYS and re-seal them, or enter them again.',
  internal: 'Tether failed internally: retry, and report it if it happens again.',
  interrupted: 'The run stopped before it finished: run it again; nothing it committed is lost or doubled.',
  items_failed:
    'Every item failed and nothing was saved: fix the cause shown in the top errors (add the missing mappings, or fix the records at the source), then sync again; failed records are retried on every run.',
} as const;

export type ErrorCategory = keyof typeof ERROR_CATEGORIES;

export interface FatalError {
  category: ErrorCategory;
  message: string;
  hint: string;
}

/** A failure a connector or the engine expects and can explain; anything else is `internal`. */
export class SyncFailure extends Error {
  override name = 'SyncFailure';
  constructor(
    readonly category: ErrorCategory,
    message: string,
  ) {
    super(message);
  }
}

export function toFatalError(error: unknown): FatalError {
  if (error instanceof SyncFailure) {
    return { category: error.category, message: error.message, hint: ERROR_CATEGORIES[error.category] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { category: 'internal', message, hint: ERROR_CATEGORIES.internal };
}

export const itemsFailedError = (items: number): FatalError => ({
  category: 'items_failed',
  message: `Every one of the ${items} item${items === 1 ? '' : 's'} failed; nothing was saved`,
  hint: ERROR_CATEGORIES.items_failed,
});

export const interruptedError = (message: string): FatalError => ({
  category: 'interrupted',
  message,
  hint: ERROR_CATEGORIES.interrupted,
});

/**
 * Item-level problems the product recognises, with the fix to suggest (front ends add how, in
 * their own words). Failed records are kept and retried by every later sync, so "sync again"
 * after the fix is all it takes.
 */
export const ITEM_ISSUE_HINTS = {
  unmapped_sku: 'Configure SKU external-ID mappings, then sync again.',
  unmapped_channel: 'Verify the channel mapping, then sync again.',
  invalid_record: 'The source record is missing or has a bad field: fix it at the source.',
  no_records: 'No records fetched: check the date range / cursor and the source data.',
} as const;
export type ItemIssue = keyof typeof ITEM_ISSUE_HINTS;

export const unmappedSkuMessage = (sku: string): string => `Unmapped SKU "${sku}"`;
export const unmappedChannelMessage = (channel: string): string => `Unmapped channel "${channel}"`;
