export const EXECUTION_STATUSES = ['queued', 'running', 'success', 'partial', 'failed', 'interrupted', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const TRIGGERS = ['scheduled', 'manual', 'full_resync', 'retry'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const ITEM_STATUSES = ['processing', 'success', 'failed', 'skipped', 'mapped', 'partial_mapped'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface ItemCounts {
  success: number;
  failed: number;
  skipped: number;
}

/** PRODUCT.md counting rule: success = success + mapped; failed = failed + partial_mapped; skipped = skipped. */
export function countBucket(status: ItemStatus): keyof ItemCounts | null {
  switch (status) {
    case 'success':
    case 'mapped':
      return 'success';
    case 'failed':
    case 'partial_mapped':
      return 'failed';
    case 'skipped':
      return 'skipped';
    case 'processing':
      return null;
  }
}

export function countItems(statuses: Iterable<ItemStatus>): ItemCounts {
  const counts: ItemCounts = { success: 0, failed: 0, skipped: 0 };
  for (const status of statuses) {
    const bucket = countBucket(status);
    if (bucket) counts[bucket] += 1;
  }
  return counts;
}

/**
 * Final status of a run that completed (no fatal error, not stopped), from its counts and the
 * number of items whose status is exactly `failed` (nothing of them saved):
 * every item `failed` → failed; any item failed or partly mapped → partial; otherwise success.
 * A run in which something was saved (or found unchanged) is never `failed`.
 */
export function completedRunStatus(counts: ItemCounts, whollyFailedItems: number): 'success' | 'partial' | 'failed' {
  const processed = counts.success + counts.failed + counts.skipped;
  if (processed > 0 && whollyFailedItems === processed) return 'failed';
  if (counts.failed > 0) return 'partial';
  return 'success';
}
