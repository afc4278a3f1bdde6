import type pg from 'pg';
import { HealthRepository, type HealthIntegrationRow, type PairRuns } from '../db/health.repository.js';
import type { Integration } from '../db/entities/index.js';
import type { DomainType } from '../domain/domain-types.js';
import { assessHealth, type HealthThresholds, type PairHealth } from '../domain/health.js';
import type { WorkerFacts } from '../domain/schedule.js';
import type { IntegrationLookup } from './integration-lookup.js';

/** The last runs as numbers, oldest first, for sparklines (`sparkline(trends.recordsFetched)`). */
export interface HealthTrends {
  recordsFetched: number[];
  failed: number[];
  /** A run without a duration counts 0. */
  durationMs: number[];
}

/** Health of one integration × domain type, with the trends of its last runs. */
export interface PairHealthReport extends PairHealth {
  integration: { key: string; name: string; enabled: boolean };
  domainType: DomainType;
  trends: HealthTrends;
  /** The newest terminal run considered (not cancelled), if any. */
  lastExecutionId: number | null;
}

/**
 * Health indicators per integration × domain type (`/tether status`, the App Home, health alerts,
 * `tether health`): computed on every read from the recent terminal runs — one query for all
 * pairs — the schedule and the worker heartbeats. Nothing is stored, so it is never out of date.
 */
export class HealthService {
  private readonly repository: HealthRepository;

  constructor(
    private readonly lookup: IntegrationLookup,
    pool: pg.Pool,
    readonly thresholds: HealthThresholds,
  ) {
    this.repository = new HealthRepository(pool);
  }

  /** One pair; an unknown integration or a domain type it does not sync is refused (with "did you mean"). */
  async pair(integrationKey: string, domainType: string, options: { now?: Date } = {}): Promise<PairHealthReport> {
    const integration = await this.lookup.require(integrationKey);
    const [domain] = this.lookup.domainsToRun(integration, domainType);
    const [report] = await this.assess([{ integration: toRow(integration), domainType: domain! }], options.now ?? new Date());
    return report!;
  }

  /**
   * Every integration × domain type (or one integration's, refused with "did you mean" when
   * unknown), enabled integrations first, then by key — the order of the status overview. At most
   * `limit` integrations; the rest are counted in `more`.
   */
  async all(options: { integrationKey?: string | null; limit?: number; now?: Date } = {}): Promise<{ pairs: PairHealthReport[]; more: number }> {
    const integrations = options.integrationKey
      ? [toRow(await this.lookup.require(options.integrationKey))]
      : await this.repository.integrations();
    const sorted = [...integrations].sort((a, b) => Number(b.enabled) - Number(a.enabled) || a.key.localeCompare(b.key));
    const shown = sorted.slice(0, options.limit ?? sorted.length);
    const pairs = shown.flatMap((integration) => integration.domains.map((domainType) => ({ integration, domainType })));
    return { pairs: await this.assess(pairs, options.now ?? new Date()), more: sorted.length - shown.length };
  }

  private async assess(pairs: { integration: HealthIntegrationRow; domainType: DomainType }[], now: Date): Promise<PairHealthReport[]> {
    const t = this.thresholds;
    const [recent, workers] = await Promise.all([
      this.repository.recentRuns(
        pairs.map(({ integration, domainType }) => ({ integrationId: integration.id, domainType })),
        // The failed-count indicator compares the newest few with the `window` runs before them.
        { limit: t.window + t.recentRuns },
      ),
      this.repository.workers(),
    ]);
    return pairs.map(({ integration, domainType }, index) => report(integration, domainType, recent[index]!, workers, t, now));
  }
}

function report(
  integration: HealthIntegrationRow,
  domainType: DomainType,
  recent: PairRuns,
  workers: WorkerFacts,
  thresholds: HealthThresholds,
  now: Date,
): PairHealthReport {
  const health = assessHealth({
    runs: recent.runs,
    schedule: {
      cron: integration.cron,
      timezone: integration.timezone,
      enabled: integration.enabled,
      lastSyncAt: recent.lastStartedAt,
      scheduledSince: integration.updatedAt,
      workers,
      now,
    },
    thresholds,
  });
  const shown = recent.runs.slice(0, thresholds.window).reverse();
  return {
    integration: { key: integration.key, name: integration.name, enabled: integration.enabled },
    domainType,
    ...health,
    trends: {
      recordsFetched: shown.map((run) => run.recordsFetched),
      failed: shown.map((run) => run.failedCount),
      durationMs: shown.map((run) => run.durationMs ?? 0),
    },
    lastExecutionId: recent.runs[0]?.id ?? null,
  };
}

const toRow = (integration: Integration): HealthIntegrationRow => ({
  id: integration.id,
  key: integration.key,
  name: integration.name,
  enabled: integration.enabled,
  cron: integration.cron ?? null,
  timezone: integration.timezone,
  domains: integration.domains as DomainType[],
  updatedAt: integration.updatedAt,
});
