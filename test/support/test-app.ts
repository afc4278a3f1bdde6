import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { bootstrap, type BootstrapOptions, type Internals } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { dropDatabase } from '../../src/db/database.js';
import type { Services } from '../../src/services/services.js';
import type { Logger } from '../../src/sync/ports.js';

export const silentLog: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** A database of its own per test file (named with this run's prefix): created and migrated by the real bootstrap, dropped after. */
export function testDatabaseUrl(): string {
  return `postgres://postgres@127.0.0.1:5432/tether_test_${inject('testRunId')}_${randomBytes(5).toString('hex')}`;
}

export function testConfig(databaseUrl = testDatabaseUrl()): Config {
  return loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, 'test');
}

/**
 * The real app for a test: the services every front end uses, plus the internals tests may look
 * at (the engine for engine-level tests, the pool for assertions in SQL).
 */
export type TestApp = Services &
  Pick<Internals, 'engine' | 'store' | 'pool' | 'connectors' | 'repositories' | 'scheduler' | 'orm'> & {
    services: Services;
    destroy(): Promise<void>;
  };

export async function startTestApp(options: Partial<BootstrapOptions> & { config?: Config } = {}): Promise<TestApp> {
  const config = options.config ?? testConfig();
  const app = await bootstrap(config, { log: silentLog, createDatabase: true, ...options });
  const { services, internals } = app;
  return {
    ...services,
    close: () => app.close(),
    services,
    engine: internals.engine,
    store: internals.store,
    pool: internals.pool,
    connectors: internals.connectors,
    repositories: internals.repositories,
    scheduler: internals.scheduler,
    orm: internals.orm,
    destroy: async () => {
      await app.close();
      await dropDatabase(config.databaseUrl);
    },
  };
}
