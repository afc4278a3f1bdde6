/**
 * The Slack surface's words for statuses, triggers, schedule issues and counts: an emoji badge
 * and a word for every status (never colour alone), shared by every builder.
 */
import type { ScheduleIssue, WorkerStatus } from '../../domain/schedule.js';
import type { ExecutionStatus, ItemStatus, Trigger } from '../../domain/statuses.js';
import type { ExecutionRecord } from '../../sync/ports.js';
import { ITEM_STATUS_FILTERS, type ItemStatusFilter } from '../ids.js';
import { code, escapeTruncate, formatNumber, oneLine, plural, slackDate, truncate } from './escape.js';
import type { HealthStateWord, HealthView } from './types.js';

export const EXECUTION_BADGES: Record<ExecutionStatus, { emoji: string; word: string }> = {
  queued: { emoji: ':hourglass_flowing_sand:', word: 'Queued' },
  running: { emoji: ':arrows_counterclockwise:', word: 'Running' },
  success: { emoji: ':white_check_mark:', word: 'Success' },
  partial: { emoji: ':warning:', word: 'Partial' },
  failed: { emoji: ':x:', word: 'Failed' },
  interrupted: { emoji: ':black_square_for_stop:', word: 'Interrupted' },
  cancelled: { emoji: ':no_entry_sign:', word: 'Cancelled' },
};

/** ":white_check_mark: Success". */
export const executionBadge = (status: ExecutionStatus): string => `${EXECUTION_BADGES[status].emoji} ${EXECUTION_BADGES[status].word}`;

export const ITEM_BADGES: Record<ItemStatus, { emoji: string; word: string }> = {
  processing: { emoji: ':hourglass_flowing_sand:', word: 'processing' },
  success: { emoji: ':white_check_mark:', word: 'success' },
  mapped: { emoji: ':white_check_mark:', word: 'mapped (dry run)' },
  skipped: { emoji: ':fast_forward:', word: 'skipped' },
  failed: { emoji: ':x:', word: 'failed' },
  partial_mapped: { emoji: ':warning:', word: 'partly mapped' },
};

export const itemBadge = (status: ItemStatus): string => `${ITEM_BADGES[status].emoji} ${ITEM_BADGES[status].word}`;

/** Labels of the items modal's status filter, in ITEM_STATUS_FILTERS order. */
export const ITEM_FILTER_LABELS: Record<ItemStatusFilter, string> = {
  problems: 'Problems (failed + partly mapped)',
  failed: 'Failed',
  partial_mapped: 'Partly mapped',
  success: 'Success',
  mapped: 'Mapped (dry run)',
  skipped: 'Skipped',
  processing: 'Processing',
  all: 'All statuses',
};
export const ITEM_FILTERS = Object.keys(ITEM_STATUS_FILTERS) as ItemStatusFilter[];

export const TRIGGER_WORDS: Record<Trigger, string> = {
  scheduled: 'scheduled',
  manual: 'manual',
  full_resync: 'full re-sync',
  retry: 'retry',
};

/** The dry-run marker, in mrkdwn. */
export const DRY_RUN_MARKER = ':test_tube: *DRY RUN — nothing saved*';
export const DRY_RUN_SHORT = ':test_tube: dry run';

/**
 * Domain types whose items are aggregates (one item stands for many records), with the noun for
 * their items: their counts are shown both ways ("3 warehouse items, 450 records").
 */
export const AGGREGATE_ITEM_NOUNS: Partial<Record<string, [singular: string, plural: string]>> = {
  warehouse_inventory: ['warehouse item', 'warehouse items'],
};

/** "1,190 success · 10 failed · 20 skipped". */
export const countsText = (e: Pick<ExecutionRecord, 'successCount' | 'failedCount' | 'skippedCount'>): string =>
  `${formatNumber(e.successCount)} success · ${formatNumber(e.failedCount)} failed · ${formatNumber(e.skippedCount)} skipped`;

/**
 * What was fetched: "1,200 records (+ 12 carried over)", or for aggregate domain types both
 * counts, "3 warehouse items, 450 records" (items = success + failed + skipped, records =
 * fetched + carried over).
 */
export function fetchedText(e: ExecutionRecord): string {
  const noun = AGGREGATE_ITEM_NOUNS[e.domainType];
  if (noun) {
    const items = e.successCount + e.failedCount + e.skippedCount;
    return `${plural(items, noun[0], noun[1])}, ${plural(e.recordsFetched + e.carriedOver, 'record')}`;
  }
  return `${plural(e.recordsFetched, 'record')}${e.carriedOver ? ` (+ ${formatNumber(e.carriedOver)} carried over)` : ''}`;
}

/** A domain type as inline code (escaped: it is data). */
export const domainCode = (domainType: string): string => code(domainType, 60);

/** A schedule issue in the words of Slack (no CLI commands). */
export function describeIssue(issue: ScheduleIssue): string {
  switch (issue.code) {
    case 'disabled':
      return 'the integration is disabled';
    case 'failing':
      return `the last ${issue.failedRuns} runs failed`;
    case 'unknown':
      return 'no known cause: check the worker logs';
    case 'no_worker':
      return `no worker alive: ${describeDownWorker(issue.worker)}`;
  }
}

function describeDownWorker(worker: Exclude<WorkerStatus, { state: 'alive' }>): string {
  if (worker.state === 'never') return 'none has ever run, so nothing runs the schedule — start a Tether worker';
  return worker.stoppedAt
    ? `the last one stopped ${slackDate(worker.stoppedAt)} — start a Tether worker`
    : `the last one was last seen ${slackDate(worker.lastSeenAt)} and did not stop cleanly — start a Tether worker`;
}

export function describeWorker(worker: WorkerStatus): string {
  switch (worker.state) {
    case 'alive':
      return `:large_green_circle: alive (last heartbeat ${slackDate(worker.lastSeenAt)})`;
    case 'down':
      return worker.stoppedAt
        ? `:red_circle: none alive; the last one stopped ${slackDate(worker.stoppedAt)}`
        : `:red_circle: none alive; the last one was last seen ${slackDate(worker.lastSeenAt)} and did not stop cleanly`;
    case 'never':
      return ':red_circle: none has ever run';
  }
}

/** ":rotating_light: *Stale*: the last 3 runs failed; no worker alive: …". */
export const staleText = (reasons: ScheduleIssue[]): string =>
  `:rotating_light: *Stale*${reasons.length ? `: ${reasons.map(describeIssue).join('; ')}` : ''}`;

/** "*Shopify EU* `shopify-eu`" — name and key escaped and capped. */
export const integrationText = (integration: { name: string; key: string }): string =>
  `*${escapeTruncate(oneLine(integration.name), 120)}* ${code(integration.key, 80)}`;

/** The name for plain-text places (headers, titles): only cut, never escaped. */
export const integrationPlain = (integration: { name: string; key: string }, max = 100): string =>
  truncate(oneLine(integration.name) || integration.key, max);

/** The overall health of an integration × domain type: a badge and words (never colour alone). */
export const HEALTH_BADGES: Record<HealthStateWord, { emoji: string; word: string }> = {
  healthy: { emoji: ':large_green_circle:', word: 'healthy' },
  attention: { emoji: ':warning:', word: 'needs attention' },
  not_enough_history: { emoji: ':white_circle:', word: 'not enough history' },
};

/** ":warning: needs attention". */
export const healthBadge = (state: HealthStateWord): string => `${HEALTH_BADGES[state].emoji} ${HEALTH_BADGES[state].word}`;

/** The health indicators in the order they are listed, with their labels. */
export const INDICATOR_LABELS: Record<keyof HealthView['indicators'], string> = {
  status: 'Run status',
  failed: 'Failed count',
  fetched: 'Records fetched',
  duration: 'Duration',
  schedule: 'Last sync',
};

/** The indicators that need attention, in INDICATOR_LABELS order. */
export const attentionIndicators = (health: HealthView): { key: keyof HealthView['indicators']; reason: string }[] =>
  (Object.keys(INDICATOR_LABELS) as (keyof HealthView['indicators'])[])
    .filter((key) => health.indicators[key]?.state === 'attention')
    .map((key) => ({ key, reason: health.indicators[key].reason }));
