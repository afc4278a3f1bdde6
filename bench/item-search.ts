/**
 * `npm run bench:search` (part of `npm run bench`): the items page by status + search, and the
 * Slack modal's searches over every item, on a BENCH_ORDERS-item execution (default 1,000,000),
 * measured right after the run that wrote it: no ANALYZE (autovacuum may be off), as someone
 * paging through failures minutes after a big run sees it.
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tether_bench_itemsearch) is
 * dropped first and at the end (BENCH_KEEP_DATABASE=1 keeps it; BENCH_REUSE=1 reuses a kept one
 * and forgets its planner statistics first, as if never analyzed).
 */
import { execFile } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { seedCatalog, startBenchApp, type BenchApp } from './bench-app.js';
import { loadConfig } from '../src/config/config.js';
import { dropDatabase } from '../src/db/database.js';
import { encodeItemCursor, type ItemFilter } from '../src/db/executions.repository.js';
import { SEARCH_SCAN_IDS } from '../src/db/item-scan.js';
import type { ItemStatus } from '../src/domain/statuses.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tether_bench_itemsearch';
const REUSE = process.env.BENCH_REUSE === '1';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 7);
const KEY = 'shop-big';
const PAGE = 25;
const PROBLEMS: ItemStatus[] = ['failed', 'partial_mapped'];
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const say = (text: string) => process.stdout.write(`${text}\n`);


/** The big run, in a process of its own (as a worker would run it). Returns its execution id. */
async function runBigSync(app: BenchApp): Promise<number> {
  const base = { domains: ['sales_orders' as const], credentials: {}, schedule: null, enabled: true, dryRun: false, matchSkuCodes: false, slackChannel: null, notify: 'problems' as const };
  const config = { orders: ORDERS, seed: 1, sku_count: 200, page_size: 1000, overlap: 0, unmapped_sku_rate: 0.017, unmapped_channel_rate: 0.002, invalid_rate: 0.001, start: '2026-01-01T00:00:00.000Z' };
  await app.integrations.apply([{ ...base, key: KEY, name: 'Shop (big)', connector: 'demo', config }], { actor: 'bench' });
  await seedCatalog(app, [KEY]);
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', here('sync-child.ts'), KEY, 'sales_orders'], {
    env: { ...process.env, DATABASE_URL, LOG_LEVEL: 'error' },
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { id: number; status: string };
  say(`  the run: #${result.id} ${result.status} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result.id;
}

interface Case {
  label: string;
  filter: ItemFilter;
  afterId: number;
}

interface Measured {
  label: string;
  ms: number[];
  baselineMs: number[];
  items: number;
  searchedPercent: number | null;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
const load = (): string => loadavg().map((n) => n.toFixed(2)).join(' / ');
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The same filter as one plain statement read by a sequential scan (index scans off): the
 * same-run baseline, and the check — the page must hold exactly the ids this returns (up to
 * where a scan-limited search stopped).
 */
async function plainScan(app: BenchApp, executionId: number, c: Case, upTo: number | null): Promise<number[]> {
  const client = await app.pool.connect();
  try {
    await client.query('BEGIN READ ONLY; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; SET LOCAL enable_bitmapscan = off');
    const { rows } = await client.query<{ id: number }>(
      `SELECT id FROM sync_item WHERE execution_id = $1 AND id > $2 AND ($3::text[] IS NULL OR status = ANY($3))
         AND ($4::text IS NULL OR external_id ILIKE $4 OR error_message ILIKE $4) AND ($5::bigint IS NULL OR id <= $5)
       ORDER BY id LIMIT $6`,
      [executionId, c.afterId, c.filter.statuses ?? null, c.filter.search ? likePattern(c.filter.search) : null, upTo, PAGE],
    );
    await client.query('COMMIT');
    return rows.map((row) => Number(row.id));
  } finally {
    client.release();
  }
}

async function measure(app: BenchApp, executionId: number, c: Case): Promise<Measured> {
  const times: number[] = [];
  const baseline: number[] = [];
  let items = 0;
  let searchedPercent: number | null = null;
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    const page = await app.executions.items(executionId, c.filter, { limit: PAGE, after: c.afterId > 0 ? encodeItemCursor(c.afterId) : undefined });
    times.push(performance.now() - started);
    const baseStarted = performance.now();
    const expected = await plainScan(app, executionId, c, page.searchedUpTo?.itemId ?? null);
    baseline.push(performance.now() - baseStarted);
    const ids = page.items.map((item) => item.id);
    if (JSON.stringify(ids) !== JSON.stringify(expected)) throw new Error(`${c.label}: page ${JSON.stringify(ids)} differs from the plain scan's ${JSON.stringify(expected)}`);
    items = ids.length;
    searchedPercent = page.searchedUpTo ? Math.floor(page.searchedUpTo.fraction * 100) : null;
  }
  say(`  ${c.label}: median ${ms(median(times))} ms (max ${ms(Math.max(...times))}), plain scan ${ms(median(baseline))} ms, ${items} items${searchedPercent === null ? '' : `, searched ${searchedPercent} %`}`);
  return { label: c.label, ms: times, baselineMs: baseline, items, searchedPercent };
}

/** First, middle and last page of failed + partially mapped items, by search; and searches over every status. */
async function cases(app: BenchApp, executionId: number): Promise<{ problems: Case[]; everything: Case[] }> {
  const { rows } = await app.pool.query<{ id: number; external_id: string }>(
    `SELECT id, external_id FROM sync_item WHERE execution_id = $1 AND status IN ('failed', 'partial_mapped') ORDER BY id`,
    [executionId],
  );
  const problemIds = rows.map((row) => Number(row.id));
  const rare = rows[Math.floor(rows.length * 0.75)]!.external_id; // one problem item, 75 % deep
  const { rows: success } = await app.pool.query<{ external_id: string }>(
    `SELECT external_id FROM sync_item WHERE execution_id = $1 AND status = 'success' ORDER BY id OFFSET $2 LIMIT 1`,
    [executionId, Math.floor(ORDERS * 0.75)],
  );
  const problems: Case[] = [];
  for (const [depth, at] of [['first page', null], ['middle', 0.5], ['last', 0.99]] as const) {
    const afterId = at === null ? 0 : problemIds[Math.floor(problemIds.length * at)]!;
    for (const search of ['ACME', rare, 'DEMO-ORD-0000042']) {
      const what = search === rare ? `rare id ${search}` : search === 'ACME' ? 'common "ACME"' : `absent ${search}`;
      problems.push({ label: `problems, ${what}, ${depth}`, filter: { statuses: PROBLEMS, search }, afterId });
    }
  }
  const everything: Case[] = [
    { label: 'status all, first page', filter: {}, afterId: 0 },
    { label: 'status all, domain sales_orders, first page', filter: { domainType: 'sales_orders' }, afterId: 0 },
    { label: 'status all, search common "ACME"', filter: { search: 'ACME' }, afterId: 0 },
    { label: `status all, search rare problem id ${rare}`, filter: { search: rare }, afterId: 0 },
    { label: `status all, search success id ${success[0]!.external_id}`, filter: { search: success[0]!.external_id }, afterId: 0 },
    { label: 'status success, search "ACME" (no match)', filter: { statuses: ['success'], search: 'ACME' }, afterId: 0 },
  ];
  return { problems, everything };
}

if (!REUSE) await dropDatabase(DATABASE_URL);
const config = loadConfig({ DATABASE_URL }, 'test', { logLevel: 'error' });
const app = await startBenchApp(config);
try {
  const loadAt: string[] = [load()];
  const executionId = REUSE ? await forgetStatistics(app) : await runBigSync(app);
  const { rows: counts } = await app.pool.query(
    `SELECT count(*)::int AS items, count(*) FILTER (WHERE status IN ('failed', 'partial_mapped'))::int AS problems,
            (SELECT count(*)::int FROM pg_stats WHERE tablename = 'sync_item') AS stats
     FROM sync_item WHERE execution_id = $1`,
    [executionId],
  );
  const { items, problems: problemCount, stats } = counts[0];
  say(`Item search on execution #${executionId}: ${items.toLocaleString('en-US')} items, ${problemCount.toLocaleString('en-US')} failed or partially mapped; sync_item column statistics: ${stats}`);
  const { problems, everything } = await cases(app, executionId);
  const asLeft: Measured[] = [];
  for (const c of [...problems, ...everything]) asLeft.push(await measure(app, executionId, c));
  loadAt.push(load());
  await app.pool.query('ANALYZE sync_item');
  say('after ANALYZE sync_item:');
  const analyzed: Measured[] = [];
  for (const c of [...problems, ...everything]) analyzed.push(await measure(app, executionId, c));
  loadAt.push(load());

  const worstProblem = Math.max(...[...asLeft, ...analyzed].filter((m) => m.label.startsWith('problems')).map((m) => median(m.ms)));
  const worstOther = Math.max(...[...asLeft, ...analyzed].filter((m) => !m.label.startsWith('problems')).map((m) => Math.max(...m.ms)));
  const row = (left: Measured, after: Measured) =>
    `| ${left.label} | ${left.items}${left.searchedPercent === null ? '' : ` (searched ${left.searchedPercent} %)`} | ${ms(median(left.ms))} ms | ${ms(Math.max(...left.ms))} ms | ${ms(median(left.baselineMs))} ms | ${ms(median(after.ms))} ms | ${ms(Math.max(...after.ms))} ms | ${ms(median(after.baselineMs))} ms |`;
  const lines = [
    '',
    `## ${new Date().toISOString().slice(0, 10)} — items search on a ${items.toLocaleString('en-US')}-item execution, right after its run`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ` +
      `${(await app.pool.query('SHOW server_version')).rows[0].server_version.split(' ')[0]} PostgreSQL (local). Load average (1 / 5 / 15 min): ${loadAt.join(', then ')}.`,
    '',
    `The run (demo connector, ${ORDERS.toLocaleString('en-US')} orders, in a process of its own) wrote ${items.toLocaleString('en-US')} items, ${problemCount.toLocaleString('en-US')} of them failed or partially mapped. ` +
      `Measured at once — sync_item had ${stats} column statistics (never analyzed: autovacuum is off here) — then again after \`ANALYZE sync_item\`. ` +
      `Each row: ${SAMPLES} runs through the service (\`executions.items\`, ${PAGE} a page), median and max; the baseline is the same filter as one plain statement read by a sequential scan, in the same run, and every page was checked to hold exactly the ids that scan returns. ` +
      `Searches over every status examine at most ${SEARCH_SCAN_IDS.toLocaleString('en-US')} item ids a page ("searched N %": the page stopped there, Next continues).`,
    '',
    '| page | items | as left: median | max | plain scan | analyzed: median | max | plain scan |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...asLeft.map((left, i) => row(left, analyzed[i]!)),
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| items page by status (failed + partially mapped) + search, first / middle / last page < 20 ms, no ANALYZE | worst median ${ms(worstProblem)} ms | ${worstProblem < 20 ? 'met' : '**missed**'} |`,
    `| any other page or search (status all, domain, success) < 1 s | worst ${ms(worstOther)} ms | ${worstOther < 1000 ? 'met' : '**missed**'} |`,
    '',
  ];
  await appendFile(here('RESULTS.md'), lines.join('\n'));
  say(lines.join('\n'));
} finally {
  await app.close();
  if (!process.env.BENCH_KEEP_DATABASE && !REUSE) await dropDatabase(DATABASE_URL);
}

/** BENCH_REUSE: the kept database's execution, with sync_item's statistics forgotten (as never analyzed). */
async function forgetStatistics(app: BenchApp): Promise<number> {
  await app.pool.query(`DELETE FROM pg_statistic WHERE starelid = 'sync_item'::regclass`);
  await app.pool.query(`UPDATE pg_class SET reltuples = -1 WHERE oid = 'sync_item'::regclass`);
  const { rows } = await app.pool.query<{ id: number }>(`SELECT max(execution_id) AS id FROM sync_item`);
  return Number(rows[0]!.id);
}
