import type { ReconcileResult } from '../scheduler/schedules.js';
import type { Worker } from '../scheduler/scheduler.js';
import type { Logger } from '../sync/ports.js';
import type { AlertsService } from './alerts.service.js';
import type { SchedulerAccess } from './scheduler-access.js';

/** How often a worker checks stale schedules and re-checks every pair's alerts. */
export const HEALTH_SWEEP_EVERY_MS = 60_000;

/** The scheduler worker: schedules made to match the integrations, scheduled and queued runs, the health sweep. */
export class WorkerService {
  constructor(
    private readonly scheduler: SchedulerAccess,
    private readonly alerts: AlertsService,
    private readonly log: Logger,
  ) {}

  async reconcileSchedules(): Promise<ReconcileResult> {
    return (await this.scheduler.get()).reconcile();
  }

  async start(options: { sweepEveryMs?: number } = {}): Promise<Worker> {
    const scheduler = await this.scheduler.get();
    await scheduler.reconcile();
    const worker = await scheduler.startWorker();
    // A stopped schedule makes no runs to react to: its staleness is checked on a timer.
    const sweep = () => void this.alerts.sweep().catch((error) => this.log.warn({ err: error }, 'health sweep failed'));
    const timer = setInterval(sweep, options.sweepEveryMs ?? HEALTH_SWEEP_EVERY_MS);
    timer.unref();
    return {
      id: worker.id,
      stop: async () => {
        clearInterval(timer);
        await worker.stop();
      },
    };
  }
}
