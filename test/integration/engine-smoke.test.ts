import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('smoke', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await app.integrations.apply([demoSpec()], 'test');
    await seedCatalog(app);
  });
  afterAll(async () => app?.destroy());

  it('runs both domains', async () => {
    const orders = await app.engine.run({ integrationKey: 'demo-shop', domainType: 'sales_orders' });
    console.log(orders);
    const inv = await app.engine.run({ integrationKey: 'demo-shop', domainType: 'warehouse_inventory' });
    console.log(inv);
    expect(orders.status).toBe('partial');
  });
});
