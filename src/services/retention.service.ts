import type pg from 'pg';
import type { RetentionConfig } from '../config/config.js';
import { recordAudit } from '../db/audit-log.js';
import { emptyTotals, previewPurge, purgeItems, type PurgeProgress, type PurgeTotals } from '../db/item-retention.js';
import { InvalidInput } from '../domain/refusals.js';
import type { Clock, Logger } from '../sync/ports.js';

const DAY_MS = 86_400_000;

export interface PurgeRequest {
  /** Overrides TETHER_ITEM_RETENTION_DAYS for this purge (whole days, at least 1). */
  olderThanDays?: number;
  dryRun?: boolean;
  /** Overrides TETHER_PURGE_BATCH_SIZE for this purge. */
  batchSize?: number;
  actor: string;
  signal?: AbortSignal;
  onBatch?: (progress: PurgeProgress) => void;
}

export interface PurgeExecutionPreview {
  executionId: number;
  integrationKey: string;
  domainType: string;
  endedAt: Date;
  items: number;
  recordErrors: number;
  problemRecords: number;
}

/** What a purge did, or (dry run) would do. */
export interface PurgeReport {
  dryRun: boolean;
  olderThanDays: number;
  /** Executions that ended before this lose their items. */
  cutoff: Date;
  executions: number;
  items: number;
  recordErrors: number;
  /** Kept problem records no run has seen since an execution past retention. */
  problemRecords: number;
  oldestEndedAt: Date | null;
  newestEndedAt: Date | null;
  /** Dry run: every execution that would be purged, oldest first. */
  preview: PurgeExecutionPreview[];
  /** Real purge: transactions that deleted items. */
  batches: number;
  durationMs: number;
  /** True when another purge was running: this one did nothing. */
  skippedBusy: boolean;
}

/**
 * Item retention: items of executions that ended more than N days ago are deleted (with their
 * record errors); the execution rows, their counts and error analysis stay, marked purged. Kept
 * problem records (the raw records carry-over and retry re-process) go only when no run has seen
 * them since such an execution: an integration that still runs carries them over and keeps them.
 */
export class RetentionService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly databaseUrl: string,
    private readonly config: RetentionConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** TETHER_ITEM_RETENTION_DAYS, or null when retention is off. */
  get retentionDays(): number | null {
    return this.config.itemRetentionDays;
  }

  async purge(request: PurgeRequest): Promise<PurgeReport> {
    const olderThanDays = this.olderThanDays(request.olderThanDays);
    if (request.batchSize !== undefined && (!Number.isInteger(request.batchSize) || request.batchSize < 1 || request.batchSize > 100_000)) {
      throw new InvalidInput(`The purge batch size must be a whole number from 1 to 100000 (got ${request.batchSize})`);
    }
    const cutoff = new Date(this.clock.now().getTime() - olderThanDays * DAY_MS);
    const started = performance.now();
    const base = { olderThanDays, cutoff, batches: 0, skippedBusy: false, preview: [] as PurgeExecutionPreview[] };
    if (request.dryRun) {
      const preview = await previewPurge(this.pool, cutoff);
      return {
        ...base,
        dryRun: true,
        preview,
        executions: preview.length,
        items: preview.reduce((sum, row) => sum + row.items, 0),
        recordErrors: preview.reduce((sum, row) => sum + row.recordErrors, 0),
        problemRecords: preview.reduce((sum, row) => sum + row.problemRecords, 0),
        oldestEndedAt: minDate(preview.map((row) => row.endedAt)),
        newestEndedAt: maxDate(preview.map((row) => row.endedAt)),
        durationMs: Math.round(performance.now() - started),
      };
    }
    // Filled batch by batch: what was deleted is audited even if the purge fails half-way.
    const totals = emptyTotals();
    let ran = false;
    try {
      ran = await purgeItems(this.databaseUrl, totals, {
        cutoff,
        afterDays: olderThanDays,
        batchSize: request.batchSize ?? this.config.purgeBatchSize,
        pauseMs: this.config.purgePauseMs,
        signal: request.signal,
        onBatch: request.onBatch,
      });
    } finally {
      if (totals.executions + totals.items > 0) await this.audit(request.actor, olderThanDays, cutoff, totals);
    }
    const durationMs = Math.round(performance.now() - started);
    if (!ran) return { ...base, dryRun: false, executions: 0, items: 0, recordErrors: 0, problemRecords: 0, oldestEndedAt: null, newestEndedAt: null, durationMs, skippedBusy: true };
    return { ...base, dryRun: false, ...totals, durationMs };
  }

  /** The worker's periodic purge: nothing when retention is off; never throws (logged, the next round retries). */
  async scheduledPurge(signal?: AbortSignal): Promise<PurgeReport | null> {
    if (this.config.itemRetentionDays === null) return null;
    try {
      const report = await this.purge({ actor: 'retention', signal });
      if (report.items || report.executions) {
        this.log.info({ executions: report.executions, items: report.items, durationMs: report.durationMs }, 'purged items past retention');
      }
      return report;
    } catch (error) {
      this.log.warn({ err: error }, 'item purge failed; the next round retries');
      return null;
    }
  }

  private olderThanDays(requested: number | undefined): number {
    if (requested !== undefined) {
      if (!Number.isInteger(requested) || requested < 1 || requested > 36_500) {
        throw new InvalidInput(`Older-than days must be a whole number from 1 to 36500 (got ${requested})`);
      }
      return requested;
    }
    if (this.config.itemRetentionDays === null) {
      throw new InvalidInput('Item retention is off (TETHER_ITEM_RETENTION_DAYS=off): give the age in days of the executions to purge');
    }
    return this.config.itemRetentionDays;
  }

  private async audit(actor: string, olderThanDays: number, cutoff: Date, totals: PurgeTotals): Promise<void> {
    await recordAudit(this.pool, {
      actor,
      action: 'items.purged',
      details: {
        olderThanDays,
        cutoff: cutoff.toISOString(),
        executions: totals.executions,
        items: totals.items,
        recordErrors: totals.recordErrors,
        problemRecords: totals.problemRecords,
        oldestEndedAt: totals.oldestEndedAt?.toISOString() ?? null,
        newestEndedAt: totals.newestEndedAt?.toISOString() ?? null,
        executionIds: totals.executionIds,
      },
    }).catch((error) => this.log.warn({ err: error }, 'could not audit the item purge'));
  }
}

const minDate = (dates: Date[]): Date | null => dates.reduce<Date | null>((min, date) => (!min || date < min ? date : min), null);
const maxDate = (dates: Date[]): Date | null => dates.reduce<Date | null>((max, date) => (!max || date > max ? date : max), null);
