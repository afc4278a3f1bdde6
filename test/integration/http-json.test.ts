import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IntegrationSpec } from '../../src/config/integrations-file.js';
import { checkSpecsAgainstConnectors } from '../../src/db/integrations.repository.js';
import { FakeFeed, MemorySource, type FeedRecord } from '../fakes/fake-feed.js';
import { captureLog } from '../support/capture-log.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { cursorOf, itemStatusCounts, scalar } from '../support/queries.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString();
const order = (n: number, minute: number, extra: Partial<FeedRecord> = {}): FeedRecord => ({
  id: `ORD-${n}`,
  updated_at: at(minute),
  ordered_at: at(minute),
  channel: 'web-store',
  status: 'paid',
  currency: 'EUR',
  lines: [
    { sku: 'DEMO-0001', quantity: 2, unit_price: '19.99' },
    { sku: 'DEMO-0002', quantity: 1, unit_price: '0.0100' },
  ],
  ...extra,
});

describe('http-json connector against the fake feed', () => {
  let app: TestApp;
  let feed: FakeFeed;
  let source: MemorySource;
  let baseUrl: string;
  const log = captureLog();
  let keyCounter = 0;

  beforeAll(async () => {
    app = await startTestApp({ log });
    source = new MemorySource();
    feed = new FakeFeed(source, 'feed-token');
    baseUrl = await feed.start();
  });
  afterAll(async () => {
    await feed?.stop();
    await app?.destroy();
  });
  beforeEach(() => {
    feed.requests.length = 0;
    log.lines.length = 0;
  });

  /** A fresh integration with its own catalog mappings, so tests do not share cursors. */
  async function integration(config: Record<string, unknown> = {}, token = 'feed-token'): Promise<string> {
    const key = `feed-${++keyCounter}`;
    const spec: IntegrationSpec = {
      ...demoSpec({ key }),
      connector: 'http-json',
      config: { base_url: baseUrl, page_size: 3, retry_base_ms: 5, retry_cap_ms: 20, timeout_ms: 300, ...config },
      credentials: { token },
    };
    const others = (await app.integrations.list()).filter((row) => row.key !== key);
    await app.integrations.apply(
      [...others.map((row) => ({ ...demoSpec({ key: row.key }), connector: row.connector, config: row.config, credentials: { token: 'feed-token' } })), spec], { actor: 'test' });
    await seedCatalog(app, key);
    return key;
  }

  it('syncs orders with exact money, paging with the token, and is incremental and inclusive', async () => {
    source.put('sales_orders', order(1, 1), order(2, 2), order(3, 3), order(4, 3), order(5, 4));
    const key = await integration();
    const first = await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    expect(first).toMatchObject({ status: 'success', recordsFetched: 5, successCount: 5, cursorAfter: at(4) });
    expect(feed.requests.map((r) => [r.query.updated_after, r.query.cursor === undefined, r.query.limit])).toEqual([
      [undefined, true, '3'],
      [undefined, false, '3'],
    ]);
    expect(feed.requests.every((r) => r.authorization === 'Bearer feed-token')).toBe(true);
    const prices = await app.pool.query(
      `SELECT l.unit_price::text FROM sales_order_line l JOIN sales_order o ON o.id = l.order_id WHERE o.external_id = 'ORD-1' ORDER BY l.line_no`,
    );
    expect(prices.rows.map((row) => row.unit_price)).toEqual(['19.9900', '0.0100']);

    // Next run asks from the highest updated_at; the boundary record comes back and is skipped.
    feed.requests.length = 0;
    source.put('sales_orders', order(6, 4), order(2, 5, { status: 'shipped' }));
    const second = await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    expect(feed.requests[0]!.query.updated_after).toBe(at(4));
    expect(second).toMatchObject({ status: 'success', recordsFetched: 3, successCount: 2, skippedCount: 1, cursorAfter: at(5) });
    expect(await scalar(app.pool, `SELECT status FROM sales_order WHERE external_id = 'ORD-2' AND integration_id = (SELECT id FROM integration WHERE key = $1)`, [key])).toBe('shipped');
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sales_order WHERE integration_id = (SELECT id FROM integration WHERE key = $1)`, [key])).toBe(6);
  });

  it('makes one aggregate inventory item per warehouse per page', async () => {
    source.put(
      'warehouse_inventory',
      { warehouse: 'WH-A', sku: 'DEMO-0001', on_hand: 5, available: 4, updated_at: at(1) },
      { warehouse: 'WH-A', sku: 'DEMO-0002', on_hand: 'x', available: 4, updated_at: at(1) },
      { warehouse: 'WH-B', sku: 'DEMO-0001', on_hand: 7, available: 7, updated_at: at(1) },
      { warehouse: 'WH-B', sku: 'NOPE', on_hand: 1, available: 1, updated_at: at(2) },
    );
    const key = await integration();
    const execution = await app.engine.run({ integrationKey: key, domainType: 'warehouse_inventory' });
    const { rows } = await app.pool.query(`SELECT external_id, status, record_count FROM sync_item WHERE execution_id = $1 ORDER BY id`, [execution.id]);
    expect(rows).toEqual([
      { external_id: 'WH-A', status: 'partial_mapped', record_count: 2 },
      { external_id: 'WH-B', status: 'success', record_count: 1 },
      { external_id: 'WH-B', status: 'failed', record_count: 1 },
    ]);
    expect(execution.errorAnalysis!.unmappedSkus).toEqual([{ value: 'NOPE', count: 1 }]);
  });

  it('fails only the invalid record inside a valid page', async () => {
    const key = await integration();
    source.put('sales_orders', order(7, 10, { lines: [{ sku: 'DEMO-0001', quantity: 1, unit_price: 12.5 }] }));
    const execution = await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    expect(execution.status).toBe('partial');
    const failed = await app.pool.query(`SELECT external_id, error_message FROM sync_item WHERE execution_id = $1 AND status = 'failed'`, [execution.id]);
    expect(failed.rows).toEqual([{ external_id: 'ORD-7', error_message: 'Invalid field "lines[0].unit_price": must be a decimal string like "12.50"' }]);
  });

  it('waits as a 429 asks (seconds or HTTP date), then goes on', async () => {
    const key = await integration();
    feed.inject({ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'status', status: 429, retryAfter: new Date(Date.now() - 1000).toUTCString() });
    const started = Date.now();
    const execution = await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    expect(execution.status).not.toBe('failed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const waits = log.lines.filter((line) => line.fields.status === 429);
    expect(waits.map((line) => line.fields.waitMs)).toEqual([1000, 0]);
    expect(waits.every((line) => line.fields.executionId === execution.id)).toBe(true);
  });

  it('retries 5xx, dropped connections and timeouts with backoff, logging each retry with the execution id', async () => {
    const key = await integration();
    feed.inject({ kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'delay', ms: 600 }, { kind: 'status', status: 500 });
    const execution = await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    expect(execution.status).not.toBe('failed');
    const retries = log.lines.filter((line) => line.msg?.startsWith('retrying'));
    expect(retries.map((line) => [line.fields.attempt, line.fields.executionId])).toEqual([
      [1, execution.id],
      [2, execution.id],
      [3, execution.id],
      [4, execution.id],
    ]);
    expect(retries.map((line) => line.fields.reason)).toEqual(['HTTP 503', expect.stringMatching(/ECONNRESET|socket|other side closed/i), 'no answer within 300 ms', 'HTTP 500']);
  });

  it('gives up after max_attempts with category connection, keeping the cursor', async () => {
    const key = await integration({ max_attempts: 3 });
    feed.inject(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 502 })));
    const execution = await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    expect(execution).toMatchObject({ status: 'failed', error: { category: 'connection', message: 'sales_orders page 1 failed after 3 attempts: HTTP 502' } });
    expect(await cursorOf(app.pool, key, 'sales_orders')).toBeNull();
  });

  it('fails at once on 401/403 with the credentials hint, and never logs the token', async () => {
    const key = await integration({}, 'wrong-token');
    const execution = await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    expect(execution.error).toEqual({
      category: 'authentication',
      message: 'The source refused the credentials (HTTP 401 on sales_orders page 1): update the integration credentials',
      hint: 'Authentication failed: update the integration credentials.',
    });
    expect(feed.requests).toHaveLength(1);
    feed.inject({ kind: 'status', status: 403 });
    expect((await app.engine.run({ integrationKey: await integration(), domainType: 'sales_orders' })).error?.category).toBe('authentication');
    expect(JSON.stringify(log.lines)).not.toContain('wrong-token');
    expect(JSON.stringify(log.lines)).not.toContain('feed-token');
  });

  it('fails with source_data, naming the page, when a body is not JSON or not the expected shape', async () => {
    const key = await integration();
    feed.inject({ kind: 'status', status: 200, body: '<html>maintenance</html>' });
    expect((await app.engine.run({ integrationKey: key, domainType: 'sales_orders' })).error).toMatchObject({
      category: 'source_data',
      message: 'Sales_orders page 1 is not valid JSON (starts with "<html>maintenance</html>")',
    });
    feed.inject({ kind: 'body', body: '{"records": []}' });
    const wrongShape = await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    expect(wrongShape.error?.category).toBe('source_data');
    expect(wrongShape.error?.message).toMatch(/^Page 1 of sales_orders is not in the expected shape/);
  });

  it('picks up records changed while a sync pages through them on the next run', async () => {
    const key = await integration({ page_size: 2 });
    const changing = new MemorySource();
    for (let n = 100; n < 110; n += 1) changing.put('sales_orders', order(n, 100 + n));
    const localFeed = new FakeFeed(changing, 'feed-token');
    const url = await localFeed.start();
    await app.integrations.apply(
      (await app.integrations.list()).map((row) => ({
        ...demoSpec({ key: row.key }),
        connector: 'http-json',
        config: row.key === key ? { base_url: url, page_size: 2, retry_base_ms: 5 } : row.config,
        credentials: { token: 'feed-token' },
      })), { actor: 'test' });
    let served = 0;
    localFeed.beforeAnswer = () => {
      served += 1;
      // While page 3 is requested, an order already read (page 1) and one not yet read change.
      if (served === 3) changing.put('sales_orders', order(100, 500, { status: 'refunded' }), order(109, 501, { status: 'cancelled' }));
    };
    await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    localFeed.beforeAnswer = null;
    await app.engine.run({ integrationKey: key, domainType: 'sales_orders' });
    const statuses = await app.pool.query(
      `SELECT external_id, status FROM sales_order WHERE integration_id = (SELECT id FROM integration WHERE key = $1) AND external_id IN ('ORD-100', 'ORD-109') ORDER BY external_id`,
      [key],
    );
    expect(statuses.rows).toEqual([
      { external_id: 'ORD-100', status: 'refunded' },
      { external_id: 'ORD-109', status: 'cancelled' },
    ]);
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sales_order WHERE integration_id = (SELECT id FROM integration WHERE key = $1)`, [key])).toBe(10);
    await localFeed.stop();
  });

  it('rejects a bad http-json config at apply time, naming each field', () => {
    const spec = { ...demoSpec({ key: 'bad' }), connector: 'http-json', config: { base_url: 'ftp://x', page_size: 0 }, credentials: {} };
    expect(() => checkSpecsAgainstConnectors([spec], app.connectors)).toThrow(
      'Integration "bad": config.base_url: must be an http(s) URL like https://feed.example.com/v1; config.page_size: Too small: expected number to be >=1; credentials.token: is required (the Bearer token)',
    );
  });
});
