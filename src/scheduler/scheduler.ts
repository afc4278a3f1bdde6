import { hostname } from 'node:os';
import type { Agenda, AgendaBackend } from 'agenda';
import type { AppServices } from '../app.js';
import type { DomainType } from '../domain/domain-types.js';
import { HeartbeatsRepository } from '../db/heartbeats.repository.js';
import { createAgenda } from './agenda-factory.js';
import { reconcileSchedules, type ReconcileResult } from './schedules.js';
import { defineSyncJob, SYNC_JOB, type SyncJobData } from './sync-job.js';

export const HEARTBEAT_EVERY_MS = 15_000;

/** The scheduler's face to the rest of the app: reconcile schedules, queue runs, run a worker. */
export class Scheduler {
  readonly heartbeats: HeartbeatsRepository;

  private started = false;
  private closed = false;

  private constructor(
    private readonly app: AppServices,
    readonly agenda: Agenda,
    private readonly backend: AgendaBackend,
  ) {
    this.heartbeats = new HeartbeatsRepository(app.pool);
  }

  static async open(app: AppServices): Promise<Scheduler> {
    const { agenda, backend } = await createAgenda(app.config.databaseUrl, app.config.scheduler, `${hostname()}:${process.pid}`);
    return new Scheduler(app, agenda, backend);
  }

  async reconcile(): Promise<ReconcileResult> {
    return reconcileSchedules(this.agenda, await this.app.integrations.list());
  }

  /**
   * Queues a run that any worker executes. The execution row exists at once (status `queued`),
   * so people can see it and cancel it before a worker picks it up.
   */
  async enqueue(input: { integrationId: number; integrationKey: string; domainType: DomainType; requestedBy: string; dryRun: boolean }): Promise<number> {
    const executionId = await this.app.store.createExecution({
      integrationId: input.integrationId,
      domainType: input.domainType,
      trigger: 'manual',
      dryRun: input.dryRun,
      triggeredBy: input.requestedBy,
    });
    const data: SyncJobData = {
      integrationKey: input.integrationKey,
      domainType: input.domainType,
      kind: 'queued',
      executionId,
      requestedBy: input.requestedBy,
      dryRun: input.dryRun,
    };
    await this.agenda.now(SYNC_JOB, data);
    return executionId;
  }

  /**
   * Runs syncs until stop(): the engine (no Slack), with a heartbeat so schedules can tell
   * whether any worker is alive.
   */
  async startWorker(): Promise<Worker> {
    const stopController = new AbortController();
    const { config, engine, log } = this.app;
    const { inFlight } = defineSyncJob(this.agenda, {
      engine,
      log,
      lockLifetimeMs: config.scheduler.lockLifetimeMs,
      concurrency: config.scheduler.concurrency,
      stopSignal: stopController.signal,
      cancelQueued: (executionId) => this.app.executions.requestCancel(executionId, 'scheduler'),
    });
    const workerId = `${hostname()}:${process.pid}:${Date.now()}`;
    const beat = () => this.heartbeats.beat(workerId, hostname(), process.pid, new Date()).catch((error) => log.warn({ err: error }, 'heartbeat failed'));
    await beat();
    const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
    this.agenda.on('error', (error) => log.error({ err: error }, 'scheduler error'));
    await this.agenda.start();
    this.started = true;
    log.info({ workerId, concurrency: config.scheduler.concurrency }, 'worker started');
    return {
      id: workerId,
      stop: async () => {
        clearInterval(timer);
        // Stop taking jobs and unlock every job this worker holds (waiting ones go to other
        // workers at once; a running one re-queued elsewhere is refused by the run lock and waits).
        // Then let running syncs finish; past the grace period they stop after their current page.
        await this.agenda.stop(false);
        this.started = false;
        const grace = setTimeout(() => stopController.abort(), config.scheduler.drainGraceMs);
        await Promise.allSettled([...inFlight]);
        clearTimeout(grace);
        await this.heartbeats.stopped(workerId, new Date());
        log.info({ workerId }, 'worker stopped');
      },
    };
  }

  /** Stops processing (unlocking jobs still held) and closes the backend's connections, once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Agenda's stop() does nothing for an instance that never started (e.g. after integrations apply).
    if (this.started) await this.agenda.stop(false);
    await this.backend.disconnect();
  }
}

export interface Worker {
  id: string;
  stop(): Promise<void>;
}
