/**
 * The scheduler benchmark: N integrations (default 1,000) due on the same minute; the delay from
 * the due time to each execution's start, p50 / p99 / max, with one worker and with two.
 *   BENCH_INTEGRATIONS sets N. Appends to bench/RESULTS.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startBenchApp } from './bench-app.js';
import { loadConfig } from '../src/config/config.js';
import type { IntegrationSpec } from '../src/config/integrations-file.js';
import { dropDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logging.js';

const COUNT = Number(process.env.BENCH_INTEGRATIONS ?? 1000);
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tether_bench_scheduler';
const WORKER_ENV = { WORKER_CONCURRENCY: '8', WORKER_POLL_MS: '500' };
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const say = (text: string) => process.stdout.write(`${text}\n`);

function startWorker(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', here('../src/cli.ts'), 'worker'], {
    env: { ...process.env, DATABASE_URL, TETHER_MODE: 'test', LOG_LEVEL: 'error', ...WORKER_ENV },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

await dropDatabase(DATABASE_URL);
const config = loadConfig({ DATABASE_URL }, 'test', { logLevel: 'error' });
const app = await startBenchApp(config);
const scheduler = await app.scheduler.get();
const rows: string[] = [];
try {
  const specs: IntegrationSpec[] = Array.from({ length: COUNT }, (_, i) => ({
    key: `shop-${i}`,
    name: `Shop ${i}`,
    connector: 'demo',
    domains: ['sales_orders'],
    config: { orders: 3, page_size: 3, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 },
    credentials: {},
    schedule: { cron: '* * * * *', timezone: 'UTC' },
    enabled: true,
    dryRun: false,
    matchSkuCodes: true,
    slackChannel: null,
    notify: 'problems' as const,
  }));
  await app.integrations.apply(specs, { actor: 'bench' });

  for (const workers of [1, 2]) {
    // Every job due at the next minute boundary that leaves the workers 15 s to start.
    let due = Math.ceil(Date.now() / 60_000) * 60_000;
    if (due - Date.now() < 15_000) due += 60_000;
    await scheduler.reconcile();
    const started = Array.from({ length: workers }, startWorker);
    say(`${workers} worker(s): ${COUNT} syncs due at ${new Date(due).toISOString()}`);
    const window = [new Date(due), new Date(due + 60_000)];
    for (;;) {
      await sleep(1000);
      const { rows: done } = await app.pool.query(
        `SELECT count(*)::int AS n FROM sync_execution WHERE started_at >= $1 AND started_at < $2 AND status NOT IN ('queued', 'running')`,
        window,
      );
      if (done[0].n >= COUNT || Date.now() > due + 60_000) break;
    }
    for (const worker of started) worker.kill('SIGTERM');
    await Promise.all(started.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
    const { rows: runs } = await app.pool.query<{ delay_ms: number }>(
      `SELECT extract(epoch FROM (started_at - $1::timestamptz)) * 1000 AS delay_ms FROM sync_execution
       WHERE started_at >= $1 AND started_at < $2 ORDER BY started_at`,
      window,
    );
    const delays = runs.map((run) => Number(run.delay_ms)).sort((a, b) => a - b);
    const line = `| ${workers} | ${delays.length} of ${COUNT} | ${(percentile(delays, 50) / 1000).toFixed(2)} s | ${(percentile(delays, 99) / 1000).toFixed(2)} s | ${(delays.at(-1)! / 1000).toFixed(2)} s |`;
    say(line);
    rows.push(line);
  }
  const report = [
    '',
    `## ${new Date().toISOString().slice(0, 10)} — scheduler: ${COUNT} integrations due on the same minute`,
    '',
    `Workers with WORKER_CONCURRENCY=${WORKER_ENV.WORKER_CONCURRENCY}, WORKER_POLL_MS=${WORKER_ENV.WORKER_POLL_MS}; demo connector, 3 orders a run. Delay = execution start − due time. Target: p99 < 2 s.`,
    '',
    '| workers | runs started in the minute | p50 | p99 | max |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ];
  await appendFile(here('RESULTS.md'), report.join('\n'));
  say(report.join('\n'));
} finally {
  await scheduler.close();
  await app.close();
  await dropDatabase(DATABASE_URL);
}
