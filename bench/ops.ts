/**
 * The operations benchmark: what one /metrics scrape and one /healthz probe cost on a big
 * database — 200,000 executions, 1,000,000 items, 200,000 delivered Slack messages, 2,000
 * scheduled jobs — with the partial index on queued / running executions, and (same run, the
 * baseline) without it; plus what a naive "items by status" count over sync_item would cost.
 * Sizes via BENCH_EXECUTIONS and BENCH_ITEMS; BENCH_KEEP=1 keeps the database. Appends to bench/RESULTS.md.
 */
import { appendFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBenchApp } from './bench-app.js';
import { loadConfig } from '../src/config/config.js';
import { dropDatabase } from '../src/db/database.js';
import { OpsRepository } from '../src/db/ops.repository.js';
import { createPool } from '../src/db/pool.js';
import { checkHealth } from '../src/ops/health-check.js';
import { Metrics } from '../src/ops/metrics.js';

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 200_000);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tether_bench_ops';
const say = (text: string) => process.stdout.write(`${text}\n`);
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

async function timed(times: number, work: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const ms: number[] = [];
  await work(); // warm-up
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await work();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[ms.length >> 1]!, p95: ms[Math.floor(ms.length * 0.95)]! };
}

await dropDatabase(DATABASE_URL);
const config = loadConfig({ DATABASE_URL }, 'test', { logLevel: 'error' });
const app = await startBenchApp(config);
const opsPool = createPool(DATABASE_URL, 2);
try {
  const started = performance.now();
  await app.pool.query(
    `INSERT INTO integration (key, name, connector, domains, config) SELECT 'shop-' || i, 'Shop ' || i, 'demo', ARRAY['sales_orders'], '{}' FROM generate_series(1, 100) i`,
  );
  // Terminal runs spread over a year, then a few queued and one running per pair for ten pairs.
  await app.pool.query(
    `INSERT INTO sync_execution (integration_id, domain_type, status, trigger, dry_run, queued_at, started_at, finished_at, duration_ms, success_count, failed_count)
     SELECT 1 + n % 100, 'sales_orders', (ARRAY['success', 'partial', 'failed'])[1 + n % 3], 'scheduled', false,
            now() - make_interval(mins => $1 - n), now() - make_interval(mins => $1 - n), now() - make_interval(mins => $1 - n) + interval '40 seconds', 40000, 950, n % 9
       FROM generate_series(1, $1) n`,
    [EXECUTIONS],
  );
  await app.pool.query(
    `INSERT INTO sync_execution (integration_id, domain_type, status, trigger, dry_run, queued_at, started_at)
     SELECT 1 + n % 10, 'sales_orders', CASE WHEN n <= 10 THEN 'running' ELSE 'queued' END, 'manual', false, now() - make_interval(secs => n), CASE WHEN n <= 10 THEN now() END
       FROM generate_series(1, 30) n`,
  );
  await app.pool.query(
    `INSERT INTO sync_item (execution_id, domain_type, external_id, status, fetched_at)
     SELECT 1 + n % $2, 'sales_orders', 'ORD-' || n, (ARRAY['success', 'success', 'success', 'failed', 'skipped'])[1 + n % 5], now()
       FROM generate_series(1, $1) n`,
    [ITEMS, EXECUTIONS],
  );
  await app.pool.query(
    `INSERT INTO slack_message (kind, execution_id, channel, version, delivered_version, ts, created_at)
     SELECT 'run', n, 'C0OPS', 3, CASE WHEN n % 40000 = 0 THEN 2 ELSE 3 END, '1.' || n, now() - make_interval(mins => $1 - n)
       FROM generate_series(1, $1) n`,
    [EXECUTIONS],
  );
  await app.pool.query(
    `INSERT INTO agenda_jobs (name, next_run_at, data, repeat_interval) SELECT 'sync-integration', now() + make_interval(mins => n % 60), '{}', '0 * * * *' FROM generate_series(1, 2000) n`,
  );
  for (const table of ['sync_execution', 'sync_item', 'slack_message', 'agenda_jobs']) await app.pool.query(`VACUUM ANALYZE ${table}`);
  const seededS = (performance.now() - started) / 1000;
  say(`seeded in ${seededS.toFixed(1)} s`);

  const ops = new OpsRepository(opsPool, true);
  const metrics = new Metrics(ops, 45_000);
  const health = () =>
    checkHealth({ ops, workerId: () => 'bench-worker', workerStaleMs: 45_000, slack: () => null, outboxMaxOverdueMs: 300_000, stopping: () => false });
  const queueSql = `SELECT count(*) FILTER (WHERE status = 'queued') AS queued, count(*) FILTER (WHERE status = 'running') AS running,
                           min(queued_at) FILTER (WHERE status = 'queued') FROM sync_execution WHERE status IN ('queued', 'running')`;
  const plan = async () => {
    const { rows } = await opsPool.query(`EXPLAIN (ANALYZE, BUFFERS) ${queueSql}`);
    const lines = rows.map((row) => row['QUERY PLAN'] as string);
    return { node: lines.find((line) => /Scan/.test(line))!.trim().replace(/\s+\(cost.*$/, ''), ms: Number(/Execution Time: ([\d.]+) ms/.exec(lines.at(-1)!)?.[1]) };
  };

  const withIndex = { scrape: await timed(50, () => metrics.render()), probe: await timed(50, health), plan: await plan() };
  await opsPool.query('DROP INDEX sync_execution_active_index');
  await opsPool.query('ANALYZE sync_execution');
  const without = { scrape: await timed(50, () => metrics.render()), probe: await timed(50, health), plan: await plan() };
  await opsPool.query(`CREATE INDEX sync_execution_active_index ON sync_execution (status, queued_at) WHERE status IN ('queued', 'running')`);
  const naive = await timed(5, () => opsPool.query(`SELECT status, count(*) FROM sync_item GROUP BY status`));
  const text = await metrics.render();
  say(text.split('\n').filter((line) => line.startsWith('tether_')).join('\n'));

  const row = (what: string, a: { median: number; p95: number }, b: { median: number; p95: number }) =>
    `| ${what} | ${a.median.toFixed(1)} ms | ${a.p95.toFixed(1)} ms | ${b.median.toFixed(1)} ms | ${b.p95.toFixed(1)} ms |`;
  const report = [
    '',
    `## ${new Date().toISOString().slice(0, 10)} — operations: /metrics and /healthz on ${EXECUTIONS.toLocaleString('en-US')} executions and ${ITEMS.toLocaleString('en-US')} items`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ` +
      `PostgreSQL ${(await app.pool.query('SHOW server_version')).rows[0].server_version.split(' ')[0]} (local), shared with other work (load varies).`,
    '',
    `Seeded ${EXECUTIONS.toLocaleString('en-US')} terminal executions + 20 queued + 10 running, ${ITEMS.toLocaleString('en-US')} items, ${EXECUTIONS.toLocaleString('en-US')} Slack messages (5 pending), 2,000 scheduled jobs in ${seededS.toFixed(0)} s. 50 calls after a warm-up; the baseline is the same run with the partial index \`sync_execution_active_index\` dropped.`,
    '',
    '| measured | median | p95 | baseline median (no index) | baseline p95 |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('`/metrics` render (4 queries + prom-client text)', withIndex.scrape, without.scrape),
    row('`/healthz` checks (4 queries)', withIndex.probe, without.probe),
    `| queued / running query plan | ${withIndex.plan.node}, ${withIndex.plan.ms} ms | | ${without.plan.node}, ${without.plan.ms} ms | |`,
    `| for comparison: items by status counted over sync_item (what the counters avoid) | ${naive.median.toFixed(0)} ms | ${naive.p95.toFixed(0)} ms | | |`,
    '',
  ];
  await appendFile(here('RESULTS.md'), report.join('\n'));
  say(report.join('\n'));
} finally {
  await opsPool.end();
  await app.close();
  if (!process.env.BENCH_KEEP) await dropDatabase(DATABASE_URL);
}
