/**
 * One measured sync in its own process (bench/retention.ts), timing every page commit: the
 * longest gap between two commits is the longest pause the sync saw. Prints one JSON line.
 */
import { bootstrap } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import type { DomainType } from '../src/domain/domain-types.js';
import { createLogger } from '../src/logging.js';

const [integrationKey, domainType] = process.argv.slice(2) as [string, DomainType];
const config = loadConfig(process.env, 'test', { logLevel: 'error' });
const app = await bootstrap(config, { log: createLogger(config.logLevel) });
const commits: number[] = [];
const started = performance.now();
const execution = await app.internals.engine.run({
  integrationKey,
  domainType,
  triggeredBy: 'bench',
  observer: { pageCommitted: () => void commits.push(performance.now()) },
});
const finished = performance.now();
await app.close();
const gaps = commits.map((at, i) => at - (i === 0 ? started : commits[i - 1]!)).sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    id: execution.id,
    status: execution.status,
    error: execution.error,
    recordsFetched: execution.recordsFetched,
    startedAtMs: Date.now() - (finished - started),
    wallMs: finished - started,
    pages: commits.length,
    medianPageMs: gaps[Math.floor(gaps.length / 2)] ?? 0,
    p99PageMs: gaps[Math.floor(gaps.length * 0.99)] ?? 0,
    maxPageMs: gaps.at(-1) ?? 0,
  })}\n`,
);
