import { bootstrap } from '../src/app.js';
import type { Config } from '../src/config/config.js';
import { createLogger } from '../src/logging.js';

/** The app for a benchmark: the services, plus the internals it measures against (pool, engine). */
export async function startBenchApp(config: Config) {
  const { services, internals, close } = await bootstrap(config, { log: createLogger(config.logLevel), createDatabase: true });
  return { ...services, ...internals, close };
}

export type BenchApp = Awaited<ReturnType<typeof startBenchApp>>;
