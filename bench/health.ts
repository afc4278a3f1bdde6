/**
 * The health benchmark: 1,000 integrations × 2 domain types × 200 terminal runs each (400,000
 * executions, realistic error analyses), then the one query health reads for every pair
 * (EXPLAIN ANALYZE), and the whole `health.all()` / `health.pair()` as the App Home and the CLI
 * call them. Sizes via BENCH_INTEGRATIONS and BENCH_RUNS; BENCH_KEEP=1 keeps the database. Appends to bench/RESULTS.md.
 */
import { appendFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBenchApp } from './bench-app.js';
import { loadConfig } from '../src/config/config.js';
import { dropDatabase } from '../src/db/database.js';
import { RECENT_RUNS_SQL } from '../src/db/health.repository.js';

const INTEGRATIONS = Number(process.env.BENCH_INTEGRATIONS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tether_bench_health';
const say = (text: string) => process.stdout.write(`${text}\n`);
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

async function timed<T>(times: number, work: () => Promise<T>): Promise<{ median: number; result: T }> {
  const ms: number[] = [];
  let result!: T;
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    result = await work();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[ms.length >> 1]!, result };
}

await dropDatabase(DATABASE_URL);
const config = loadConfig({ DATABASE_URL }, 'test', { logLevel: 'error' });
const app = await startBenchApp(config);
try {
  const started = performance.now();
  // Integrations: a few crons and zones, as real deployments have; every tenth disabled.
  await app.pool.query(
    `INSERT INTO integration (key, name, connector, domains, config, cron, timezone, enabled, updated_at)
     SELECT 'shop-' || lpad(i::text, 5, '0'), 'Shop ' || i, 'demo', ARRAY['sales_orders', 'warehouse_inventory'], '{}'::jsonb,
            (ARRAY['0 * * * *', '*/30 * * * *', '0 6 * * 1-5', NULL])[1 + i % 4],
            (ARRAY['UTC', 'Europe/Berlin', 'America/New_York'])[1 + i % 3], i % 10 <> 0, now() - interval '30 days'
       FROM generate_series(1, $1) i`,
    [INTEGRATIONS],
  );
  // Runs, oldest first per pair (ids rise with time): mostly success / partial, some failures,
  // a queued or cancelled one now and then; partial runs carry an error analysis with 3–50 SKUs.
  await app.pool.query(
    `INSERT INTO sync_execution (integration_id, domain_type, status, trigger, dry_run, queued_at, started_at, finished_at, duration_ms,
                                 records_fetched, success_count, failed_count, skipped_count, error_category, error_message, error_analysis)
     SELECT i.id, d.domain_type, s.status, 'scheduled', false, t.at, t.at, t.at + make_interval(secs => t.duration / 1000.0), t.duration,
            t.fetched, t.fetched - t.failed, t.failed, 0,
            CASE WHEN s.status = 'failed' THEN 'connection' END,
            CASE WHEN s.status = 'failed' THEN 'Could not reach the source' END,
            CASE WHEN s.status = 'partial' THEN jsonb_build_object(
              'unmappedSkus', (SELECT jsonb_agg(jsonb_build_object('value', 'SKU-' || k, 'count', 1 + k % 7)) FROM generate_series(1, 3 + (r.n * 7 + i.id) % 48) k),
              'unmappedChannels', '[]'::jsonb,
              'topErrors', (SELECT jsonb_agg(jsonb_build_object('message', 'Unmapped SKU "SKU-' || k || '"', 'count', 1 + k % 7)) FROM generate_series(1, 3 + (r.n * 7 + i.id) % 48) k))
            ELSE jsonb_build_object('unmappedSkus', '[]'::jsonb, 'unmappedChannels', '[]'::jsonb, 'topErrors', '[]'::jsonb) END
       FROM integration i
      CROSS JOIN unnest(i.domains) AS d(domain_type)
      CROSS JOIN generate_series(1, $1) AS r(n)
      CROSS JOIN LATERAL (SELECT CASE WHEN (r.n + i.id) % 29 = 0 THEN 'failed' WHEN (r.n + i.id) % 41 = 0 THEN 'cancelled'
                                      WHEN (r.n + i.id) % 5 = 0 THEN 'partial' ELSE 'success' END AS status) s
      CROSS JOIN LATERAL (SELECT now() - make_interval(hours => $1 - r.n) AS at,
                                 40000 + (r.n * 7919 + i.id * 104729) % 30000 AS duration,
                                 950 + (r.n * 31 + i.id * 17) % 151 AS fetched,
                                 CASE WHEN s.status = 'partial' THEN 1 + (r.n + i.id) % 9 ELSE 0 END AS failed) t
      ORDER BY i.id, d.domain_type, r.n`,
    [RUNS],
  );
  await app.pool.query('VACUUM ANALYZE sync_execution');
  await app.pool.query('VACUUM ANALYZE integration');
  const executions = (await app.pool.query('SELECT count(*)::int AS n FROM sync_execution')).rows[0].n as number;
  say(`seeded ${INTEGRATIONS} integrations, ${executions} executions in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const { rows: pairs } = await app.pool.query<{ id: number; domain_type: string }>(
    `SELECT i.id, d.domain_type FROM integration i CROSS JOIN unnest(i.domains) d(domain_type) ORDER BY i.id, d.domain_type`,
  );
  const params = [pairs.map((p) => p.id), pairs.map((p) => p.domain_type), ['success', 'partial', 'failed', 'interrupted'], 23];
  const explain = async (sql: string, values: unknown[]) =>
    (await app.pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values)).rows.map((row) => row['QUERY PLAN'] as string);
  // Warm the cache once, then read the plan (as the repository runs it: JIT off).
  await app.pool.query(RECENT_RUNS_SQL, params);
  const client = await app.pool.connect();
  const [plan, statement, jitStatement] = await (async () => {
    try {
      const withJit = await timed(5, () => client.query(RECENT_RUNS_SQL, params));
      await client.query('SET jit = off');
      const explained = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${RECENT_RUNS_SQL}`, params)).rows.map((row) => row['QUERY PLAN'] as string);
      const withoutJit = await timed(5, () => client.query(RECENT_RUNS_SQL, params));
      return [explained, withoutJit.median, withJit.median] as const;
    } finally {
      await client.query('RESET jit');
      client.release();
    }
  })();
  const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan.at(-1)!)?.[1]);
  say(plan.join('\n'));

  // For comparison: the same rows through a window function over every execution.
  const WINDOW_SQL = `
    SELECT * FROM (
      SELECT e.id, e.integration_id, e.domain_type, e.status, e.records_fetched, e.failed_count, e.duration_ms, e.error_analysis,
             row_number() OVER (PARTITION BY e.integration_id, e.domain_type ORDER BY e.id DESC) AS n
        FROM sync_execution e WHERE e.status = ANY($1::text[])) ranked
     WHERE n <= $2`;
  await app.pool.query(WINDOW_SQL, [params[2], 23]);
  const windowPlan = await explain(WINDOW_SQL, [params[2], 23]);
  const windowMs = Number(/Execution Time: ([\d.]+) ms/.exec(windowPlan.at(-1)!)?.[1]);
  say(windowPlan.join('\n'));

  const all = await timed(5, () => app.health.all({}));
  const home = await timed(5, () => app.health.all({ limit: 25 }));
  const one = await timed(5, () => app.health.pair('shop-00500', 'sales_orders'));
  const states = all.result.pairs.reduce<Record<string, number>>((acc, pair) => ((acc[pair.overall] = (acc[pair.overall] ?? 0) + 1), acc), {});
  say(`health.all(): ${all.result.pairs.length} pairs in ${all.median.toFixed(0)} ms (median of 5); overall: ${JSON.stringify(states)}`);

  const report = [
    '',
    `## ${new Date().toISOString().slice(0, 10)} — health: ${INTEGRATIONS.toLocaleString('en-US')} integrations × 2 domain types × ${RUNS} runs`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ` +
      `${(await app.pool.query('SHOW server_version')).rows[0].server_version.split(' ')[0]} PostgreSQL (local).`,
    '',
    `${executions.toLocaleString('en-US')} executions (about 1 in 5 partial with a 3–50 SKU error analysis, 1 in 29 failed, 1 in 41 cancelled). Median of 5 after one warm-up; EXPLAIN ANALYZE of the one statement health reads, with the integrations' ${pairs.length.toLocaleString('en-US')} pairs.`,
    '',
    '| measured | time |',
    '| --- | ---: |',
    `| recent-runs statement, all ${pairs.length.toLocaleString('en-US')} pairs × 23 runs (LATERAL index walks), EXPLAIN ANALYZE execution time | ${executionMs.toFixed(0)} ms |`,
    `| the same statement from Node, rows received (JIT off, as health runs it) | ${statement.toFixed(0)} ms |`,
    `| the same statement with JIT on (the server default) | ${jitStatement.toFixed(0)} ms |`,
    `| the same rows by a window function over every execution, EXPLAIN ANALYZE execution time | ${windowMs.toFixed(0)} ms |`,
    `| \`health.all()\`: every pair, end to end (statement + assessment + trends) | ${all.median.toFixed(0)} ms |`,
    `| \`health.all({ limit: 25 })\` (an App Home's worth of integrations) | ${home.median.toFixed(1)} ms |`,
    `| \`health.pair()\` (after a run, or \`tether health <integration>\`) | ${one.median.toFixed(1)} ms |`,
    '',
  ];
  await appendFile(here('RESULTS.md'), report.join('\n'));
  say(report.join('\n'));
} finally {
  await app.close();
  if (!process.env.BENCH_KEEP) await dropDatabase(DATABASE_URL);
}
