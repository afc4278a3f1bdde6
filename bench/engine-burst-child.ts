/**
 * The scheduler benchmark's same-run baseline: one process running tiny syncs straight through the
 * engine (no Agenda, no queue), `concurrency` at a time, from a common start time.
 * Args: key prefix, first index, count, concurrency, start epoch ms. Prints one JSON line.
 */
import { bootstrap } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging.js';

const [prefix, first, count, concurrency, startAt] = process.argv.slice(2);
const config = loadConfig(process.env, 'test', { logLevel: 'error' });
const app = await bootstrap(config, { log: createLogger(config.logLevel) });
const keys = Array.from({ length: Number(count) }, (_, i) => `${prefix}${Number(first) + i}`);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const cpuBefore = process.cpuUsage();
let next = 0;
const lane = async () => {
  while (next < keys.length) {
    const integrationKey = keys[next++]!;
    await app.internals.engine.run({ integrationKey, domainType: 'sales_orders', trigger: 'scheduled', triggeredBy: 'bench' });
  }
};
await Promise.all(Array.from({ length: Number(concurrency) }, lane));
const cpu = process.cpuUsage(cpuBefore);
await app.close();
process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
