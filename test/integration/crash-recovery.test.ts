import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/app.js';
import { demoOrder, type DemoDataOptions } from '../../src/sync/connectors/demo/demo-data.js';
import { spawnCli } from '../support/cli-process.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { cursorOf, scalar } from '../support/queries.js';
import { silentLog, startTestApp, type TestApp } from '../support/test-app.js';

const ORDERS = 300;
const config = { orders: ORDERS, page_size: 20, page_delay_ms: 60, seed: 5, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };

describe('a sync process killed mid-run', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await app.integrations.apply([demoSpec({ key: 'crashy', domains: ['sales_orders'], config })], { actor: 'test' });
    await seedCatalog(app, 'crashy');
  });
  afterAll(async () => app?.destroy());

  it('is marked interrupted at the next start, keeps the cursor, and a re-run loses and doubles nothing', async () => {
    const child = spawnCli(['sync', 'crashy'], app.config.databaseUrl);
    const deadline = Date.now() + 30_000;
    while ((await scalar(app.pool, `SELECT coalesce(max(records_fetched), 0)::int FROM sync_execution`)) < 60) {
      if (Date.now() > deadline) throw new Error(`the child never got going: ${(await child.output).stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await child.output;
    expect(await scalar(app.pool, `SELECT status FROM sync_execution`)).toBe('running');

    // The next process to start marks it: nobody holds its run lock any more.
    const restarted = await bootstrap(app.config, { log: silentLog });
    await restarted.close();
    const dead = await app.executions.get(1);
    expect(dead).toMatchObject({ status: 'interrupted', error: { category: 'interrupted' } });
    expect(dead!.recordsFetched).toBeGreaterThan(0);
    expect(await cursorOf(app.pool, 'crashy', 'sales_orders')).toBeNull();

    const rerun = await app.engine.run({ integrationKey: 'crashy', domainType: 'sales_orders' });
    expect(rerun.status).toBe('success');
    expect(rerun.skippedCount).toBeGreaterThan(0); // what the dead run committed is recognised

    const options: DemoDataOptions = {
      seed: 5, orders: ORDERS, warehouses: 2, skuCount: 10, unmappedSkuRate: 0, unmappedChannelRate: 0, invalidRate: 0,
      start: new Date('2026-11-01T00:00:00.000Z'),
    };
    const expected = Array.from({ length: ORDERS }, (_, i) => demoOrder(options, i) as { id: string; lines: { quantity: number }[] });
    const { rows } = await app.pool.query<{ external_id: string; lines: number; quantity: number }>(
      `SELECT o.external_id, count(l.id)::int AS lines, sum(l.quantity)::int AS quantity
       FROM sales_order o JOIN sales_order_line l ON l.order_id = o.id GROUP BY o.external_id ORDER BY o.external_id`,
    );
    expect(rows).toEqual(
      expected
        .map((order) => ({ external_id: order.id, lines: order.lines.length, quantity: order.lines.reduce((sum, line) => sum + line.quantity, 0) }))
        .sort((a, b) => a.external_id.localeCompare(b.external_id)),
    );
  });
});
