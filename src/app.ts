import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Config } from './config/config.js';
import { CatalogRepository } from './db/catalog.repository.js';
import { CredentialVault, markDevKeyDatabase } from './db/credential-vault.js';
import { ensureDatabase } from './db/database.js';
import { ExecutionsRepository } from './db/executions.repository.js';
import { IntegrationsRepository } from './db/integrations.repository.js';
import { migrate, openOrm } from './db/orm.js';
import { PgSyncStore } from './db/pg-sync-store.js';
import { createPool } from './db/pool.js';
import { ConnectorRegistry, type ConnectorDefinition } from './sync/connectors/connector.js';
import { demoConnector } from './sync/connectors/demo/demo-connector.js';
import { httpJsonConnector } from './sync/connectors/http-json/http-json-connector.js';
import { csvConnector } from './sync/connectors/csv/csv-connector.js';
import { SyncEngine } from './sync/engine.js';
import { systemClock, type Clock, type Logger, type SyncObserver } from './sync/ports.js';

export const BUILT_IN_CONNECTORS: ConnectorDefinition[] = [demoConnector, httpJsonConnector, csvConnector];

export interface AppServices {
  config: Config;
  log: Logger;
  orm: MikroORM;
  pool: pg.Pool;
  connectors: ConnectorRegistry;
  store: PgSyncStore;
  engine: SyncEngine;
  integrations: IntegrationsRepository;
  /** Seals and opens integration credentials (current key, previous keys). */
  vault: CredentialVault;
  catalog: CatalogRepository;
  executions: ExecutionsRepository;
  /** Names of the migrations applied at start. */
  migrationsApplied: string[];
  close(): Promise<void>;
}

export interface BootstrapOptions {
  log: Logger;
  clock?: Clock;
  observer?: SyncObserver;
  connectors?: ConnectorDefinition[];
}

/**
 * Builds the application: creates the database if needed, applies pending migrations, marks
 * runs left `running` by dead processes as `interrupted`, and wires the services. Tests call
 * this too, so they run the real thing.
 */
export async function bootstrap(config: Config, options: BootstrapOptions): Promise<AppServices> {
  const created = await ensureDatabase(config.databaseUrl);
  const orm = await openOrm(config.databaseUrl);
  // Room for every concurrent sync of a worker, plus the CLI's and the scheduler's own queries.
  const pool = createPool(config.databaseUrl, config.scheduler.concurrency + 2);
  try {
    const migrationsApplied = await migrate(orm);
    // Only a database this process created while using the public dev key may hold values it seals.
    if (created && config.usingDevKey) await markDevKeyDatabase(orm.em.fork());
    const clock = options.clock ?? systemClock;
    const vault = CredentialVault.fromKeys(config.encryptionKey, config.previousKeys, config.usingDevKey);
    const connectors = new ConnectorRegistry(options.connectors ?? BUILT_IN_CONNECTORS);
    const store = new PgSyncStore(pool, config.databaseUrl, vault);
    const executions = new ExecutionsRepository(pool, store);
    const interrupted = await executions.interruptAllOrphans(clock.now());
    if (interrupted) options.log.warn({ interrupted }, 'marked runs left by a stopped process as interrupted');
    return {
      config,
      log: options.log,
      orm,
      pool,
      connectors,
      store,
      engine: new SyncEngine({ store, connectors, clock, log: options.log, observer: options.observer }),
      integrations: new IntegrationsRepository(orm.em, vault),
      vault,
      catalog: new CatalogRepository(orm.em),
      executions,
      migrationsApplied,
      close: async () => {
        await pool.end();
        await orm.close();
      },
    };
  } catch (error) {
    await pool.end();
    await orm.close();
    throw error;
  }
}
