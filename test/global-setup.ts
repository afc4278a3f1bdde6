import pg from 'pg';

/** Fails fast with a clear message when PostgreSQL is not up, and clears databases of crashed runs. */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Tests need PostgreSQL on 127.0.0.1:5432 (see README): ${(error as Error).message}`);
  }
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'tether\\_test\\_%'`,
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
