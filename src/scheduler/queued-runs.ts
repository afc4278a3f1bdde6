import type { Agenda } from 'agenda';
import type pg from 'pg';
import type { DomainType } from '../domain/domain-types.js';
import type { ExecutionsRepository } from '../db/executions.repository.js';
import { inTransaction } from '../db/pool.js';
import { addRunMessage } from '../db/slack-outbox.js';
import { SYNC_JOB, type SyncJobData } from './sync-job.js';

/** Agenda's job table and the channel its PostgreSQL backend LISTENs on (backend defaults). */
const AGENDA_TABLE = 'agenda_jobs';
const AGENDA_CHANNEL = 'agenda_jobs';

/** A run queued from Slack gets a live message where it was asked for. */
export interface RunAnnouncement {
  channel: string;
  requestedBy: string | null;
  /** The command's response_url: tells the person if Slack refuses the channel. */
  responseUrl?: string | null;
  /** A retry asked for from a run's summary: that summary shows the retry's outcome. */
  retryOf?: number | null;
}

/** A queued execution whose job has not appeared within this long is considered lost. */
export const LOST_AFTER_MS = 60_000;

/**
 * Writes the queued execution and its Agenda job in one transaction (PostgreSQL backend), so a
 * failure can never leave an execution `queued` with no job to run it. The job row is the one
 * `agenda.now()` would write; the NOTIFY (delivered at commit) wakes workers at once, as
 * Agenda's own publish does.
 */
export async function enqueueAtomically(
  pool: pg.Pool,
  execution: { integrationId: number; domainType: DomainType; dryRun: boolean; triggeredBy: string; trigger: 'manual' | 'retry' },
  data: (executionId: number) => SyncJobData,
  announce: RunAnnouncement | null = null,
): Promise<number> {
  return inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO sync_execution (integration_id, domain_type, status, trigger, dry_run, triggered_by)
       VALUES ($1, $2, 'queued', $5, $3, $4) RETURNING id`,
      [execution.integrationId, execution.domainType, execution.dryRun, execution.triggeredBy, execution.trigger],
    );
    const executionId = rows[0]!.id;
    const job = await db.query<{ id: string; next_run_at: Date }>(
      `INSERT INTO "${AGENDA_TABLE}" (name, priority, next_run_at, type, data, disabled, fork)
       VALUES ($1, 0, now(), 'normal', $2, false, false) RETURNING id, next_run_at`,
      [SYNC_JOB, JSON.stringify(data(executionId))],
    );
    const notification = {
      jobId: job.rows[0]!.id,
      jobName: SYNC_JOB,
      nextRunAt: job.rows[0]!.next_run_at.toISOString(),
      priority: 0,
      timestamp: new Date().toISOString(),
      source: 'tether-enqueue',
    };
    await db.query('SELECT pg_notify($1, $2)', [AGENDA_CHANNEL, JSON.stringify(notification)]);
    if (announce) await addRunMessage(db, { executionId, integrationId: execution.integrationId, ...announce });
    return executionId;
  });
}

/**
 * Queued executions older than LOST_AFTER_MS with no job to run them (a process died between
 * the two writes on MongoDB, or a job was deleted by hand) are marked failed with the reason, so
 * nothing stays `queued` forever. Returns their ids.
 */
export async function sweepLostQueuedRuns(agenda: Agenda, executions: ExecutionsRepository): Promise<number[]> {
  const candidates = await executions.queuedOlderThan(new Date(Date.now() - LOST_AFTER_MS));
  if (!candidates.length) return [];
  const lost: number[] = [];
  for (const executionId of candidates) {
    const { jobs } = await agenda.queryJobs({ name: SYNC_JOB, data: { executionId }, limit: 1 });
    if (jobs.length) continue;
    if (await executions.markQueueLost(executionId, 'its job was never handed to a worker')) lost.push(executionId);
  }
  return lost;
}
