/**
 * The scheduler benchmark: N integrations (default 1,000) due on the same minute; the delay from
 * the due time to each execution's start, p50 / p99 / max, with one worker and with two.
 * Same-run baseline: the same N tiny syncs run straight through the engine (no scheduler) by two
 * processes at the workers' concurrency, from a common start — the floor the scheduler can reach.
 *   BENCH_INTEGRATIONS sets N; BENCH_SCHEDULER_REPEAT (default 3) how often the two-worker round
 *   and its baseline run (medians reported); BENCH_SCHEDULER_DATABASE_URL the (dropped!) database.
 *   Appends to bench/RESULTS.md.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startBenchApp } from './bench-app.js';
import { loadConfig } from '../src/config/config.js';
import type { IntegrationSpec } from '../src/config/integrations-file.js';
import { dropDatabase } from '../src/db/database.js';

const COUNT = Number(process.env.BENCH_INTEGRATIONS ?? 1000);
const REPEAT = Number(process.env.BENCH_SCHEDULER_REPEAT ?? 3);
const DATABASE_URL = process.env.BENCH_SCHEDULER_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tether_bench_scheduler';
const WORKER_ENV = { WORKER_CONCURRENCY: '8', WORKER_POLL_MS: '500' };
const CHILD_ENV = { ...process.env, DATABASE_URL, TETHER_MODE: 'test', LOG_LEVEL: 'error', ...WORKER_ENV };
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const say = (text: string) => process.stdout.write(`${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function startWorker(): ChildProcess {
  const args = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return spawn(process.execPath, [...args, '--import', 'tsx', here('../src/cli.ts'), 'worker'], { env: CHILD_ENV, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** CPU seconds (user + system) a process used so far, from /proc. */
async function processCpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Busy CPU of the whole machine (every process, other helpers included), in ms. */
async function machineBusyMs(): Promise<number> {
  const [, ...ticks] = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.split(/\s+/).map(Number);
  const idle = ticks[3]! + ticks[4]!;
  return ((ticks.reduce((a, b) => a + b, 0) - idle) * 1000) / 100;
}

interface Round {
  delays: number[];
  loadAvg: number;
  /** Worker (or engine process) CPU per run, ms. */
  cpuPerRunMs: number;
  machineBusyPerRunMs: number;
}

await dropDatabase(DATABASE_URL);
const config = loadConfig({ DATABASE_URL }, 'test', { logLevel: 'error' });
const app = await startBenchApp(config);
const scheduler = await app.scheduler.get();

async function delaysSince(from: Date, to: Date): Promise<number[]> {
  const { rows } = await app.pool.query<{ delay_ms: number }>(
    `SELECT extract(epoch FROM (started_at - $1::timestamptz)) * 1000 AS delay_ms FROM sync_execution WHERE started_at >= $1 AND started_at < $2`,
    [from, to],
  );
  return rows.map((run) => Number(run.delay_ms)).sort((a, b) => a - b);
}

async function schedulerRound(workers: number): Promise<Round> {
  // Every job due at the next minute boundary that leaves the workers 15 s to start.
  let due = Math.ceil(Date.now() / 60_000) * 60_000;
  if (due - Date.now() < 15_000) due += 60_000;
  await scheduler.reconcile();
  const started = Array.from({ length: workers }, startWorker);
  say(`${workers} worker(s): ${COUNT} syncs due at ${new Date(due).toISOString()}`);
  await sleep(due - Date.now() - 200);
  const loadAvg = loadavg()[0]!;
  const cpuBefore = await Promise.all(started.map((worker) => processCpuMs(worker.pid!)));
  const busyBefore = await machineBusyMs();
  const window: [Date, Date] = [new Date(due), new Date(due + 60_000)];
  for (;;) {
    await sleep(250);
    const { rows } = await app.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sync_execution WHERE started_at >= $1 AND started_at < $2 AND status NOT IN ('queued', 'running')`,
      window,
    );
    if (rows[0]!.n >= COUNT || Date.now() > due + 60_000) break;
  }
  const cpuAfter = await Promise.all(started.map((worker) => processCpuMs(worker.pid!)));
  const busy = (await machineBusyMs()) - busyBefore;
  for (const worker of started) worker.kill('SIGTERM');
  await Promise.all(started.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
  const cpu = cpuAfter.reduce((a, b) => a + b, 0) - cpuBefore.reduce((a, b) => a + b, 0);
  return { delays: await delaysSince(...window), loadAvg, cpuPerRunMs: cpu / COUNT, machineBusyPerRunMs: busy / COUNT };
}

/** The same syncs through the engine alone: two processes, WORKER_CONCURRENCY lanes each. */
async function engineRound(): Promise<Round> {
  const start = Date.now() + 8_000;
  const half = Math.ceil(COUNT / 2);
  const run = (first: number, count: number) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', here('engine-burst-child.ts'), 'shop-', String(first), String(count), WORKER_ENV.WORKER_CONCURRENCY, String(start)], {
      env: CHILD_ENV,
    });
  const children = [run(0, half), run(half, COUNT - half)];
  await sleep(start - Date.now() - 200);
  const loadAvg = loadavg()[0]!;
  const busyBefore = await machineBusyMs();
  const outputs = await Promise.all(children);
  const busy = (await machineBusyMs()) - busyBefore;
  const cpu = outputs.map(({ stdout }) => (JSON.parse(stdout.trim().split('\n').at(-1)!) as { cpuMs: number }).cpuMs).reduce((a, b) => a + b, 0);
  return { delays: await delaysSince(new Date(start), new Date(start + 120_000)), loadAvg, cpuPerRunMs: cpu / COUNT, machineBusyPerRunMs: busy / COUNT };
}

const line = (label: string, round: Round) =>
  `| ${label} | ${round.delays.length} of ${COUNT} | ${seconds(percentile(round.delays, 50))} | ${seconds(percentile(round.delays, 99))} | ${seconds(round.delays.at(-1)!)} | ${round.cpuPerRunMs.toFixed(1)} ms | ${round.machineBusyPerRunMs.toFixed(1)} ms | ${round.loadAvg.toFixed(2)} |`;

const rows: string[] = [];
const p99 = { scheduler: [] as number[], engine: [] as number[] };
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

  const one = await schedulerRound(1);
  rows.push(line('scheduler, 1 worker', one));
  say(rows.at(-1)!);
  for (let i = 1; i <= REPEAT; i += 1) {
    const engine = await engineRound();
    rows.push(line(`baseline: engine alone, 2 processes (${i})`, engine));
    say(rows.at(-1)!);
    p99.engine.push(percentile(engine.delays, 99));
    const two = await schedulerRound(2);
    rows.push(line(`scheduler, 2 workers (${i})`, two));
    say(rows.at(-1)!);
    p99.scheduler.push(two.delays.length < COUNT ? Infinity : percentile(two.delays, 99));
  }
  const best = median(p99.scheduler);
  const report = [
    '',
    `## ${new Date().toISOString().slice(0, 10)} — scheduler: ${COUNT} integrations due on the same minute`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, shared with other helpers (load average at each start). Workers with WORKER_CONCURRENCY=${WORKER_ENV.WORKER_CONCURRENCY}, WORKER_POLL_MS=${WORKER_ENV.WORKER_POLL_MS}; demo connector, 3 orders a run. Delay = execution start − due time (baseline: − common start). CPU/run: the workers' (or engine processes') own CPU during the burst ÷ runs; machine busy/run: all CPU busy on the machine (PostgreSQL and other helpers included) ÷ runs.`,
    '',
    '| run | runs started | p50 | p99 | max | CPU/run | machine busy/run | load avg |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| p99 delay < 2 s with two workers | ${seconds(best)} (median of ${REPEAT}; engine-alone baseline p99 ${seconds(median(p99.engine))}) | ${best < 2000 ? 'met' : '**missed**'} |`,
    '',
  ];
  await appendFile(here('RESULTS.md'), report.join('\n'));
  say(report.join('\n'));
} finally {
  await scheduler.close();
  await app.close();
  await dropDatabase(DATABASE_URL);
}
