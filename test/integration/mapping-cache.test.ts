import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpec, seedCatalog, writeTemp } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { startTestApp, testConfig, type TestApp } from '../support/test-app.js';

/**
 * Workers cache mappings (src/db/mapping-cache.ts). Two apps on one database stand for two
 * workers: a mapping changed through either is used by the next run on both.
 */
describe('mapping cache', () => {
  let one: TestApp;
  let two: TestApp;
  let shopId: number;

  beforeAll(async () => {
    const config = testConfig();
    one = await startTestApp({ config });
    two = await startTestApp({ config });
    await one.integrations.apply(
      [demoSpec({ key: 'shop', name: 'Shop', domains: ['sales_orders'], config: { orders: 40, page_size: 20, sku_count: 10, unmapped_sku_rate: 0.2, unmapped_channel_rate: 0, invalid_rate: 0 } })],
      { actor: 'test' },
    );
    await seedCatalog(one, 'shop');
    shopId = await scalar<number>(one.pool, `SELECT id FROM integration WHERE key = 'shop'`);
  });
  afterAll(async () => {
    await two?.close();
    await one?.destroy();
  });

  it('reuses the cached mappings while nothing changed', async () => {
    const first = await one.store.loadMappings(shopId, true);
    const again = await one.store.loadMappings(shopId, true);
    expect(again.skus).toBe(first.skus);
    expect(again.channels).toBe(first.channels);
    expect(again.skuCodes).toBe(first.skuCodes);
    expect(first.skus.size).toBe(10);
  });

  it('a mapping added, changed or removed on one worker is used by the next load on every worker', async () => {
    const [warmOne, warmTwo] = [await one.store.loadMappings(shopId, false), await two.store.loadMappings(shopId, false)];
    expect(warmOne.skus.has('EXT-NEW')).toBe(false);
    expect(warmTwo.skus.has('EXT-NEW')).toBe(false);
    const skuId = (code: string) => scalar<number>(one.pool, 'SELECT id FROM sku WHERE code = $1', [code]);
    const [first, second] = await one.pool.query<{ code: string }>('SELECT code FROM sku ORDER BY id LIMIT 2').then((r) => r.rows.map((row) => row.code));

    await two.catalog.addMapping('shop', 'sku', 'EXT-NEW', first!, 'U1');
    for (const app of [one, two]) expect((await app.store.loadMappings(shopId, false)).skus.get('EXT-NEW')).toBe(await skuId(first!));

    await one.pool.query('UPDATE sku_external_id SET sku_id = $1 WHERE external_id = $2', [await skuId(second!), 'EXT-NEW']);
    for (const app of [one, two]) expect((await app.store.loadMappings(shopId, false)).skus.get('EXT-NEW')).toBe(await skuId(second!));

    await one.catalog.removeMapping('shop', 'sku', 'EXT-NEW', 'U1');
    for (const app of [one, two]) expect((await app.store.loadMappings(shopId, false)).skus.has('EXT-NEW')).toBe(false);
  });

  it('a SKU added to the catalog is matched by code on every worker at the next load', async () => {
    for (const app of [one, two]) expect((await app.store.loadMappings(shopId, true)).skuCodes!.has('BRAND-NEW')).toBe(false);
    await one.catalog.importSkus(await writeTemp('more-skus.csv', 'code,name\nBRAND-NEW,Brand new\n'), 'test');
    for (const app of [one, two]) expect((await app.store.loadMappings(shopId, true)).skuCodes!.has('BRAND-NEW')).toBe(true);
  });

  it('the next sync on the other worker uses a mapping added after both cached: held-back records succeed', async () => {
    const first = await one.engine.run({ integrationKey: 'shop', domainType: 'sales_orders' });
    expect(first.status).toBe('partial');
    // The other worker has the mappings cached too, from before the fix.
    await two.store.loadMappings(shopId, false);
    const unmapped = await one.catalog.unmappedValues('shop', { kind: 'sku', limit: 100 });
    expect(unmapped.values.length).toBeGreaterThan(0);
    const code = await scalar<string>(one.pool, 'SELECT code FROM sku ORDER BY id LIMIT 1');
    await one.catalog.addMappings('shop', unmapped.values.map((v) => ({ kind: 'sku', externalId: v.value, code })), 'U1');

    const fixed = await two.engine.run({ integrationKey: 'shop', domainType: 'sales_orders' });
    expect(fixed).toMatchObject({ status: 'success', failedCount: 0 });
    expect(fixed.carriedOver).toBe(first.failedCount);
  });
});
