import type pg from 'pg';

export async function scalar<T = number>(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await pool.query(sql, params);
  return Object.values(rows[0] ?? {})[0] as T;
}

export async function itemStatusCounts(pool: pg.Pool, executionId: number): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM sync_item WHERE execution_id = $1 GROUP BY status',
    [executionId],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

export async function cursorOf(pool: pg.Pool, integrationKey: string, domainType: string): Promise<string | null> {
  const { rows } = await pool.query<{ cursor: string | null }>(
    `SELECT s.cursor FROM sync_state s JOIN integration i ON i.id = s.integration_id WHERE i.key = $1 AND s.domain_type = $2`,
    [integrationKey, domainType],
  );
  return rows[0]?.cursor ?? null;
}
