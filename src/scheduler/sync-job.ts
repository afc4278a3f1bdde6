import type { Agenda, Job } from 'agenda';
import type { DomainType } from '../domain/domain-types.js';
import { RunRefused } from '../sync/engine-errors.js';
import type { SyncEngine } from '../sync/engine.js';
import type { Logger } from '../sync/ports.js';
import { correctNextRunAt } from './next-run.js';

/** The one job name: run a sync of one integration x domain type. */
export const SYNC_JOB = 'sync-integration';

export interface SyncJobData {
  integrationKey: string;
  domainType: DomainType;
  /** `schedule`: the repeating job of an integration's cron; `queued`: a one-off run someone asked for. */
  kind: 'schedule' | 'queued';
  /** For queued runs: the execution row created (status `queued`) when it was asked for. */
  executionId?: number;
  requestedBy?: string;
  dryRun?: boolean;
  /** Retry failed items only (no fetch). */
  retryOnly?: boolean;
}

/** How long a queued run waits before it tries again while another run of its pair is going. */
export const QUEUED_RETRY_MS = 5_000;

export interface SyncJobDeps {
  engine: SyncEngine;
  log: Logger;
  lockLifetimeMs: number;
  concurrency: number;
  /** Aborted when the worker's drain grace period is over: running syncs end `interrupted`. */
  stopSignal: AbortSignal;
  /** Cancels a queued execution that can no longer run (its integration changed). */
  cancelQueued(executionId: number): Promise<unknown>;
}

/**
 * Defines the sync job. A scheduled tick that finds its pair already running is skipped (the
 * cursor makes the next tick catch up); a queued run waits and tries again, so nothing runs twice
 * at once and nothing asked for is lost.
 */
export function defineSyncJob(agenda: Agenda, deps: SyncJobDeps): { inFlight: Set<Promise<unknown>> } {
  const inFlight = new Set<Promise<unknown>>();
  agenda.define<SyncJobData>(
    SYNC_JOB,
    async (job: Job<SyncJobData>) => {
      const run = runSyncJob(agenda, deps, job);
      inFlight.add(run);
      try {
        await run;
      } finally {
        inFlight.delete(run);
      }
    },
    { concurrency: deps.concurrency, lockLifetime: deps.lockLifetimeMs },
  );
  return { inFlight };
}

async function runSyncJob(agenda: Agenda, deps: SyncJobDeps, job: Job<SyncJobData>): Promise<void> {
  const data = job.attrs.data;
  if (data.kind === 'schedule') correctNextRunAt(job);
  // Long syncs keep their Agenda lock; a dead worker's lock expires and another worker takes over.
  const keepAlive = setInterval(() => void job.touch().catch(() => {}), Math.max(500, deps.lockLifetimeMs / 3));
  try {
    await deps.engine.run({
      integrationKey: data.integrationKey,
      domainType: data.domainType,
      trigger: data.kind === 'schedule' ? 'scheduled' : 'manual',
      retryOnly: data.retryOnly === true,
      triggeredBy: data.kind === 'schedule' ? 'scheduler' : (data.requestedBy ?? null),
      dryRun: data.dryRun,
      queuedExecutionId: data.executionId,
      signal: deps.stopSignal,
    });
  } catch (error) {
    if (!(error instanceof RunRefused)) throw error;
    if (error.code === 'already_running' && data.kind === 'queued') {
      deps.log.info({ ...data, runningExecutionId: error.runningExecutionId }, 'queued sync waits: its pair is running');
      await agenda.schedule(new Date(Date.now() + QUEUED_RETRY_MS), SYNC_JOB, data);
      return;
    }
    deps.log.warn({ ...data, reason: error.message }, data.kind === 'schedule' ? 'scheduled sync skipped' : 'queued sync refused');
    if (data.executionId !== undefined && error.code !== 'already_running') await deps.cancelQueued(data.executionId);
  } finally {
    clearInterval(keepAlive);
  }
}
