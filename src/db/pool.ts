import pg from 'pg';

const INT8_OID = 20;

/** A pool for the hot paths (bulk writes, item queries). int8 ids come back as numbers. */
export function createPool(databaseUrl: string, max = 4, extra: Omit<pg.PoolConfig, 'connectionString' | 'max' | 'types'> = {}): pg.Pool {
  const pool = new pg.Pool({
    ...extra,
    connectionString: databaseUrl,
    max,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  options: { synchronousCommit?: boolean; readOnly?: boolean; settings?: string } = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    // One round trip for BEGIN and its settings (simple query protocol).
    const begin = [options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN'];
    if (options.synchronousCommit === false) begin.push('SET LOCAL synchronous_commit = off');
    if (options.settings) begin.push(options.settings);
    await client.query(begin.join('; '));
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
