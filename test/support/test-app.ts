import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { bootstrap, type AppServices, type BootstrapOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { dropDatabase } from '../../src/db/database.js';
import type { Logger } from '../../src/sync/ports.js';

export const silentLog: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** A database of its own per test file (named with this run's prefix): created and migrated by the real bootstrap, dropped after. */
export function testDatabaseUrl(): string {
  return `postgres://postgres@127.0.0.1:5432/tether_test_${inject('testRunId')}_${randomBytes(5).toString('hex')}`;
}

export function testConfig(databaseUrl = testDatabaseUrl()): Config {
  return loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, 'test');
}

export interface TestApp extends AppServices {
  destroy(): Promise<void>;
}

export async function startTestApp(options: Partial<BootstrapOptions> & { config?: Config } = {}): Promise<TestApp> {
  const config = options.config ?? testConfig();
  const app = await bootstrap(config, { log: silentLog, ...options });
  return {
    ...app,
    destroy: async () => {
      await app.close();
      await dropDatabase(config.databaseUrl);
    },
  };
}
