import type pg from 'pg';

/** What /healthz and /metrics read: each query uses a small (partial) index, never a big table. */
export interface QueueFacts {
  queued: number;
  running: number;
  /** Seconds the oldest waiting work has waited: a queued execution, or a due scheduled job no worker took. */
  lagSeconds: number;
}

export interface OutboxFacts {
  /** Slack messages not yet shown in Slack (new, or a newer version to edit in). */
  pending: number;
  /** Seconds since the oldest pending message was written (0 when none). */
  oldestSeconds: number;
  /** Seconds the longest-due message has been due without being picked up (0 when none is due). */
  overdueSeconds: number;
}

export interface HeartbeatFacts {
  lastSeenAt: Date | null;
  stoppedAt: Date | null;
}

/** Read-only queries for the operations endpoints, on a pool of their own (a busy worker never delays them). */
export class OpsRepository {
  constructor(
    private readonly pool: pg.Pool,
    /** Agenda's jobs live in PostgreSQL (false with the MongoDB backend). */
    private readonly agendaInPostgres: boolean,
  ) {}

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async queue(): Promise<QueueFacts> {
    const executions = this.pool.query<{ queued: number; running: number; oldest_queued: number | null }>(
      `SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued,
              count(*) FILTER (WHERE status = 'running')::int AS running,
              extract(epoch FROM now() - min(queued_at) FILTER (WHERE status = 'queued'))::float8 AS oldest_queued
         FROM sync_execution WHERE status IN ('queued', 'running')`,
    );
    // A due job nobody has locked: the workers are behind (or none runs).
    const jobs = this.agendaInPostgres
      ? this.pool.query<{ overdue: number | null }>(
          `SELECT extract(epoch FROM now() - min(next_run_at))::float8 AS overdue
             FROM agenda_jobs WHERE next_run_at IS NOT NULL AND next_run_at <= now() AND locked_at IS NULL AND disabled = false`,
        )
      : Promise.resolve({ rows: [{ overdue: null }] });
    const [{ rows: [row] }, { rows: [job] }] = await Promise.all([executions, jobs]);
    return {
      queued: row?.queued ?? 0,
      running: row?.running ?? 0,
      lagSeconds: Math.max(0, row?.oldest_queued ?? 0, job?.overdue ?? 0),
    };
  }

  async outbox(): Promise<OutboxFacts> {
    // The predicate is the one of slack_message_due_index: only pending rows are read.
    const { rows } = await this.pool.query<{ pending: number; oldest: number | null; overdue: number | null }>(
      `SELECT count(*)::int AS pending,
              extract(epoch FROM now() - min(created_at))::float8 AS oldest,
              extract(epoch FROM now() - min(next_attempt_at))::float8 AS overdue
         FROM slack_message WHERE delivered_version < version AND NOT gave_up`,
    );
    const row = rows[0];
    return { pending: row?.pending ?? 0, oldestSeconds: Math.max(0, row?.oldest ?? 0), overdueSeconds: Math.max(0, row?.overdue ?? 0) };
  }

  async heartbeat(workerId: string): Promise<HeartbeatFacts> {
    const { rows } = await this.pool.query<{ last_seen_at: Date; stopped_at: Date | null }>(
      `SELECT last_seen_at, stopped_at FROM worker_heartbeat WHERE id = $1`,
      [workerId],
    );
    return { lastSeenAt: rows[0]?.last_seen_at ?? null, stoppedAt: rows[0]?.stopped_at ?? null };
  }

  /** Workers (any process) that beat after `since` and did not stop (heartbeats carry the workers' clocks, so does `since`). */
  async workersAlive(since: Date): Promise<number> {
    const { rows } = await this.pool.query<{ alive: number }>(
      `SELECT count(*)::int AS alive FROM worker_heartbeat WHERE last_seen_at > $1 AND stopped_at IS NULL`,
      [since],
    );
    return rows[0]?.alive ?? 0;
  }
}
