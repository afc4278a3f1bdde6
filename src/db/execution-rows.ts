import type { DomainType } from '../domain/domain-types.js';
import type { ExecutionStatus, Trigger } from '../domain/statuses.js';
import { ERROR_CATEGORIES, type ErrorCategory } from '../domain/sync-errors.js';
import type { ErrorAnalysis, ExecutionRecord } from '../sync/ports.js';

/** Columns every execution query selects, so rows map the same way everywhere. */
export const EXECUTION_COLUMNS = `
  e.id, e.integration_id, i.key AS integration_key, e.domain_type, e.status, e.trigger, e.dry_run,
  e.triggered_by, e.queued_at, e.started_at, e.finished_at, e.duration_ms, e.records_fetched, e.carried_over_count,
  e.success_count, e.failed_count, e.skipped_count, e.error_category, e.error_message,
  e.error_analysis, e.cursor_before, e.cursor_after`;

export const EXECUTION_FROM = 'sync_execution e JOIN integration i ON i.id = e.integration_id';

export interface ExecutionRow {
  id: number;
  integration_id: number;
  integration_key: string;
  domain_type: DomainType;
  status: ExecutionStatus;
  trigger: Trigger;
  dry_run: boolean;
  triggered_by: string | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  records_fetched: number;
  carried_over_count: number;
  success_count: number;
  failed_count: number;
  skipped_count: number;
  error_category: ErrorCategory | null;
  error_message: string | null;
  error_analysis: ErrorAnalysis | null;
  cursor_before: string | null;
  cursor_after: string | null;
}

export function toExecutionRecord(row: ExecutionRow): ExecutionRecord {
  return {
    id: row.id,
    integrationId: row.integration_id,
    integrationKey: row.integration_key,
    domainType: row.domain_type,
    status: row.status,
    trigger: row.trigger,
    dryRun: row.dry_run,
    triggeredBy: row.triggered_by,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    recordsFetched: row.records_fetched,
    carriedOver: row.carried_over_count,
    successCount: row.success_count,
    failedCount: row.failed_count,
    skippedCount: row.skipped_count,
    error: row.error_category
      ? { category: row.error_category, message: row.error_message ?? '', hint: ERROR_CATEGORIES[row.error_category] ?? '' }
      : null,
    errorAnalysis: row.error_analysis,
    cursorBefore: row.cursor_before,
    cursorAfter: row.cursor_after,
  };
}

const ANALYSIS_LIMIT = 50;

/** What ERROR_ANALYSIS_SQL gives for an execution without problem items (as jsonb text). */
export const EMPTY_ERROR_ANALYSIS = JSON.stringify({ unmappedSkus: [], unmappedChannels: [], topErrors: [] });

/**
 * Error analysis of one execution, computed in SQL over its items and record errors
 * ($1 = execution id). Aggregate items carry their SKUs in record errors, so only those count.
 * Every item with a problem has an error message: `error_message IS NOT NULL` lets each part read
 * the partial index of problem items instead of every item of the execution.
 */
export const ERROR_ANALYSIS_SQL = `
  SELECT jsonb_build_object(
    'unmappedSkus', (
      SELECT coalesce(jsonb_agg(jsonb_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]'::jsonb)
      FROM (SELECT value, count(*)::int AS n FROM (
              SELECT unnest(unmapped_skus) AS value FROM sync_item
              WHERE execution_id = $1 AND error_message IS NOT NULL AND NOT aggregate AND unmapped_skus IS NOT NULL
              UNION ALL
              SELECT unmapped_sku FROM sync_item_error WHERE execution_id = $1 AND unmapped_sku IS NOT NULL
            ) v GROUP BY value ORDER BY n DESC, value LIMIT ${ANALYSIS_LIMIT}) s),
    'unmappedChannels', (
      SELECT coalesce(jsonb_agg(jsonb_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]'::jsonb)
      FROM (SELECT unmapped_channel AS value, count(*)::int AS n FROM sync_item
            WHERE execution_id = $1 AND error_message IS NOT NULL AND unmapped_channel IS NOT NULL
            GROUP BY unmapped_channel ORDER BY n DESC, value LIMIT ${ANALYSIS_LIMIT}) s),
    'topErrors', (
      SELECT coalesce(jsonb_agg(jsonb_build_object('message', message, 'count', n) ORDER BY n DESC, message), '[]'::jsonb)
      FROM (SELECT message, count(*)::int AS n FROM (
              -- An item with several problems lists them joined by "; ": count each problem.
              SELECT unnest(string_to_array(error_message, '; ')) AS message FROM sync_item
              WHERE execution_id = $1 AND NOT aggregate AND error_message IS NOT NULL
              UNION ALL
              SELECT message FROM sync_item_error WHERE execution_id = $1
            ) m GROUP BY message ORDER BY n DESC, message LIMIT ${ANALYSIS_LIMIT}) s)
  ) AS analysis`;
