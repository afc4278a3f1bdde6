import type { ReconcileResult } from '../scheduler/schedules.js';
import type { Worker } from '../scheduler/scheduler.js';
import type { Logger } from '../sync/ports.js';
import type { AlertsService } from './alerts.service.js';
import type { RetentionService } from './retention.service.js';
import type { SchedulerAccess } from './scheduler-access.js';

/** How often a worker checks stale schedules and re-checks every pair's alerts. */
export const HEALTH_SWEEP_EVERY_MS = 60_000;

/** How often a worker purges items past retention (one worker at a time: the purge's advisory lock). */
export const PURGE_EVERY_MS = 3_600_000;
/** The first purge comes soon after start, so workers restarted often still purge. */
export const FIRST_PURGE_AFTER_MS = 60_000;

/** The scheduler worker: schedules made to match the integrations, scheduled and queued runs, the health sweep. */
export class WorkerService {
  constructor(
    private readonly scheduler: SchedulerAccess,
    private readonly alerts: AlertsService,
    private readonly retention: RetentionService,
    private readonly log: Logger,
  ) {}

  async reconcileSchedules(): Promise<ReconcileResult> {
    return (await this.scheduler.get()).reconcile();
  }

  async start(options: { sweepEveryMs?: number; purgeEveryMs?: number; firstPurgeAfterMs?: number } = {}): Promise<Worker> {
    const scheduler = await this.scheduler.get();
    await scheduler.reconcile();
    const worker = await scheduler.startWorker();
    // A stopped schedule makes no runs to react to: its staleness is checked on a timer.
    const sweep = () => void this.alerts.sweep().catch((error) => this.log.warn({ err: error }, 'health sweep failed'));
    const timer = setInterval(sweep, options.sweepEveryMs ?? HEALTH_SWEEP_EVERY_MS);
    timer.unref();
    const purges = this.schedulePurges(options.firstPurgeAfterMs ?? FIRST_PURGE_AFTER_MS, options.purgeEveryMs ?? PURGE_EVERY_MS);
    return {
      id: worker.id,
      stop: async () => {
        clearInterval(timer);
        await purges.stop();
        await worker.stop();
      },
    };
  }

  /** The periodic purge: one at a time per worker; stopping aborts it between two batches. */
  private schedulePurges(firstAfterMs: number, everyMs: number): { stop(): Promise<void> } {
    const stopping = new AbortController();
    let running: Promise<unknown> = Promise.resolve();
    let timer: NodeJS.Timeout;
    const round = () => {
      running = this.retention.scheduledPurge(stopping.signal).finally(() => {
        if (!stopping.signal.aborted) timer = setTimeout(round, everyMs).unref();
      });
    };
    timer = setTimeout(round, firstAfterMs).unref();
    return {
      stop: async () => {
        stopping.abort();
        clearTimeout(timer);
        await running;
      },
    };
  }
}
