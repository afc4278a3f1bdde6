import type { ReconcileResult } from '../scheduler/schedules.js';
import type { Worker } from '../scheduler/scheduler.js';
import type { SchedulerAccess } from './scheduler-access.js';

/** The scheduler worker: schedules made to match the integrations, then scheduled and queued runs. */
export class WorkerService {
  constructor(private readonly scheduler: SchedulerAccess) {}

  async reconcileSchedules(): Promise<ReconcileResult> {
    return (await this.scheduler.get()).reconcile();
  }

  async start(): Promise<Worker> {
    const scheduler = await this.scheduler.get();
    await scheduler.reconcile();
    return scheduler.startWorker();
  }
}
