import type pg from 'pg';
import type { DomainType } from '../domain/domain-types.js';
import type { HealthRun } from '../domain/health.js';
import type { WorkerFacts } from '../domain/schedule.js';
import type { ExecutionStatus, Trigger } from '../domain/statuses.js';
import type { ErrorCategory } from '../domain/sync-errors.js';
import { HeartbeatsRepository } from './heartbeats.repository.js';
import { inTransaction } from './pool.js';

/** What health needs to know about an integration (a light read: no config, no credentials). */
export interface HealthIntegrationRow {
  id: number;
  key: string;
  name: string;
  enabled: boolean;
  cron: string | null;
  timezone: string;
  domains: DomainType[];
  /** Since when the schedule has existed (the stale rule counts from here when it never ran). */
  updatedAt: Date;
}

/** One integration × domain type: its recent terminal runs (newest first) and its newest start. */
export interface PairRuns {
  integrationId: number;
  domainType: DomainType;
  runs: HealthRun[];
  /** Start of the newest execution that started, whatever its status (a running one counts). */
  lastStartedAt: Date | null;
}

/** Terminal statuses health reads (cancelled runs say nothing about the integration). */
const HEALTH_STATUSES: ExecutionStatus[] = ['success', 'partial', 'failed', 'interrupted'];

/**
 * The recent terminal runs of many pairs in one statement, one row per pair: a LATERAL walk of the
 * (integration_id, domain_type, id desc) index that stops after $4 rows (aggregated into one
 * compact text, newest first), one that stops at the newest started execution, and one that stops at the newest
 * run that went through its items — the only run whose error analysis health reads (for unmapped
 * SKUs and channels), so the stored analyses of the other runs are never detoasted. That last
 * predicate is `isProcessed` of domain/health.ts.
 */
export const RECENT_RUNS_SQL = `
  SELECT p.integration_id, p.domain_type, last.started_at AS last_started_at,
         r.runs,
         a.id AS analysed_id,
         coalesce(jsonb_array_length(a.error_analysis -> 'unmappedSkus'), 0) AS unmapped_skus,
         coalesce((SELECT sum((v ->> 'count')::int) FROM jsonb_array_elements(a.error_analysis -> 'unmappedSkus') v), 0)::int AS unmapped_sku_records,
         coalesce(jsonb_array_length(a.error_analysis -> 'unmappedChannels'), 0) AS unmapped_channels,
         coalesce((SELECT sum((v ->> 'count')::int) FROM jsonb_array_elements(a.error_analysis -> 'unmappedChannels') v), 0)::int AS unmapped_channel_records
    FROM unnest($1::int[], $2::text[]) AS p(integration_id, domain_type)
    LEFT JOIN LATERAL (
      SELECT x.started_at FROM sync_execution x
       WHERE x.integration_id = p.integration_id AND x.domain_type = p.domain_type AND x.started_at IS NOT NULL
       ORDER BY x.id DESC LIMIT 1
    ) last ON true
    LEFT JOIN LATERAL (
      -- One ordered aggregate into compact text, "id,status,trigger,error category,records fetched,
      -- failed count,duration ms" per run, ';' between runs, newest first: measured 2-3x cheaper than
      -- json_agg (and each array_agg(… ORDER BY) sorts again). No value can hold ',' or ';'.
      SELECT string_agg(concat_ws(',', e.id, e.status, e.trigger, coalesce(e.error_category, ''), e.records_fetched, e.failed_count,
                                  coalesce(e.duration_ms::text, '')), ';' ORDER BY e.id DESC) AS runs
        FROM (SELECT e.id, e.status, e.trigger, e.error_category, e.records_fetched, e.failed_count, e.duration_ms
                FROM sync_execution e
               WHERE e.integration_id = p.integration_id AND e.domain_type = p.domain_type AND e.status = ANY($3::text[])
               ORDER BY e.id DESC LIMIT $4) e
    ) r ON true
    LEFT JOIN LATERAL (
      SELECT e.id, e.error_analysis FROM sync_execution e
       WHERE e.integration_id = p.integration_id AND e.domain_type = p.domain_type
         AND (e.status IN ('success', 'partial') OR (e.status = 'failed' AND e.error_category = 'items_failed'))
       ORDER BY e.id DESC LIMIT 1
    ) a ON true`;

interface RecentRunsRow {
  integration_id: number;
  domain_type: DomainType;
  last_started_at: Date | null;
  /** "id,status,trigger,error category,records fetched,failed count,duration ms" per run, ';' between, newest first. */
  runs: string | null;
  analysed_id: number | null;
  unmapped_skus: number;
  unmapped_sku_records: number;
  unmapped_channels: number;
  unmapped_channel_records: number;
}

/** Reads for health: integrations (light), recent terminal runs of many pairs at once, worker heartbeats. */
export class HealthRepository {
  private readonly heartbeats: HeartbeatsRepository;

  constructor(private readonly pool: pg.Pool) {
    this.heartbeats = new HeartbeatsRepository(pool);
  }

  /** Every integration, or the ones with these ids. */
  async integrations(ids?: number[]): Promise<HealthIntegrationRow[]> {
    const { rows } = await this.pool.query(
      `SELECT id, key, name, enabled, cron, timezone, domains, updated_at FROM integration ${ids ? 'WHERE id = ANY($1::int[])' : ''}`,
      ids ? [ids] : [],
    );
    return rows.map((row) => ({
      id: row.id,
      key: row.key,
      name: row.name,
      enabled: row.enabled,
      cron: row.cron,
      timezone: row.timezone,
      domains: row.domains,
      updatedAt: row.updated_at,
    }));
  }

  /** The newest `limit` terminal runs (success, partial, failed, interrupted) of each pair, newest first, in one statement. */
  async recentRuns(pairs: { integrationId: number; domainType: DomainType }[], options: { limit: number }): Promise<PairRuns[]> {
    if (!pairs.length) return [];
    const params = [pairs.map((pair) => pair.integrationId), pairs.map((pair) => pair.domainType), HEALTH_STATUSES, options.limit];
    // For every pair at once the planner's estimate passes jit_above_cost, and compiling took
    // 40–120 ms of a ~300 ms statement (bench/health.ts); the index walks gain nothing from it.
    const { rows } = await inTransaction(this.pool, async (db) => {
      await db.query('SET LOCAL jit = off');
      return db.query<RecentRunsRow>(RECENT_RUNS_SQL, params);
    });
    const byPair = new Map(rows.map((row) => [`${row.integration_id}/${row.domain_type}`, toPairRuns(row)]));
    return pairs.map((pair) => byPair.get(`${pair.integrationId}/${pair.domainType}`) ?? { ...pair, runs: [], lastStartedAt: null });
  }

  /** What the worker heartbeats say (one query for all pairs). */
  workers(): Promise<WorkerFacts> {
    return this.heartbeats.activity();
  }
}

function toPairRuns(row: RecentRunsRow): PairRuns {
  const runs = (row.runs ? row.runs.split(';') : []).map((text): HealthRun => {
    const [id, status, trigger, errorCategory, recordsFetched, failedCount, durationMs] = text.split(',');
    const analysed = Number(id) === row.analysed_id;
    return {
      id: Number(id),
      status: status as ExecutionStatus,
      trigger: trigger as Trigger,
      errorCategory: (errorCategory || null) as ErrorCategory | null,
      recordsFetched: Number(recordsFetched),
      failedCount: Number(failedCount),
      durationMs: durationMs ? Number(durationMs) : null,
      unmappedSkus: analysed ? row.unmapped_skus : 0,
      unmappedSkuRecords: analysed ? row.unmapped_sku_records : 0,
      unmappedChannels: analysed ? row.unmapped_channels : 0,
      unmappedChannelRecords: analysed ? row.unmapped_channel_records : 0,
    };
  });
  return { integrationId: row.integration_id, domainType: row.domain_type, runs, lastStartedAt: row.last_started_at };
}
