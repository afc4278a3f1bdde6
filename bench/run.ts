/**
 * `npm run bench`: the sync benchmark. Appends its results to bench/RESULTS.md.
 *   BENCH_ORDERS (default 1,000,000) and BENCH_SMALL (default 100,000) set the sizes.
 * Every sync runs in its own child process (peak RSS is per run); the fake feed runs in another.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { seedCatalog, startBenchApp, type BenchApp } from './bench-app.js';
import { loadConfig } from '../src/config/config.js';
import { dropDatabase } from '../src/db/database.js';
import { ERROR_ANALYSIS_SQL } from '../src/db/execution-rows.js';
import { readCsvFile } from '../src/io/csv-file.js';
import { createLogger } from '../src/logging.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const SMALL = Number(process.env.BENCH_SMALL ?? 100_000);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tether_bench';
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const say = (text: string) => process.stdout.write(`${text}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface RunResult {
  id: number;
  status: string;
  recordsFetched: number;
  successCount: number;
  failedCount: number;
  skippedCount: number;
  wallMs: number;
  maxRssMb: number;
  rowsWritten: number;
}

function startFeed(orders: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', here('feed-server.ts'), String(orders)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve({ url: chunk.toString().trim(), child }));
    child.once('exit', (code) => reject(new Error(`feed server exited with ${code}`)));
  });
}

async function runSync(app: BenchApp, integrationKey: string): Promise<RunResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', here('sync-child.ts'), integrationKey, 'sales_orders'], {
    env: { ...process.env, DATABASE_URL, LOG_LEVEL: 'error' },
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
  if (result.status === 'failed') throw new Error(`${integrationKey} failed: ${JSON.stringify(result.error)}`);
  const written = await app.pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM sync_item WHERE execution_id = $1)
          + (SELECT count(*) FROM sync_item_error WHERE execution_id = $1)
          + (SELECT count(*) FROM sales_order WHERE synced_at >= e.started_at AND integration_id = e.integration_id)
          + (SELECT count(*) FROM sales_order_line l JOIN sales_order o ON o.id = l.order_id
             WHERE o.synced_at >= e.started_at AND o.integration_id = e.integration_id) AS n
     FROM sync_execution e WHERE e.id = $1`,
    [result.id],
  );
  const run = { ...result, rowsWritten: Number(written.rows[0]!.n) } as RunResult;
  say(
    `  ${integrationKey}: ${run.status}, ${fmt(run.recordsFetched)} records in ${(run.wallMs / 1000).toFixed(1)} s = ` +
      `${fmt(run.recordsFetched / (run.wallMs / 1000))} records/s, ${fmt(run.rowsWritten / (run.wallMs / 1000))} rows/s, peak RSS ${fmt(run.maxRssMb)} MB`,
  );
  return run;
}

async function timeMs(work: () => Promise<unknown>, times = 5): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

/** Raw COPY of exactly the rows the sync wrote, into the same (emptied) tables. */
async function copyBaseline(app: BenchApp, executionId: number): Promise<{ rows: number; ms: number }> {
  const tables = [
    ['sales_order', 'SELECT * FROM sales_order'],
    ['sales_order_line', 'SELECT * FROM sales_order_line'],
    ['sync_item', `SELECT * FROM sync_item WHERE execution_id = ${executionId}`],
    ['sync_item_error', `SELECT * FROM sync_item_error WHERE execution_id = ${executionId}`],
  ] as const;
  for (const [table, query] of tables) await app.pool.query(`COPY (${query}) TO '/tmp/tether-bench-${table}.copy'`);
  await app.pool.query(`DELETE FROM sync_item_error WHERE execution_id = ${executionId}`);
  await app.pool.query(`DELETE FROM sync_item WHERE execution_id = ${executionId}`);
  await app.pool.query('TRUNCATE sales_order, sales_order_line');
  await app.pool.query('CHECKPOINT');
  let rows = 0;
  const started = performance.now();
  for (const [table] of tables) {
    const result = await app.pool.query(`COPY ${table} FROM '/tmp/tether-bench-${table}.copy'`);
    rows += result.rowCount ?? 0;
  }
  return { rows, ms: performance.now() - started };
}


await dropDatabase(DATABASE_URL);
const config = loadConfig({ DATABASE_URL }, 'test', { logLevel: 'error' });
const app = await startBenchApp(config);
const feeds = [await startFeed(ORDERS), await startFeed(SMALL)];
try {
  const demo = (orders: number) => ({ orders, seed: 1, sku_count: 200, page_size: 1000, overlap: 0, unmapped_sku_rate: 0.017, unmapped_channel_rate: 0, invalid_rate: 0, start: '2026-01-01T00:00:00.000Z' });
  const base = { domains: ['sales_orders' as const], credentials: {}, schedule: null, enabled: true, dryRun: false, matchSkuCodes: false, slackChannel: null, notify: 'problems' as const };
  await app.integrations.apply(
    [
      { ...base, key: 'feed-big', name: 'feed big', connector: 'http-json', config: { base_url: feeds[0]!.url, page_size: 1000 }, credentials: { token: 'bench-token' } },
      { ...base, key: 'feed-small', name: 'feed small', connector: 'http-json', config: { base_url: feeds[1]!.url, page_size: 1000 }, credentials: { token: 'bench-token' } },
      { ...base, key: 'demo-big', name: 'demo big', connector: 'demo', config: demo(ORDERS) },
      { ...base, key: 'demo-small', name: 'demo small', connector: 'demo', config: demo(SMALL) },
    ], { actor: 'bench' });
  await seedCatalog(app, ['feed-big', 'feed-small', 'demo-big', 'demo-small']);

  say(`Sync benchmark: ${fmt(ORDERS)} and ${fmt(SMALL)} orders`);
  const feedBig = await runSync(app, 'feed-big');
  const copy = await copyBaseline(app, feedBig.id);
  const copyRate = copy.rows / (copy.ms / 1000);
  say(`  raw COPY of the same ${fmt(copy.rows)} rows into the same tables: ${(copy.ms / 1000).toFixed(1)} s = ${fmt(copyRate)} rows/s`);

  const analysisMs = await timeMs(() => app.pool.query(ERROR_ANALYSIS_SQL, [feedBig.id]));
  const failedIds = (await app.pool.query<{ id: number }>(`SELECT id FROM sync_item WHERE execution_id = $1 AND status IN ('failed', 'partial_mapped') ORDER BY id`, [feedBig.id])).rows.map((r) => r.id);
  const { encodeItemCursor } = await import('../src/db/executions.repository.js');
  const pageTimes: Record<string, number> = {};
  for (const [label, depth] of [['first page', null], ['middle', 0.5], ['last', 0.99]] as const) {
    const after = depth === null ? undefined : encodeItemCursor(failedIds[Math.floor(failedIds.length * depth)]!);
    for (const search of ['ACME', 'DEMO-ORD-0000042']) {
      pageTimes[`${label}, search "${search}"`] = await timeMs(() =>
        app.executions.items(feedBig.id, { statuses: ['failed', 'partial_mapped'], search }, { limit: 50, after }),
      );
    }
  }
  await app.admin.reset('feed-big', { domainType: 'sales_orders', actor: 'bench' });
  const feedRerun = await runSync(app, 'feed-big');
  const feedSmall = await runSync(app, 'feed-small');
  const demoBig = await runSync(app, 'demo-big');
  const demoSmall = await runSync(app, 'demo-small');

  const worstPage = Math.max(...Object.values(pageTimes));
  const check = (ok: boolean) => (ok ? 'met' : '**missed**');
  const rowsRate = (run: RunResult) => run.rowsWritten / (run.wallMs / 1000);
  const lines = [
    '',
    `## ${new Date().toISOString().slice(0, 10)} — ${fmt(ORDERS)} / ${fmt(SMALL)} orders`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${fmt(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ` +
      `${(await app.pool.query('SHOW server_version')).rows[0].server_version.split(' ')[0]} PostgreSQL (local).`,
    '',
    '| run | records | wall | records/s | rows written/s | peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...([
      ['http-json, first run', feedBig],
      ['http-json, re-run, nothing changed (all skipped)', feedRerun],
      ['http-json, first run (small)', feedSmall],
      ['demo, first run', demoBig],
      ['demo, first run (small)', demoSmall],
    ] as const).map(
      ([label, run]) =>
        `| ${label} | ${fmt(run.recordsFetched)} | ${(run.wallMs / 1000).toFixed(1)} s | ${fmt(run.recordsFetched / (run.wallMs / 1000))} | ${fmt(rowsRate(run))} | ${fmt(run.maxRssMb)} MB |`,
    ),
    `| raw \`COPY\` of the same rows, same tables | ${fmt(copy.rows)} rows | ${(copy.ms / 1000).toFixed(1)} s | | ${fmt(copyRate)} | |`,
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| rows written/s ≥ 50% of COPY | ${Math.round((100 * rowsRate(feedBig)) / copyRate)}% (http-json), ${Math.round((100 * rowsRate(demoBig)) / copyRate)}% (demo) | ${check(rowsRate(feedBig) >= copyRate / 2)} |`,
    `| peak RSS at ${fmt(ORDERS)} ≤ 1.2 × at ${fmt(SMALL)} | ${(feedBig.maxRssMb / feedSmall.maxRssMb).toFixed(2)}× (http-json), ${(demoBig.maxRssMb / demoSmall.maxRssMb).toFixed(2)}× (demo) | ${check(feedBig.maxRssMb <= 1.2 * feedSmall.maxRssMb && demoBig.maxRssMb <= 1.2 * demoSmall.maxRssMb)} |`,
    `| error analysis of the ${fmt(feedBig.recordsFetched)}-item execution < 1 s | ${analysisMs.toFixed(0)} ms (median of 5) | ${check(analysisMs < 1000)} |`,
    `| items page by status + search, any depth < 20 ms | worst ${worstPage.toFixed(1)} ms (${Object.entries(pageTimes).map(([k, v]) => `${k}: ${v.toFixed(1)}`).join('; ')}) | ${check(worstPage < 20)} |`,
    `| re-run with nothing changed ≥ 3× faster | ${(feedBig.wallMs / feedRerun.wallMs).toFixed(2)}× | ${check(feedBig.wallMs / feedRerun.wallMs >= 3)} |`,
    '',
  ];
  await appendFile(here('RESULTS.md'), lines.join('\n'));
  say(lines.join('\n'));
} finally {
  for (const feed of feeds) feed.child.kill('SIGTERM');
  await app.close();
  if (!process.env.BENCH_KEEP_DATABASE) await dropDatabase(DATABASE_URL);
}
