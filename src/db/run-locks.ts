import pg from 'pg';
import type { DomainType } from '../domain/domain-types.js';
import type { RunLock } from '../sync/ports.js';

const LOCK_SQL = `SELECT pg_try_advisory_lock($1::int, hashtext('sync:' || $2::text)) AS locked`;
const UNLOCK_SQL = `SELECT pg_advisory_unlock($1::int, hashtext('sync:' || $2::text))`;

/**
 * The run locks of this process: session-level advisory locks, all held on one connection kept
 * open (a new connection per run cost a PostgreSQL backend start each time, and one per running
 * sync would multiply the connections). They die with the process — its connection — that holds
 * them. A session may take the same advisory lock twice, so the pairs held here are also kept in
 * memory: a second run of a pair in this process is refused like one in another process.
 */
export class RunLocks {
  private connection: Promise<pg.Client> | null = null;
  private readonly held = new Set<string>();

  constructor(private readonly databaseUrl: string) {}

  async tryLock(integrationId: number, domainType: DomainType): Promise<RunLock | null> {
    const key = `${integrationId}:${domainType}`;
    if (this.held.has(key)) return null;
    this.held.add(key);
    let client: pg.Client;
    try {
      client = await this.connect();
      const { rows } = await client.query<{ locked: boolean }>(LOCK_SQL, [integrationId, domainType]);
      if (rows[0]?.locked !== true) {
        this.held.delete(key);
        return null;
      }
    } catch (error) {
      this.held.delete(key);
      throw error;
    }
    return {
      release: async () => {
        // Free in this process at once: a lock taken here later is sent after this unlock on the
        // same connection, so PostgreSQL sees them in order.
        this.held.delete(key);
        try {
          await client.query(UNLOCK_SQL, [integrationId, domainType]);
        } catch {
          // A connection that cannot unlock is dropped: its locks go with it.
          this.drop(client);
        }
      },
    };
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) await (await connection.catch(() => null))?.end().catch(() => {});
  }

  private connect(): Promise<pg.Client> {
    this.connection ??= (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl });
      // A lost connection has lost its locks; the next lock opens a new one.
      client.on('error', () => this.drop(client));
      client.on('end', () => this.drop(client));
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      this.connection = null;
      throw error;
    });
    return this.connection;
  }

  private drop(client: pg.Client): void {
    void this.connection?.then((current) => {
      if (current !== client) return;
      this.connection = null;
      void client.end().catch(() => {});
    }).catch(() => {});
  }
}
