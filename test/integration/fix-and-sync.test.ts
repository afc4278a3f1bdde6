import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_UNMAPPED_CHANNELS, DEMO_UNMAPPED_SKUS } from '../../src/sync/connectors/demo/demo-data.js';
import { FakeFeed, MemorySource } from '../fakes/fake-feed.js';
import { seedCatalog, tempDir, writeTemp } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The product's recovery loop, "fix the root cause, then trigger a sync": records that failed for
 * an unmapped SKU or channel are kept, and a plain incremental sync after the mappings are added
 * repairs them — equal to a fresh full sync — without a reset.
 */
describe('fix the mappings, then sync again', () => {
  let app: TestApp;
  let feed: FakeFeed;
  const source = new MemorySource();
  const cli = cliRunner(() => app.config.databaseUrl, { FEED_TOKEN: 'tok' });
  const syncJson = async (...args: string[]) => {
    const result = await cli('sync', ...args, '--json');
    expect(result.stderr).toBe('');
    const [execution] = JSON.parse(result.stdout);
    return execution;
  };
  const kept = (key: string) =>
    scalar(app.pool, `SELECT count(*)::int FROM problem_record WHERE integration_id = (SELECT id FROM integration WHERE key = $1)`, [key]);
  const importMappings = async (lines: string[]) => {
    const file = await writeTemp('fix.csv', ['integration,kind,external_id,tether_code', ...lines].join('\n'));
    expect((await cli('mappings', 'import', file)).code).toBe(0);
  };

  /** Every order of an integration with its channel and lines resolved to Tether codes. */
  const orders = async (key: string) =>
    (
      await app.pool.query(
        `SELECT o.external_id, c.code AS channel, o.status, o.currency, o.ordered_at, o.complete,
                (SELECT json_agg(json_build_object('no', l.line_no, 'ext', l.external_sku, 'sku', s.code, 'qty', l.quantity, 'price', l.unit_price) ORDER BY l.line_no)
                   FROM sales_order_line l LEFT JOIN sku s ON s.id = l.sku_id WHERE l.order_id = o.id) AS lines
         FROM sales_order o LEFT JOIN channel c ON c.id = o.channel_id
         WHERE o.integration_id = (SELECT id FROM integration WHERE key = $1) ORDER BY o.external_id`,
        [key],
      )
    ).rows;
  const levels = async (key: string) =>
    (
      await app.pool.query(
        `SELECT l.external_id, l.warehouse, s.code AS sku, l.on_hand, l.available FROM inventory_level l JOIN sku s ON s.id = l.sku_id
         WHERE l.integration_id = (SELECT id FROM integration WHERE key = $1) ORDER BY l.external_id`,
        [key],
      )
    ).rows;
  const itemsOf = async (executionId: number, externalIds: string[]) =>
    (
      await app.pool.query<{ external_id: string; status: string; carried_over: boolean }>(
        `SELECT external_id, status, carried_over FROM sync_item WHERE execution_id = $1 AND external_id = ANY($2) ORDER BY id`,
        [executionId, externalIds],
      )
    ).rows;

  const skuFixes = (key: string) => DEMO_UNMAPPED_SKUS.map((sku, i) => `${key},sku,${sku},SKU-000${i + 1}`);
  const channelFixes = (key: string) => DEMO_UNMAPPED_CHANNELS.map((channel) => `${key},channel,${channel},WEB-STORE`);

  beforeAll(async () => {
    app = await startTestApp();
    const stock = join(await tempDir(), 'stock');
    await mkdir(stock);
    await writeFile(join(stock, 'east.csv'), 'warehouse,sku,on_hand,available\nEAST,DEMO-0001,10,8\nEAST,NEW-1,4,4\nEAST,DEMO-0002,5,5\n');
    await writeFile(join(stock, 'west.csv'), 'warehouse,sku,on_hand,available\nWEST,NEW-1,7,7\nWEST,NEW-2,1,1\n');
    feed = new FakeFeed(source, 'tok');
    const baseUrl = await feed.start();
    const demo = '{ orders: 150, page_size: 25, sku_count: 10, unmapped_sku_rate: 0.08, unmapped_channel_rate: 0.08, invalid_rate: 0 }';
    const yaml = await writeTemp(
      'integrations.yml',
      `
- { key: gappy, name: Gappy, connector: demo, domains: [sales_orders], config: ${demo} }
- { key: retry-me, name: Retry me, connector: demo, domains: [sales_orders], config: ${demo} }
- { key: fresh-orders, name: Fresh orders, connector: demo, domains: [sales_orders], config: ${demo} }
- { key: all-partial, name: All partial, connector: demo, domains: [sales_orders], config: { orders: 30, sku_count: 10, unmapped_sku_rate: 1, unmapped_channel_rate: 0, invalid_rate: 0 } }
- { key: stock, name: Stock, connector: csv, domains: [warehouse_inventory], config: { path: "${stock}", page_size: 2 } }
- { key: fresh-stock, name: Fresh stock, connector: csv, domains: [warehouse_inventory], config: { path: "${stock}" } }
- { key: remap, name: Remap, connector: demo, domains: [warehouse_inventory], config: { warehouses: 2, sku_count: 5, unmapped_sku_rate: 0, invalid_rate: 0 } }
- key: feed
  name: Feed
  connector: http-json
  domains: [sales_orders]
  config: { base_url: "${baseUrl}" }
  credentials: { token: "\${FEED_TOKEN}" }
`,
    );
    expect((await cli('integrations', 'apply', yaml)).code).toBe(0);
    for (const key of ['gappy', 'retry-me', 'fresh-orders', 'all-partial', 'stock', 'fresh-stock', 'remap', 'feed']) await seedCatalog(app, key);
  });
  afterAll(async () => {
    await feed?.stop();
    await app?.destroy();
  });

  it('orders: unmapped SKUs and channels fail → mappings added → a plain sync repairs them, equal to a fresh full sync', async () => {
    const first = await syncJson('gappy');
    expect(first.status).toBe('partial');
    const problemIds = (
      await app.pool.query<{ external_id: string }>(
        `SELECT DISTINCT external_id FROM sync_item WHERE execution_id = $1 AND status IN ('failed', 'partial_mapped')`,
        [first.id],
      )
    ).rows.map((row) => row.external_id);
    expect(problemIds.length).toBeGreaterThan(5);
    expect(await kept('gappy')).toBe(problemIds.length);

    await importMappings([...skuFixes('gappy'), ...channelFixes('gappy')]);

    // A dry run re-checks the kept records with the new mappings and writes nothing.
    const ordersBefore = await orders('gappy');
    const dry = await syncJson('gappy', '--dry-run');
    expect(dry).toMatchObject({ status: 'success', dryRun: true, carriedOver: problemIds.length, failedCount: 0 });
    expect(new Set((await itemsOf(dry.id, problemIds)).map((item) => `${item.status}/${item.carried_over}`))).toEqual(new Set(['mapped/true']));
    expect(await orders('gappy')).toEqual(ordersBefore);
    expect(await kept('gappy')).toBe(problemIds.length);

    const fix = await syncJson('gappy');
    expect(fix).toMatchObject({ status: 'success', trigger: 'manual', failedCount: 0, carriedOver: problemIds.length, error: null });
    // Incremental: only the boundary record came back from the source.
    expect(fix.recordsFetched).toBe(1);
    expect(fix.successCount + fix.failedCount + fix.skippedCount).toBe(fix.recordsFetched + fix.carriedOver);
    const fixedItems = await itemsOf(fix.id, problemIds);
    expect(fixedItems).toHaveLength(problemIds.length);
    expect(fixedItems.every((item) => item.status === 'success' && item.carried_over)).toBe(true);
    expect(await kept('gappy')).toBe(0);

    await importMappings([...skuFixes('fresh-orders'), ...channelFixes('fresh-orders')]);
    const fresh = await syncJson('fresh-orders');
    expect(fresh).toMatchObject({ status: 'success', failedCount: 0 });
    const repaired = await orders('gappy');
    expect(repaired).toHaveLength(150);
    expect(repaired.every((order) => order.complete && order.channel !== null)).toBe(true);
    expect(repaired).toEqual(await orders('fresh-orders'));

    // Nothing is left to carry over.
    const after = await syncJson('gappy');
    expect(after).toMatchObject({ status: 'success', carriedOver: 0 });
  });

  it('retry failed items: only the kept records are processed, nothing is fetched; refused when nothing is left', async () => {
    const nothing = await cli('retry', 'retry-me');
    expect(nothing).toMatchObject({ code: 2, stderr: 'error: Nothing to retry: no failed records of "retry-me" are kept (sales_orders)' });
    const first = await syncJson('retry-me');
    const keptBefore = await kept('retry-me');
    expect(keptBefore).toBeGreaterThan(0);
    await importMappings([...skuFixes('retry-me'), ...channelFixes('retry-me')]);
    const queued = JSON.parse((await cli('retry', 'retry-me', '--queue', '--json')).stdout).queued as number[];
    expect(await scalar(app.pool, 'SELECT trigger FROM sync_execution WHERE id = $1', [queued[0]])).toBe('retry');
    expect((await cli('cancel', String(queued[0]), '--by', 'test')).code).toBe(0);

    const cursor = () => scalar(app.pool, `SELECT cursor FROM sync_state WHERE integration_id = (SELECT id FROM integration WHERE key = 'retry-me')`);
    const cursorBefore = await cursor();
    const result = await cli('retry', 'retry-me', '--json');
    expect(result.code).toBe(0);
    const [retry] = JSON.parse(result.stdout);
    expect(retry).toMatchObject({ trigger: 'retry', status: 'success', recordsFetched: 0, carriedOver: keptBefore, failedCount: 0 });
    expect(await kept('retry-me')).toBe(0);
    expect(await cursor()).toBe(cursorBefore);
    expect(first.status).toBe('partial');
    expect((await cli('retry', 'retry-me')).code).toBe(2);
  });

  it('inventory: unmapped SKUs in files that are not read again are repaired by the next sync, equal to a fresh full sync', async () => {
    const first = await syncJson('stock');
    expect(first).toMatchObject({ status: 'partial', recordsFetched: 5 });
    expect(await kept('stock')).toBe(3); // EAST:NEW-1, WEST:NEW-1, WEST:NEW-2
    await importMappings(['stock,sku,NEW-1,SKU-0007', 'stock,sku,NEW-2,SKU-0008', 'fresh-stock,sku,NEW-1,SKU-0007', 'fresh-stock,sku,NEW-2,SKU-0008']);

    const fix = await syncJson('stock');
    // The files did not change, so nothing was read: the kept records alone made the repair.
    expect(fix).toMatchObject({ status: 'success', recordsFetched: 0, carriedOver: 3, failedCount: 0 });
    const items = await app.pool.query(`SELECT external_id, status, record_count, carried_over FROM sync_item WHERE execution_id = $1 ORDER BY id`, [fix.id]);
    expect(items.rows.every((row) => row.status === 'success' && row.carried_over)).toBe(true);
    expect(items.rows.reduce((sum, row) => sum + row.record_count, 0)).toBe(3);
    expect(await kept('stock')).toBe(0);

    expect(await syncJson('fresh-stock')).toMatchObject({ status: 'success', failedCount: 0 });
    expect(await levels('stock')).toHaveLength(5);
    expect(await levels('stock')).toEqual(await levels('fresh-stock'));
  });

  it('an aggregate item with some records saved and some failed is partial_mapped; a run of partly saved items is partial, not failed', async () => {
    const run = await syncJson('all-partial');
    expect(run).toMatchObject({ status: 'partial', successCount: 0, failedCount: 30, error: null });
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sync_item WHERE execution_id = $1 AND status = 'partial_mapped'`, [run.id])).toBe(30);
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sales_order WHERE integration_id = (SELECT id FROM integration WHERE key = 'all-partial')`)).toBe(30);
  });

  it('inventory: a changed SKU mapping reaches inventory_level.sku_id (the hash covers the resolution)', async () => {
    expect(await syncJson('remap')).toMatchObject({ status: 'success' });
    expect((await levels('remap')).filter((row) => row.external_id.endsWith(':DEMO-0001')).map((row) => row.sku)).toEqual(['SKU-0001', 'SKU-0001']);
    await importMappings(['remap,sku,DEMO-0001,SKU-0009']);
    const again = await syncJson('remap');
    expect(again).toMatchObject({ status: 'success', skippedCount: 0 });
    expect((await levels('remap')).filter((row) => row.external_id.endsWith(':DEMO-0001')).map((row) => row.sku)).toEqual(['SKU-0009', 'SKU-0009']);
    // Unchanged record and mapping: skipped.
    expect(await syncJson('remap')).toMatchObject({ status: 'success', successCount: 0, skippedCount: 2 });
  });

  it('a kept record that comes again from the source is processed once, in its newest version; a reset forgets kept records', async () => {
    const order = (id: string, updatedAt: string, sku: string) => ({
      id,
      updated_at: updatedAt,
      ordered_at: '2026-11-01T00:00:00Z',
      channel: 'web-store',
      status: 'paid',
      currency: 'USD',
      lines: [{ sku, quantity: 1, unit_price: '5.00' }],
    });
    source.put('sales_orders', order('H-1', '2026-11-01T00:00:00Z', 'NOPE-1'), order('H-2', '2026-11-01T00:01:00Z', 'NOPE-2'));
    source.put('sales_orders', order('H-3', '2026-11-01T00:02:00Z', 'DEMO-0001'));
    const first = await syncJson('feed');
    expect(first).toMatchObject({ status: 'partial', failedCount: 2 });
    expect(await kept('feed')).toBe(2);

    // H-1 is fixed at the source, H-2 changes but is still unmapped; both come after the cursor.
    source.put('sales_orders', order('H-1', '2026-11-02T00:00:00Z', 'DEMO-0002'), order('H-2', '2026-11-02T00:01:00Z', 'NOPE-3'));
    const second = await syncJson('feed');
    expect(second).toMatchObject({ status: 'partial', carriedOver: 0, successCount: 1, failedCount: 1 });
    const items = await itemsOf(second.id, ['H-1', 'H-2']);
    expect(items).toEqual([
      { external_id: 'H-1', status: 'success', carried_over: false },
      { external_id: 'H-2', status: 'partial_mapped', carried_over: false },
    ]);
    const keptRows = await app.pool.query(`SELECT external_id, raw->'lines'->0->>'sku' AS sku, failures FROM problem_record WHERE integration_id = (SELECT id FROM integration WHERE key = 'feed')`);
    expect(keptRows.rows).toEqual([{ external_id: 'H-2', sku: 'NOPE-3', failures: 2 }]);

    const reset = await cli('reset', 'feed', '--by', 'tester');
    expect(reset.code).toBe(0);
    expect(await kept('feed')).toBe(0);
  });
});
