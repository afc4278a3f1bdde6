import type pg from 'pg';
import { recordAudit } from '../db/audit-log.js';
import { HealthAlertsRepository, recordHealth, type HealthAlertRow, type MuteRow } from '../db/health-alerts.js';
import { inTransaction } from '../db/pool.js';
import type { ExecutionsRepository } from '../db/executions.repository.js';
import { Refusal } from '../domain/refusals.js';
import type { ExecutionRecord, Logger } from '../sync/ports.js';
import type { HealthService, PairHealthReport } from './health.service.js';
import type { IntegrationLookup } from './integration-lookup.js';

export type { HealthAlertRow, MuteRow } from '../db/health-alerts.js';

export const MUTE_SPANS = { '1h': 3600_000, '24h': 24 * 3600_000, until_resolved: null } as const;
export type MuteSpan = keyof typeof MUTE_SPANS;

/** The stale check and re-check of every pair takes one worker at a time (transaction-level advisory lock). */
const SWEEP_LOCK = "hashtext('tether:health-sweep')";

/**
 * Health alerts: after every run the pair's health is assessed and each recognised problem opens
 * one alert (or counts another occurrence of the open one); problems gone resolve theirs. A
 * periodic sweep checks stale schedules (a stopped schedule makes no runs to react to) and
 * re-checks every pair, so an alert a crashed process did not record is recorded late, not lost.
 */
export class AlertsService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly lookup: IntegrationLookup,
    private readonly health: HealthService,
    private readonly executions: ExecutionsRepository,
    private readonly log: Logger,
  ) {}

  /** After a run ended (the engine's observer): never throws, a failure is logged and the sweep catches up. */
  async afterRun(execution: ExecutionRecord): Promise<void> {
    if (execution.status === 'queued' || execution.status === 'running' || execution.status === 'cancelled') return;
    try {
      const report = await this.health.pair(execution.integrationKey, execution.domainType);
      await inTransaction(this.pool, (db) =>
        recordHealth(db, {
          integrationId: execution.integrationId,
          domainType: execution.domainType,
          executionId: execution.id,
          problems: report.problems.filter((problem) => problem.key !== 'stale'),
          scope: (key) => key !== 'stale',
          countOccurrence: true,
        }),
      );
    } catch (error) {
      this.log.warn({ err: error, executionId: execution.id }, 'health alerts after the run failed; the next sweep records them');
    }
  }

  /**
   * The stale check and a re-check of every pair, by one worker at a time. Returns the number of
   * pairs looked at (0 when another worker holds the sweep).
   */
  async sweep(now = new Date()): Promise<number> {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS locked`);
      if (!rows[0]?.locked) return 0;
      const { pairs } = await this.health.all({ now });
      const ids = new Map((await this.lookup.all()).map((integration) => [integration.key, integration.id]));
      for (const report of pairs) {
        const integrationId = ids.get(report.integration.key);
        if (integrationId === undefined) continue;
        await recordHealth(db, {
          integrationId,
          domainType: report.domainType,
          executionId: null,
          problems: report.problems,
          scope: () => true,
          countOccurrence: false,
        });
      }
      return pairs.length;
    });
  }

  async open(integrationKey?: string | null): Promise<HealthAlertRow[]> {
    const integrationId = integrationKey ? (await this.lookup.require(integrationKey)).id : undefined;
    return new HealthAlertsRepository(this.pool).open(integrationId);
  }

  get(alertId: number): Promise<HealthAlertRow | null> {
    return new HealthAlertsRepository(this.pool).get(alertId);
  }

  mutes(): Promise<MuteRow[]> {
    return new HealthAlertsRepository(this.pool).mutes();
  }

  /** The integration's mute, if one is on now. */
  async muteOf(integrationKey: string): Promise<MuteRow | null> {
    return (await this.mutes()).find((mute) => mute.integrationKey === integrationKey) ?? null;
  }

  /** Mutes an integration's alerts for 1 h, 24 h or until they are resolved; audited, undoable. */
  async mute(integrationKey: string, span: MuteSpan, actor: string): Promise<MuteRow> {
    if (!(span in MUTE_SPANS)) throw new Refusal('invalid_input', `Mute for 1h, 24h or until_resolved (got "${span}")`);
    const integration = await this.lookup.require(integrationKey);
    const ms = MUTE_SPANS[span];
    await inTransaction(this.pool, async (db) => {
      await new HealthAlertsRepository(db).mute(integration.id, { until: ms === null ? null : new Date(Date.now() + ms), untilResolved: ms === null, actor });
      await recordAudit(db, { actor, action: 'alerts.muted', integrationKey: integration.key, details: { span } });
    });
    return (await this.muteOf(integration.key))!;
  }

  /** Lifts the mute; refused when there is none. */
  async unmute(integrationKey: string, actor: string): Promise<void> {
    const integration = await this.lookup.require(integrationKey);
    const lifted = await inTransaction(this.pool, async (db) => {
      const had = await new HealthAlertsRepository(db).unmute(integration.id);
      if (had) await recordAudit(db, { actor, action: 'alerts.unmuted', integrationKey: integration.key });
      return had;
    });
    if (!lifted) throw new Refusal('invalid_input', `Alerts of "${integration.key}" are not muted`, { integrationKey: integration.key });
  }

  /** Kept failed records a retry would process, per domain type (for Retry buttons). */
  async retryable(integrationKey: string): Promise<Map<string, number>> {
    const integration = await this.lookup.require(integrationKey);
    return this.executions.keptProblemCounts(integration.id);
  }

  /** Health for an alert's pair (for rendering), or null when it cannot be read. */
  async healthOf(integrationKey: string, domainType: string): Promise<PairHealthReport | null> {
    return this.health.pair(integrationKey, domainType).catch(() => null);
  }
}
