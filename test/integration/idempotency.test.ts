import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpec, seedCatalog, writeTemp } from '../support/fixtures.js';
import { itemStatusCounts, scalar } from '../support/queries.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('idempotent writes and re-sync after fixing mappings', () => {
  let app: TestApp;
  const orders = (key: string) =>
    scalar(app.pool, `SELECT count(*)::int FROM sales_order o JOIN integration i ON i.id = o.integration_id WHERE i.key = $1`, [key]);
  const lines = (key: string) =>
    scalar(
      app.pool,
      `SELECT count(*)::int FROM sales_order_line l JOIN sales_order o ON o.id = l.order_id JOIN integration i ON i.id = o.integration_id WHERE i.key = $1`,
      [key],
    );

  beforeAll(async () => {
    app = await startTestApp();
    await app.integrations.apply(
      [
        demoSpec({ key: 'steady', config: { orders: 100, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 } }),
        demoSpec({ key: 'gappy', config: { orders: 100, unmapped_sku_rate: 0.1, unmapped_channel_rate: 0.1, invalid_rate: 0 } }),
      ], { actor: 'test' });
    await seedCatalog(app, 'steady');
    await seedCatalog(app, 'gappy');
  });
  afterAll(async () => app?.destroy());

  it('syncing twice never duplicates; the second full run is all skipped', async () => {
    const first = await app.engine.run({ integrationKey: 'steady', domainType: 'sales_orders' });
    const savedOrders = await orders('steady');
    const savedLines = await lines('steady');
    expect(savedOrders).toBe(100);

    // Incremental: only the boundary record comes back, unchanged.
    const incremental = await app.engine.run({ integrationKey: 'steady', domainType: 'sales_orders' });
    expect(incremental).toMatchObject({ status: 'success', cursorBefore: first.cursorAfter, successCount: 0 });
    expect(incremental.skippedCount).toBe(incremental.recordsFetched);
    expect(incremental.recordsFetched).toBeGreaterThan(0);

    await app.admin.reset('steady', { domainType: 'sales_orders', actor: 'tester' });
    const full = await app.engine.run({ integrationKey: 'steady', domainType: 'sales_orders' });
    expect(full).toMatchObject({ status: 'success', trigger: 'full_resync', successCount: 0, failedCount: 0 });
    expect(full.skippedCount).toBe(full.recordsFetched);
    expect(await orders('steady')).toBe(savedOrders);
    expect(await lines('steady')).toBe(savedLines);
  });

  it('after the missing mappings are added, previously failed records succeed', async () => {
    const before = await app.engine.run({ integrationKey: 'gappy', domainType: 'sales_orders' });
    expect(before.status).toBe('partial');
    const failedIds = (
      await app.pool.query<{ external_id: string }>(
        `SELECT external_id FROM sync_item WHERE execution_id = $1 AND status IN ('failed', 'partial_mapped')`,
        [before.id],
      )
    ).rows.map((row) => row.external_id);
    expect(failedIds.length).toBeGreaterThan(0);

    const mappings = [
      'integration,kind,external_id,tether_code',
      ...before.errorAnalysis!.unmappedSkus.map((sku) => `gappy,sku,${sku.value},SKU-0001`),
      ...before.errorAnalysis!.unmappedChannels.map((channel) => `gappy,channel,${channel.value},WEB-STORE`),
    ].join('\n');
    const file = await writeTemp('fix.csv', mappings);
    await app.catalog.importMappings(file, 'tester');
    await app.admin.reset('gappy', { domainType: 'sales_orders', actor: 'tester' });

    const after = await app.engine.run({ integrationKey: 'gappy', domainType: 'sales_orders' });
    expect(after).toMatchObject({ status: 'success', failedCount: 0, trigger: 'full_resync' });
    // Each previously failed order now has a success item (a copy re-sent on the next page is skipped).
    const { rows } = await app.pool.query<{ external_id: string; succeeded: boolean }>(
      `SELECT external_id, bool_or(status = 'success') AS succeeded FROM sync_item
       WHERE execution_id = $1 AND external_id = ANY($2) GROUP BY external_id`,
      [after.id, failedIds],
    );
    expect(rows.filter((row) => !row.succeeded)).toEqual([]);
    expect(rows).toHaveLength(new Set(failedIds).size);
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sales_order WHERE NOT complete`)).toBe(0);
    expect(await orders('gappy')).toBe(100);
    expect(await itemStatusCounts(app.pool, after.id)).not.toHaveProperty('failed');
  });
});
