import { Scheduler, type SchedulerDeps } from '../scheduler/scheduler.js';

/** Agenda, connected on first use (apply, queue, worker) and closed with the app. */
export class SchedulerAccess {
  private opening: Promise<Scheduler> | null = null;

  constructor(private readonly deps: SchedulerDeps) {}

  get(): Promise<Scheduler> {
    this.opening ??= Scheduler.open(this.deps);
    // A failed connection is not cached: the next use tries again.
    this.opening.catch(() => (this.opening = null));
    return this.opening;
  }

  async close(): Promise<void> {
    const scheduler = await this.opening?.catch(() => null);
    this.opening = null;
    await scheduler?.close();
  }
}
