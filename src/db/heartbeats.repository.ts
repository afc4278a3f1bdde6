import type pg from 'pg';
import type { WorkerFacts } from '../domain/schedule.js';

/** Worker heartbeats: each worker refreshes its row while it runs. */
export class HeartbeatsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async beat(workerId: string, host: string, pid: number, at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO worker_heartbeat (id, host, pid, started_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at, stopped_at = NULL`,
      [workerId, host, pid, at],
    );
  }

  async stopped(workerId: string, at: Date): Promise<void> {
    await this.pool.query(`UPDATE worker_heartbeat SET stopped_at = $2 WHERE id = $1`, [workerId, at]);
  }

  /** What the heartbeats say: newest of a worker still running, newest of any, last clean stop. */
  async activity(): Promise<WorkerFacts> {
    const { rows } = await this.pool.query<{ running_seen_at: Date | null; last_seen_at: Date | null; last_stopped_at: Date | null }>(
      `SELECT max(last_seen_at) FILTER (WHERE stopped_at IS NULL) AS running_seen_at,
              max(last_seen_at) AS last_seen_at,
              max(stopped_at) AS last_stopped_at
         FROM worker_heartbeat`,
    );
    const row = rows[0];
    return { runningSeenAt: row?.running_seen_at ?? null, lastSeenAt: row?.last_seen_at ?? null, lastStoppedAt: row?.last_stopped_at ?? null };
  }
}
