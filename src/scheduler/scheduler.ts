import { hostname } from 'node:os';
import type { Agenda, AgendaBackend } from 'agenda';
import type pg from 'pg';
import type { SchedulerConfig } from '../config/config.js';
import type { DomainType } from '../domain/domain-types.js';
import type { ExecutionsRepository } from '../db/executions.repository.js';
import { HeartbeatsRepository } from '../db/heartbeats.repository.js';
import type { IntegrationsRepository } from '../db/integrations.repository.js';
import type { SyncEngine } from '../sync/engine.js';
import type { Logger, SyncStore } from '../sync/ports.js';
import { createAgenda } from './agenda-factory.js';
import { refillWhenJobsFinish } from './eager-refill.js';
import { enqueueAtomically, sweepLostQueuedRuns, type RunAnnouncement } from './queued-runs.js';
import { addRunMessage } from '../db/slack-outbox.js';
import { reconcileSchedules, type ReconcileResult } from './schedules.js';
import { defineSyncJob, SYNC_JOB, type SyncJobData } from './sync-job.js';

export const HEARTBEAT_EVERY_MS = 15_000;
/** How often a worker looks for queued executions whose job was lost. */
export const SWEEP_EVERY_MS = 60_000;

export interface SchedulerDeps {
  databaseUrl: string;
  config: SchedulerConfig;
  log: Logger;
  pool: pg.Pool;
  engine: SyncEngine;
  store: SyncStore;
  integrations: IntegrationsRepository;
  executions: ExecutionsRepository;
}

export interface EnqueueRequest {
  integrationId: number;
  integrationKey: string;
  domainType: DomainType;
  requestedBy: string;
  dryRun: boolean;
  /** Post a live run message there (a run asked for from Slack). */
  announce?: RunAnnouncement | null;
  /** Retry failed items only (no fetch; trigger `retry`). */
  retryOnly?: boolean;
}

/** The scheduler's face to the rest of the app: reconcile schedules, queue runs, run a worker. */
export class Scheduler {
  readonly heartbeats: HeartbeatsRepository;

  private started = false;
  private closed = false;

  private constructor(
    private readonly deps: SchedulerDeps,
    readonly agenda: Agenda,
    private readonly backend: AgendaBackend,
  ) {
    this.heartbeats = new HeartbeatsRepository(deps.pool);
  }

  static async open(deps: SchedulerDeps): Promise<Scheduler> {
    const { agenda, backend } = await createAgenda(deps.databaseUrl, deps.config, `${hostname()}:${process.pid}`);
    return new Scheduler(deps, agenda, backend);
  }

  async reconcile(): Promise<ReconcileResult> {
    return reconcileSchedules(this.agenda, await this.deps.integrations.list());
  }

  /**
   * Queues a run that any worker executes. The execution row exists at once (status `queued`),
   * so people can see it and cancel it before a worker picks it up. On PostgreSQL the row and
   * the job are written in one transaction; on MongoDB a failed enqueue marks the row failed at
   * once, and workers sweep rows whose job never arrived.
   */
  async enqueue(input: EnqueueRequest): Promise<number> {
    const data = (executionId: number): SyncJobData => ({
      integrationKey: input.integrationKey,
      domainType: input.domainType,
      kind: 'queued',
      executionId,
      requestedBy: input.requestedBy,
      dryRun: input.dryRun,
      ...(input.retryOnly ? { retryOnly: true } : {}),
    });
    const trigger = input.retryOnly ? ('retry' as const) : ('manual' as const);
    const execution = { integrationId: input.integrationId, domainType: input.domainType, dryRun: input.dryRun, triggeredBy: input.requestedBy, trigger };
    if (!this.deps.config.mongoUrl) return enqueueAtomically(this.deps.pool, execution, data, input.announce ?? null);
    const executionId = await this.deps.store.createExecution(execution);
    if (input.announce) await addRunMessage(this.deps.pool, { executionId, integrationId: input.integrationId, ...input.announce });
    try {
      await this.agenda.now(SYNC_JOB, data(executionId));
    } catch (error) {
      await this.deps.executions.markQueueLost(executionId, (error as Error).message);
      throw error;
    }
    return executionId;
  }

  /**
   * Runs syncs until stop(): the engine (no Slack), with a heartbeat so schedules can tell
   * whether any worker is alive, and a sweep of queued runs whose job was lost.
   */
  async startWorker(): Promise<Worker> {
    const stopController = new AbortController();
    const { config, engine, log } = this.deps;
    const { inFlight } = defineSyncJob(this.agenda, {
      engine,
      log,
      lockLifetimeMs: config.lockLifetimeMs,
      concurrency: config.concurrency,
      stopSignal: stopController.signal,
      cancelQueued: (executionId) => this.deps.executions.requestCancel(executionId, 'scheduler').catch(() => null),
    });
    const workerId = `${hostname()}:${process.pid}:${Date.now()}`;
    const beat = () => this.heartbeats.beat(workerId, hostname(), process.pid, new Date()).catch((error) => log.warn({ err: error }, 'heartbeat failed'));
    const sweep = () =>
      sweepLostQueuedRuns(this.agenda, this.deps.executions)
        .then((lost) => lost.length && log.warn({ executions: lost }, 'queued runs whose job was lost were marked failed'))
        .catch((error) => log.warn({ err: error }, 'queued-run sweep failed'));
    await beat();
    await sweep();
    const timers = [setInterval(beat, HEARTBEAT_EVERY_MS), setInterval(sweep, SWEEP_EVERY_MS)];
    this.agenda.on('error', (error) => log.error({ err: error }, 'scheduler error'));
    const stopRefilling = refillWhenJobsFinish(this.agenda, SYNC_JOB, config.concurrency);
    await this.agenda.start();
    this.started = true;
    log.info({ workerId, concurrency: config.concurrency }, 'worker started');
    return {
      id: workerId,
      stop: async () => {
        for (const timer of timers) clearInterval(timer);
        stopRefilling();
        // Stop taking jobs and unlock every job this worker holds (waiting ones go to other
        // workers at once; a running one re-queued elsewhere is refused by the run lock and waits).
        // Then let running syncs finish; past the grace period they stop after their current page.
        await this.agenda.stop(false);
        this.started = false;
        const grace = setTimeout(() => stopController.abort(), config.drainGraceMs);
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
