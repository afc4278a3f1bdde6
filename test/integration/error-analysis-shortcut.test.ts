import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_ANALYSIS_SQL } from '../../src/db/execution-rows.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A run without problem items skips the error-analysis query; what it stores is what the query gives. */
describe('error analysis of runs without problem items', () => {
  let app: TestApp;
  const spec = (key: string, unmappedSkuRate: number) =>
    demoSpec({ key, name: key, domains: ['sales_orders'], config: { orders: 20, page_size: 10, sku_count: 10, unmapped_sku_rate: unmappedSkuRate, unmapped_channel_rate: 0, invalid_rate: 0 } });
  const computed = async (executionId: number) => (await app.pool.query(ERROR_ANALYSIS_SQL.replace(/^\s*/, ''), [executionId])).rows[0].analysis;

  beforeAll(async () => {
    app = await startTestApp();
    await app.integrations.apply([spec('clean', 0), spec('messy', 0.3)], { actor: 'test' });
    await seedCatalog(app, 'clean');
    await seedCatalog(app, 'messy');
  });
  afterAll(async () => app?.destroy());

  it('stores the same (empty) analysis the query computes for a clean run', async () => {
    const run = await app.engine.run({ integrationKey: 'clean', domainType: 'sales_orders' });
    expect(run).toMatchObject({ status: 'success', failedCount: 0 });
    expect(run.errorAnalysis).toEqual({ unmappedSkus: [], unmappedChannels: [], topErrors: [] });
    expect(run.errorAnalysis).toEqual(await computed(run.id));
  });

  it('still analyses a run with problem items', async () => {
    const run = await app.engine.run({ integrationKey: 'messy', domainType: 'sales_orders' });
    expect(run.failedCount).toBeGreaterThan(0);
    expect(run.errorAnalysis!.unmappedSkus.length).toBeGreaterThan(0);
    expect(run.errorAnalysis).toEqual(await computed(run.id));
  });
});
