import type pg from 'pg';

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

  /** The newest heartbeat of a worker that has not stopped, or null. */
  async lastSeen(): Promise<Date | null> {
    const { rows } = await this.pool.query<{ at: Date | null }>(`SELECT max(last_seen_at) AS at FROM worker_heartbeat WHERE stopped_at IS NULL`);
    return rows[0]?.at ?? null;
  }
}
