/**
 * Profiling aid for the scheduler burst (not part of `npm run bench`): N integrations made due at
 * once by moving their jobs' next_run_at, W workers started with PROFILE_NODE_ARGS (e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`) and the query-stats preload (QUERY_STATS_DIR).
 * Prints delay percentiles, worker CPU per run and each worker's statements per run.
 *   npx tsx bench/profile/burst.ts   (PROFILE_INTEGRATIONS, PROFILE_WORKERS, PROFILE_DATABASE_URL;
 *   PROFILE_CLI: another checkout's src/cli.ts, to compare versions on the same database schema)
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBenchApp } from '../bench-app.js';
import { loadConfig } from '../../src/config/config.js';
import type { IntegrationSpec } from '../../src/config/integrations-file.js';
import { dropDatabase } from '../../src/db/database.js';

const COUNT = Number(process.env.PROFILE_INTEGRATIONS ?? 1000);
const WORKERS = Number(process.env.PROFILE_WORKERS ?? 2);
const DATABASE_URL = process.env.PROFILE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tether_profile_burst';
const STATS_DIR = process.env.QUERY_STATS_DIR ?? '/tmp';
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const cpuMs = async (pid: number) => {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

await dropDatabase(DATABASE_URL);
const app = await startBenchApp(loadConfig({ DATABASE_URL }, 'test', { logLevel: 'error' }));
const scheduler = await app.scheduler.get();
try {
  const specs: IntegrationSpec[] = Array.from({ length: COUNT }, (_, i) => ({
    key: `shop-${i}`, name: `Shop ${i}`, connector: 'demo', domains: ['sales_orders'],
    config: { orders: 3, page_size: 3, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 },
    credentials: {}, schedule: { cron: '0 0 1 1 *', timezone: 'UTC' }, enabled: true, dryRun: false,
    matchSkuCodes: true, slackChannel: null, notify: 'problems' as const,
  }));
  await app.integrations.apply(specs, { actor: 'bench' });
  await scheduler.reconcile();
  const workers = Array.from({ length: WORKERS }, (_, i) =>
    spawn(process.execPath, [...(process.env.PROFILE_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', '--import', here('query-stats.ts'), process.env.PROFILE_CLI ?? here('../../src/cli.ts'), 'worker'], {
      env: { ...process.env, DATABASE_URL, TETHER_MODE: 'test', LOG_LEVEL: 'error', WORKER_CONCURRENCY: '8', WORKER_POLL_MS: '500', QUERY_STATS_FILE: `${STATS_DIR}/query-stats-${i}.txt` },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  await sleep(6000);
  const due = new Date(Date.now() + 1000);
  const load = loadavg()[0]!;
  const before = await Promise.all(workers.map((w) => cpuMs(w.pid!)));
  await app.pool.query('UPDATE agenda_jobs SET next_run_at = $1', [due]);
  for (;;) {
    await sleep(250);
    const { rows } = await app.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_execution WHERE started_at >= $1 AND status NOT IN ('queued', 'running')`, [due]);
    if (rows[0]!.n >= COUNT || Date.now() > due.getTime() + 120_000) break;
  }
  const after = await Promise.all(workers.map((w) => cpuMs(w.pid!)));
  for (const worker of workers) worker.kill('SIGTERM');
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
  const { rows } = await app.pool.query<{ d: number }>(`SELECT extract(epoch FROM (started_at - $1::timestamptz)) * 1000 AS d FROM sync_execution WHERE started_at >= $1`, [due]);
  const delays = rows.map((r) => Number(r.d)).sort((a, b) => a - b);
  const cpu = after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0);
  process.stdout.write(`${WORKERS} worker(s), ${delays.length} of ${COUNT} runs: p50 ${(percentile(delays, 50) / 1000).toFixed(2)} s, p99 ${(percentile(delays, 99) / 1000).toFixed(2)} s, max ${(delays.at(-1)! / 1000).toFixed(2)} s; worker CPU ${(cpu / COUNT).toFixed(1)} ms/run; load ${load.toFixed(2)}\n`);
  for (let i = 0; i < WORKERS; i += 1) process.stdout.write(`--- worker ${i} statements (count, total ms until answer):\n${await readFile(`${STATS_DIR}/query-stats-${i}.txt`, 'utf8').catch(() => '(none)\n')}`);
} finally {
  await scheduler.close();
  await app.close();
  await dropDatabase(DATABASE_URL);
}
