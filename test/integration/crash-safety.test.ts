import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/app.js';
import { FakeFeed, MemorySource, type FeedRecord } from '../fakes/fake-feed.js';
import { spawnCli } from '../support/cli-process.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { cursorOf, scalar } from '../support/queries.js';
import { silentLog, startTestApp, type TestApp } from '../support/test-app.js';

const ORDERS = 400;
const RUNS = 10;

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('crash safety against the HTTP feed', () => {
  let app: TestApp;
  let feed: FakeFeed;
  const source = new MemorySource();
  const random = seeded(20261127);
  let clock = Date.UTC(2026, 10, 1);
  const tick = () => new Date((clock += 1000)).toISOString();

  function makeOrder(n: number): FeedRecord {
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      sku: `DEMO-000${1 + Math.floor(random() * 9)}`,
      quantity: 1 + Math.floor(random() * 9),
      unit_price: (random() * 100).toFixed(2),
    }));
    const updated = tick();
    return { id: `C-${n}`, updated_at: updated, ordered_at: updated, channel: 'web-store', status: 'paid', currency: 'USD', lines };
  }

  async function databaseOrders(): Promise<Map<string, unknown>> {
    const { rows } = await app.pool.query(
      `SELECT o.external_id, o.status, json_agg(json_build_array(l.external_sku, l.quantity, l.unit_price::text) ORDER BY l.line_no) AS lines
       FROM sales_order o JOIN sales_order_line l ON l.order_id = o.id GROUP BY o.id`,
    );
    return new Map(rows.map((row) => [row.external_id, { status: row.status, lines: row.lines }]));
  }
  const expected = (record: FeedRecord) => ({
    status: record.status,
    lines: (record.lines as { sku: string; quantity: number; unit_price: string }[]).map((l) => [l.sku, l.quantity, Number(l.unit_price).toFixed(4)]),
  });

  beforeAll(async () => {
    app = await startTestApp();
    for (let n = 1; n <= ORDERS; n += 1) source.put('sales_orders', makeOrder(n));
    feed = new FakeFeed(source, 'tok');
    feed.beforeAnswer = () => new Promise((resolve) => setTimeout(resolve, 30));
    const baseUrl = await feed.start();
    await app.integrations.apply(
      [{ ...demoSpec({ key: 'feed', domains: ['sales_orders'] }), connector: 'http-json', config: { base_url: baseUrl, page_size: 10 }, credentials: { token: 'tok' } }], { actor: 'test' });
    await seedCatalog(app, 'feed');
  });
  afterAll(async () => {
    await feed?.stop();
    await app?.destroy();
  });

  it(`survives ${RUNS} SIGKILLs at random points: no run left running, cursor never past uncommitted data, final state equals the source`, { timeout: 180_000 }, async () => {
    for (let run = 1; run <= RUNS; run += 1) {
      // The source keeps changing between runs, as real ones do.
      for (let k = 0; k < 80; k += 1) {
        const n = 1 + Math.floor(random() * ORDERS);
        source.put('sales_orders', { ...makeOrder(n), status: `changed-${run}` });
      }
      // Now and then a run completes, so later kills test that the cursor it set does not move.
      if (run % 4 === 0) expect((await app.engine.run({ integrationKey: 'feed', domainType: 'sales_orders' })).status).toBe('success');
      const cursorBefore = await cursorOf(app.pool, 'feed', 'sales_orders');
      const child = spawnCli(['sync', 'feed'], app.config.databaseUrl);
      // Start-up time varies: wait until this run has fetched a random share of what it will fetch, then kill.
      const target = Math.floor(random() * (run === 1 ? ORDERS : 80));
      let exited = false;
      void child.output.then(() => (exited = true));
      const progress = `SELECT coalesce(max(records_fetched) FILTER (WHERE status = 'running'), -1)::int FROM sync_execution WHERE triggered_by LIKE 'cli:%'`;
      while (!exited && (await scalar(app.pool, progress)) < target) await new Promise((r) => setTimeout(r, 2));
      child.kill('SIGKILL');
      await child.output;

      const restarted = await bootstrap(app.config, { log: silentLog });
      await restarted.close();
      const { rows } = await app.pool.query(`SELECT id, status FROM sync_execution WHERE status IN ('queued', 'running')`);
      expect(rows).toEqual([]);

      const killed = await app.pool.query(`SELECT status FROM sync_execution ORDER BY id DESC LIMIT 1`);
      if (killed.rows[0]?.status === 'interrupted') expect(await cursorOf(app.pool, 'feed', 'sales_orders')).toBe(cursorBefore);

      // Everything the cursor claims (updated_at before it) is in the database, exactly as the source has it.
      const cursor = await cursorOf(app.pool, 'feed', 'sales_orders');
      if (cursor) {
        const stored = await databaseOrders();
        for (const record of source.all('sales_orders').filter((r) => Date.parse(r.updated_at) < Date.parse(cursor))) {
          expect({ id: record.id, ...(stored.get(String(record.id)) as object) }).toEqual({ id: record.id, ...expected(record) });
        }
      }
    }
    const statuses = await app.pool.query(`SELECT status, count(*)::int AS n FROM sync_execution GROUP BY status`);
    expect(statuses.rows.find((row) => row.status === 'interrupted')?.n).toBeGreaterThanOrEqual(5);

    const final = await app.engine.run({ integrationKey: 'feed', domainType: 'sales_orders' });
    expect(final.status).toBe('success');
    const stored = await databaseOrders();
    const all = source.all('sales_orders');
    expect(stored.size).toBe(all.length);
    for (const record of all) expect({ id: record.id, ...(stored.get(String(record.id)) as object) }).toEqual({ id: record.id, ...expected(record) });
  });
});
