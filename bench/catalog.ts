/**
 * `npx tsx bench/catalog.ts`: the mapping form's two queries at size.
 *   - unmapped values (services.catalog.unmappedValues) over BENCH_KEPT (default 100,000) kept
 *     problem records: 90% orders of 1–4 lines (one unmapped SKU each, drawn from 2,000 with a skewed
 *     distribution; 5% with an unmapped channel too) and 10% inventory rows, 3 currencies;
 *   - catalog search (services.catalog.searchCatalog) over BENCH_SKUS (default 100,000) SKUs:
 *     200 searches, 1–4 letters and longer terms, p50 / p95 / p99 / max.
 * Prints EXPLAIN (ANALYZE, BUFFERS) of each kind of query and appends a summary to
 * bench/RESULTS.md. Uses its own database (BENCH_CATALOG_DATABASE_URL), dropped at the end
 * unless BENCH_KEEP=1 (then a later run with BENCH_KEEP=1 reuses it without seeding again).
 */
import { appendFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBenchApp, type BenchApp } from './bench-app.js';
import { loadConfig } from '../src/config/config.js';
import { catalogSearchParams, catalogSearchSql } from '../src/db/catalog-search.js';
import { dropDatabase } from '../src/db/database.js';
import { UNMAPPED_SETTINGS, unmappedPageSql } from '../src/db/unmapped-values.js';

const KEPT = Number(process.env.BENCH_KEPT ?? 100_000);
const SKUS = Number(process.env.BENCH_SKUS ?? 100_000);
const DATABASE_URL = process.env.BENCH_CATALOG_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tether_bench_catalog';
const KEEP = process.env.BENCH_KEEP === '1';
const say = (text: string) => process.stdout.write(`${text}\n`);
const BRANDS = ['ACME', 'NOVA', 'ZEN', 'ORBIT', 'PIXEL', 'TERRA', 'LUMA', 'KITE', 'BOLT', 'MOSS'];

async function seed(app: BenchApp): Promise<void> {
  const db = app.pool;
  await db.query(`SELECT setseed(0.42)`);
  await db.query(
    `INSERT INTO sku (code, name)
     SELECT format('%s-%s%s', (ARRAY['${BRANDS.join("','")}'])[1 + i % 10], lpad(i::text, 6, '0'),
                   CASE WHEN i % 3 = 0 THEN '-' || (ARRAY['RED','BLU','GRN','BLK','WHT'])[1 + i % 5] ELSE '' END),
            format('%s %s %s', initcap((ARRAY['${BRANDS.join("','")}'])[1 + i % 10]),
                   (ARRAY['T-shirt','Hoodie','Mug','Poster','Sticker','Cap','Socks','Bag','Notebook','Bottle','Lamp','Chair'])[1 + (i / 10) % 12],
                   (ARRAY['red','blue','green','black','white','small','large','XL'])[1 + (i / 7) % 8])
     FROM generate_series(1, $1::int) AS i`,
    [SKUS],
  );
  await db.query(`INSERT INTO channel (code, name) SELECT 'CH-' || i, 'Channel ' || i FROM generate_series(1, 10) AS i`);
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO integration (key, name, connector, domains, config, timezone, enabled, dry_run, match_sku_codes, notify, created_at, updated_at)
     VALUES ('bench-shop', 'Bench shop', 'demo', '{sales_orders,warehouse_inventory}', '{}', 'UTC', true, false, false, 'never', now(), now())
     RETURNING id`,
  );
  const integrationId = rows[0]!.id;
  // Every SKU has an external id EXT-<n>; the 2,000 NEW-<n> values are not mapped.
  await db.query(
    `INSERT INTO sku_external_id (integration_id, external_id, sku_id, created_at)
     SELECT $1, 'EXT-' || lpad(id::text, 6, '0'), id, now() FROM sku`,
    [integrationId],
  );
  await db.query(
    `INSERT INTO channel_external_id (integration_id, external_id, channel_id, created_at) SELECT $1, lower(code), id, now() FROM channel`,
    [integrationId],
  );
  const orders = Math.round(KEPT * 0.9);
  await db.query(
    `INSERT INTO problem_record (integration_id, domain_type, external_id, raw, record_ref, error_message, first_execution_id, seen_execution_id)
     SELECT $1, 'sales_orders', 'ORD-' || i, jsonb_build_object(
              'id', 'ORD-' || i, 'updated_at', '2026-11-01T00:00:00Z', 'ordered_at', '2026-11-01T00:00:00Z', 'status', 'paid',
              'channel', CASE WHEN random() < 0.05 THEN 'chan-new-' || (1 + floor(random() * 20)::int) ELSE 'ch-' || (1 + i % 10) END,
              'currency', (ARRAY['EUR','USD','GBP'])[1 + i % 3],
              'lines', (SELECT jsonb_agg(jsonb_build_object(
                          'sku', CASE WHEN n = 1 THEN 'NEW-' || (1 + floor(2000 * random() ^ 3)::int)
                                      ELSE 'EXT-' || lpad((1 + floor(random() * $2)::int)::text, 6, '0') END,
                          'quantity', 1 + floor(random() * 5)::int,
                          'unit_price', to_char(1 + random() * 200, 'FM9999990.00')))
                        FROM generate_series(1, 1 + i % 4) AS n)),
            'ORD-' || i, 'Unmapped SKU', 1, 1
     FROM generate_series(1, $3::int) AS i`,
    [integrationId, SKUS, orders],
  );
  await db.query(
    `INSERT INTO problem_record (integration_id, domain_type, external_id, raw, record_ref, error_message, first_execution_id, seen_execution_id)
     SELECT $1, 'warehouse_inventory', 'W' || (i % 5) || ':' || sku, jsonb_build_object('warehouse', 'W' || (i % 5), 'sku', sku, 'on_hand', 5, 'available', 4),
            'stock.csv line ' || i, 'Unmapped SKU', 1, 1
     FROM (SELECT i, 'NEW-' || (1 + floor(2000 * random() ^ 2)::int) || '-' || i AS sku FROM generate_series(1, $2::int) AS i) AS x`,
    [integrationId, KEPT - orders],
  );
  await db.query('VACUUM ANALYZE sku');
  await db.query('VACUUM ANALYZE problem_record');
  await db.query('VACUUM ANALYZE sku_external_id');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The 200 search terms: 1–4 letters and longer, common and rare, codes and names, and misses. */
function searchTerms(): string[] {
  const terms: string[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let state = 7;
  const next = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
  for (let i = 0; i < 40; i += 1) terms.push(letters[next(letters.length)]!); // 1 letter
  for (let i = 0; i < 40; i += 1) terms.push(letters[next(26)]! + letters[next(letters.length)]!); // 2 letters (mostly rare)
  for (let i = 0; i < 40; i += 1) terms.push(BRANDS[next(10)]!.slice(0, 3 + next(2)).toLowerCase()); // 3-4 letters, common prefixes
  for (let i = 0; i < 20; i += 1) terms.push(['hood', 'mug', 'lamp', 'xl', 'blu', '-red', 'oodi', 'ttle'][next(8)]!); // name / suffix parts
  for (let i = 0; i < 30; i += 1) terms.push(`${BRANDS[next(10)]}-${String(1 + next(SKUS)).padStart(6, '0')}`.slice(0, 7 + next(5))); // code prefixes, up to exact
  for (let i = 0; i < 10; i += 1) terms.push(String(10000 + next(89999))); // digits inside codes
  for (let i = 0; i < 10; i += 1) terms.push(['qzx', 'nothing-like-this', 'zz9', 'xylophone', 'blue whale'][next(5)]!); // misses
  for (let i = 0; i < 10; i += 1) terms.push(['Terra Lamp', 'nova hoodie', 'PIXEL-0123', 'kite-00009', 'moss'][next(5)]!);
  return terms;
}

async function explain(app: BenchApp, label: string, sql: string, params: unknown[], settings = ''): Promise<string> {
  const client = await app.pool.connect();
  let rows: Record<string, string>[];
  try {
    await client.query('BEGIN');
    if (settings) await client.query(settings);
    rows = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows;
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
  say(`\n--- ${label}\n${plan}`);
  return plan.split('\n').filter((line) => /Execution Time|Planning Time/.test(line)).map((line) => line.trim()).join(', ');
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function main(): Promise<void> {
  const config = loadConfig({ DATABASE_URL, LOG_LEVEL: 'error' }, 'test');
  if (!KEEP) await dropDatabase(DATABASE_URL).catch(() => {});
  const app = await startBenchApp(config);
  const lines: string[] = [];
  try {
    if ((await app.pool.query(`SELECT 1 FROM integration WHERE key = 'bench-shop'`)).rowCount === 0) {
      const seeded = await timed(() => seed(app));
      say(`seeded ${SKUS} SKUs, ${KEPT} kept problem records in ${(seeded.ms / 1000).toFixed(1)} s`);
      if (process.env.BENCH_SEED_ONLY === '1') return;
    }
    const size = await app.pool.query(`SELECT pg_size_pretty(pg_total_relation_size('problem_record')) AS kept, pg_size_pretty(pg_total_relation_size('sku')) AS sku`);
    say(`sizes: problem_record ${size.rows[0].kept}, sku (with indexes) ${size.rows[0].sku}`);

    // Unmapped values: first page, a later page, channels — wall time through the service (median of 5).
    const runs = async (label: string, work: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < 5; i += 1) samples.push((await timed(work)).ms);
      samples.sort((a, b) => a - b);
      const line = `${label}: median ${samples[2]!.toFixed(0)} ms (min ${samples[0]!.toFixed(0)}, max ${samples[4]!.toFixed(0)})`;
      say(line);
      lines.push(`- ${line}`);
    };
    const first = await app.catalog.unmappedValues('bench-shop', { kind: 'sku', limit: 25 });
    say(`unmapped SKUs: ${first.total}; top: ${first.values.slice(0, 3).map((v) => `${v.value} ${v.heldBack} (${v.orders} orders, ${v.inventoryRows} rows)`).join(', ')}`);
    await runs('unmapped SKUs, first page of 25', () => app.catalog.unmappedValues('bench-shop', { kind: 'sku', limit: 25 }));
    const third = await app.catalog.unmappedValues('bench-shop', { kind: 'sku', limit: 25, after: (await app.catalog.unmappedValues('bench-shop', { kind: 'sku', limit: 50 })).nextCursor });
    await runs('unmapped SKUs, page 3 (keyset)', () => app.catalog.unmappedValues('bench-shop', { kind: 'sku', limit: 25, after: third.nextCursor }));
    await runs('unmapped channels, first page', () => app.catalog.unmappedValues('bench-shop', { kind: 'channel', limit: 25 }));

    // EXPLAIN ANALYZE of the same SQL, with the settings the service uses.
    const integrationId = (await app.pool.query(`SELECT id FROM integration WHERE key = 'bench-shop'`)).rows[0].id;
    for (const kind of ['sku', 'channel'] as const) {
      const params = [integrationId, false, null, null, 26];
      lines.push(`- EXPLAIN ANALYZE unmapped ${kind}s (first page): ${await explain(app, `unmapped ${kind}s`, unmappedPageSql(kind), params, UNMAPPED_SETTINGS)}`);
    }

    // Search: 200 terms, wall time through the service.
    const terms = searchTerms();
    for (const term of terms.slice(0, 20)) await app.catalog.searchCatalog('sku', term); // warm up
    const samples: { term: string; ms: number; found: number }[] = [];
    for (const term of terms) {
      const { ms, result } = await timed(() => app.catalog.searchCatalog('sku', term));
      samples.push({ term, ms, found: result.length });
    }
    const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
    const slowest = [...samples].sort((a, b) => b.ms - a.ms).slice(0, 5);
    const searchLine =
      `200 searches over ${SKUS} SKUs: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, ` +
      `p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms; slowest: ${slowest.map((s) => `"${s.term}" ${s.ms.toFixed(1)} ms (${s.found})`).join(', ')}`;
    say(searchLine);
    lines.push(`- ${searchLine}`);
    const [prefixSql, ...containsSqls] = catalogSearchSql('sku');
    for (const term of ['a', 'e', 'qz', 'nova', 'oodi', 'lamp', 'xylophone', 'zen-000123', 'terra lamp']) {
      const [t, prefix, contains] = catalogSearchParams(term, 100);
      const reads = [`prefix ${await explain(app, `search "${term}" (prefix ranks)`, prefixSql, [t, prefix, 100])}`];
      const found: number[] = (await app.pool.query(prefixSql, [t, prefix, 100])).rows.map((row) => row.id);
      for (const [i, sql] of containsSqls.entries()) {
        if (found.length >= 100) break;
        const what = i === 0 ? 'code contains' : 'name contains';
        reads.push(`${what} ${await explain(app, `search "${term}" (${what})`, sql, [contains, found, 100 - found.length])}`);
        found.push(...(await app.pool.query(sql, [contains, found, 100 - found.length])).rows.map((row) => row.id));
      }
      lines.push(`- EXPLAIN ANALYZE search "${term}": ${reads.join('; ')}`);
    }
  } finally {
    await app.close();
    if (!KEEP) await dropDatabase(DATABASE_URL).catch(() => {});
  }
  const header = `\n## Catalog: unmapped values and search — ${new Date().toISOString()} (${cpus().length} cores, load ${loadavg().map((n) => n.toFixed(1)).join(' ')})\n`;
  await appendFile(fileURLToPath(new URL('RESULTS.md', import.meta.url)), `${header}\n${KEPT} kept problem records, ${SKUS} SKUs.\n\n${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
