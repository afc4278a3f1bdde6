import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Config } from './config/config.js';
import { CatalogRepository } from './db/catalog.repository.js';
import { CredentialVault, markDevKeyDatabase } from './db/credential-vault.js';
import { databaseExists, ensureDatabase, parseDatabaseUrl } from './db/database.js';
import { ExecutionsRepository } from './db/executions.repository.js';
import { IntegrationsRepository } from './db/integrations.repository.js';
import { migrate, openOrm } from './db/orm.js';
import { PgSyncStore } from './db/pg-sync-store.js';
import { createPool } from './db/pool.js';
import { Refusal } from './domain/refusals.js';
import { SchedulerAccess } from './services/scheduler-access.js';
import { createServices, type Services } from './services/services.js';
import { ConnectorRegistry, type ConnectorDefinition } from './sync/connectors/connector.js';
import { csvConnector } from './sync/connectors/csv/csv-connector.js';
import { demoConnector } from './sync/connectors/demo/demo-connector.js';
import { httpJsonConnector } from './sync/connectors/http-json/http-json-connector.js';
import { SyncEngine } from './sync/engine.js';
import { systemClock, type Clock, type Logger, type SyncObserver } from './sync/ports.js';

export const BUILT_IN_CONNECTORS: ConnectorDefinition[] = [demoConnector, httpJsonConnector, csvConnector];

/** What only the wiring, the tests and the benchmarks see; front ends get `services`. */
export interface Internals {
  orm: MikroORM;
  pool: pg.Pool;
  connectors: ConnectorRegistry;
  store: PgSyncStore;
  engine: SyncEngine;
  /** Agenda, connected on first use. */
  scheduler: SchedulerAccess;
  repositories: { integrations: IntegrationsRepository; catalog: CatalogRepository; executions: ExecutionsRepository };
}

export interface App {
  services: Services;
  internals: Internals;
  /** Names of the migrations applied at start. */
  migrationsApplied: string[];
  close(): Promise<void>;
}

export interface BootstrapOptions {
  log: Logger;
  clock?: Clock;
  observer?: SyncObserver;
  connectors?: ConnectorDefinition[];
  /**
   * Create the database when it does not exist (`tether migrate`, the demo, the tests). Other
   * commands refuse instead, so a mistyped name in DATABASE_URL never creates an empty database.
   */
  createDatabase?: boolean;
}

/**
 * Builds the application: checks (or creates) the database, applies pending migrations, marks
 * runs left `running` by dead processes as `interrupted`, and wires the services. Tests call
 * this too, so they run the real thing.
 */
export async function bootstrap(config: Config, options: BootstrapOptions): Promise<App> {
  const created = options.createDatabase ? await ensureDatabase(config.databaseUrl) : false;
  if (!options.createDatabase && !(await databaseExists(config.databaseUrl))) {
    const { database, server } = parseDatabaseUrl(config.databaseUrl);
    throw new Refusal(
      'database_missing',
      `Database "${database}" does not exist on ${server}: check DATABASE_URL for a typo, or create and migrate it with tether migrate`,
      { database },
    );
  }
  const orm = await openOrm(config.databaseUrl);
  // Room for every concurrent sync of a worker, plus the CLI's and the scheduler's own queries.
  const pool = createPool(config.databaseUrl, config.scheduler.concurrency + 2);
  let store: PgSyncStore | null = null;
  try {
    const migrationsApplied = await migrate(orm, config.databaseUrl);
    // Only a database this process created while using the public dev key may hold values it seals.
    if (created && config.usingDevKey) await markDevKeyDatabase(orm.em.fork());
    const clock = options.clock ?? systemClock;
    const vault = CredentialVault.fromKeys(config.encryptionKey, config.previousKeys, config.usingDevKey);
    const connectors = new ConnectorRegistry(options.connectors ?? BUILT_IN_CONNECTORS);
    const integrations = new IntegrationsRepository(orm.em, vault);
    store = new PgSyncStore(pool, config.databaseUrl, integrations);
    const executions = new ExecutionsRepository(pool, store);
    const interrupted = await executions.interruptAllOrphans(clock.now());
    if (interrupted) options.log.warn({ interrupted }, 'marked runs left by a stopped process as interrupted');
    // Health alerts follow every run, wherever it ran (CLI, worker); bound once the services exist.
    const afterRun: { alerts: Services['alerts'] | null } = { alerts: null };
    const observer: SyncObserver = {
      ...options.observer,
      executionFinished: async (execution) => {
        await options.observer?.executionFinished?.(execution);
        await afterRun.alerts?.afterRun(execution);
      },
    };
    const engine = new SyncEngine({ store, connectors, clock, log: options.log, observer });
    const catalog = new CatalogRepository(orm.em, pool);
    const scheduler = new SchedulerAccess({ databaseUrl: config.databaseUrl, config: config.scheduler, log: options.log, pool, engine, store, integrations, executions });
    const services = createServices({ config, log: options.log, pool, connectors, store, engine, integrations, catalog, executions, scheduler });
    afterRun.alerts = services.alerts;
    return {
      services,
      internals: { orm, pool, connectors, store, engine, scheduler, repositories: { integrations, catalog, executions } },
      migrationsApplied,
      close: async () => {
        await services.close();
        await store!.close();
        await pool.end();
        await orm.close();
      },
    };
  } catch (error) {
    await store?.close();
    await pool.end();
    await orm.close();
    throw error;
  }
}
