/** One measured sync in its own process, so its peak RSS is its own. Prints one JSON line. */
import { bootstrap } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import type { DomainType } from '../src/domain/domain-types.js';
import { createLogger } from '../src/logging.js';

const [integrationKey, domainType] = process.argv.slice(2) as [string, DomainType];
const config = loadConfig(process.env, 'test', { logLevel: 'error' });
const app = await bootstrap(config, { log: createLogger(config.logLevel) });
const started = performance.now();
const execution = await app.internals.engine.run({ integrationKey, domainType, triggeredBy: 'bench' });
const wallMs = performance.now() - started;
await app.close();
process.stdout.write(
  `${JSON.stringify({ id: execution.id, status: execution.status, error: execution.error, recordsFetched: execution.recordsFetched, successCount: execution.successCount, failedCount: execution.failedCount, skippedCount: execution.skippedCount, wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
