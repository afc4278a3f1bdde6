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
  options: { synchronousCommit?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    // One round trip for both statements (simple query protocol).
    await client.query(options.synchronousCommit === false ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
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
