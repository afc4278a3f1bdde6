import pg from 'pg';

/** Split a DATABASE_URL into the URL of the maintenance database and the target database name. */
export function parseDatabaseUrl(databaseUrl: string): { adminUrl: string; database: string; server: string } {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL must name a database');
  url.pathname = '/postgres';
  return { adminUrl: url.toString(), database, server: `${url.hostname}:${url.port || '5432'}` };
}

/** Whether the database exists (asked of the server's maintenance database). */
export async function databaseExists(databaseUrl: string): Promise<boolean> {
  const { adminUrl, database } = parseDatabaseUrl(databaseUrl);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Create the database when it does not exist yet (first start on a fresh machine). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const { adminUrl, database } = parseDatabaseUrl(databaseUrl);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
    } catch (error) {
      // Another process created it between our check and our CREATE (42P04), or at the same
      // moment (23505 on pg_database's unique index).
      if (!['42P04', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const { adminUrl, database } = parseDatabaseUrl(databaseUrl);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
