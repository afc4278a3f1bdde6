import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFeed, MemorySource } from '../fakes/fake-feed.js';
import { seedCatalog, tempDir, writeTemp } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('csv connector, and both real connectors from `integrations apply` through `tether sync`', () => {
  let app: TestApp;
  let dir: string;
  let feed: FakeFeed;
  const cli = cliRunner(() => app.config.databaseUrl, { FEED_TOKEN: 'tok' });
  const levels = (key: string) =>
    app.pool
      .query(
        `SELECT external_id, on_hand, available FROM inventory_level WHERE integration_id = (SELECT id FROM integration WHERE key = $1) ORDER BY external_id`,
        [key],
      )
      .then((result) => result.rows);

  beforeAll(async () => {
    app = await startTestApp();
    dir = join(await tempDir(), 'drop');
    await mkdir(dir);
    await writeFile(
      join(dir, 'wh-east.csv'),
      '\ufeffwarehouse,sku,on_hand,available,updated_at\r\n' +
        'EAST,DEMO-0001,10,8,2026-11-01T00:00:00Z\r\n' +
        '"EAST","DEMO-0002","5","5",\r\n' +
        'EAST,DEMO-0003,1O,1,\r\n' + // a letter O, not a zero
        'EAST,UNKNOWN-9,3,3,\r\n',
    );
    await writeFile(join(dir, 'wh-west.csv'), 'warehouse,sku,on_hand,available\nWEST,DEMO-0001,7,7\n');
    await writeFile(join(dir, 'notes.txt'), 'not a csv');
    const source = new MemorySource();
    source.put('sales_orders', {
      id: 'H-1',
      updated_at: '2026-11-02T00:00:00Z',
      ordered_at: '2026-11-02T00:00:00Z',
      channel: 'web-store',
      status: 'paid',
      currency: 'USD',
      lines: [{ sku: 'DEMO-0001', quantity: 1, unit_price: '5.00' }],
    });
    feed = new FakeFeed(source, 'tok');
    const baseUrl = await feed.start();
    const yaml = await writeTemp(
      'integrations.yml',
      `
- key: threepl
  name: 3PL drop folder
  connector: csv
  domains: [warehouse_inventory]
  config: { path: "${dir}", page_size: 2 }
- key: feed
  name: HTTP feed
  connector: http-json
  domains: [sales_orders]
  config: { base_url: "${baseUrl}" }
  credentials: { token: "\${FEED_TOKEN}" }
- key: missing
  name: Missing folder
  connector: csv
  domains: [warehouse_inventory]
  config: { path: "${dir}/nope" }
`,
    );
    expect((await cli('integrations', 'apply', yaml)).code).toBe(0);
    for (const key of ['threepl', 'feed']) await seedCatalog(app, key);
  });
  afterAll(async () => {
    await feed?.stop();
    await app?.destroy();
  });

  it('reads a folder of CSV files (BOM, CRLF, quotes); a bad number fails alone, with its line', async () => {
    const result = await cli('sync', 'threepl', '--json');
    expect(result.code).toBe(0);
    const [execution] = JSON.parse(result.stdout);
    expect(execution).toMatchObject({ status: 'partial', recordsFetched: 5 });
    const items = await app.pool.query(`SELECT id, external_id, status, record_count, error_message FROM sync_item WHERE execution_id = $1 ORDER BY id`, [execution.id]);
    expect(items.rows.map((row) => [row.external_id, row.status, row.record_count])).toEqual([
      ['EAST', 'success', 2],
      ['EAST', 'failed', 2],
      ['WEST', 'success', 1],
    ]);
    const errors = await app.pool.query(`SELECT record_ref, message FROM sync_item_error WHERE item_id = $1 ORDER BY id`, [items.rows[1].id]);
    expect(errors.rows).toEqual([
      { record_ref: 'wh-east.csv line 4 (sku DEMO-0003)', message: 'Invalid field "on_hand": must be a whole number' },
      { record_ref: 'wh-east.csv line 5 (sku UNKNOWN-9)', message: 'Unmapped SKU "UNKNOWN-9"' },
    ]);
    expect(items.rows[1].error_message).toBe('2 of 2 records failed; first: wh-east.csv line 4 (sku DEMO-0003): Invalid field "on_hand": must be a whole number');
    expect(await levels('threepl')).toEqual([
      { external_id: 'EAST:DEMO-0001', on_hand: 10, available: 8 },
      { external_id: 'EAST:DEMO-0002', on_hand: 5, available: 5 },
      { external_id: 'WEST:DEMO-0001', on_hand: 7, available: 7 },
    ]);
  });

  it('skips files unchanged since the last sync and reads a changed one again', async () => {
    // Nothing is read again; the two bad rows of the first run are carried over, still bad: the
    // run's only item (their warehouse) failed outright.
    const [again] = JSON.parse((await cli('sync', 'threepl', '--json')).stdout);
    expect(again).toMatchObject({ status: 'failed', recordsFetched: 0, carriedOver: 2, successCount: 0, failedCount: 1 });
    expect(again.error.category).toBe('items_failed');

    await writeFile(join(dir, 'wh-west.csv'), 'warehouse,sku,on_hand,available\nWEST,DEMO-0001,2,1\nWEST,DEMO-0002,9,9\n');
    await utimes(join(dir, 'wh-west.csv'), new Date(), new Date(Date.now() + 5000));
    const [changed] = JSON.parse((await cli('sync', 'threepl', '--json')).stdout);
    expect(changed).toMatchObject({ status: 'partial', recordsFetched: 2, carriedOver: 2, successCount: 1, failedCount: 1 });
    expect((await levels('threepl')).filter((row) => row.external_id.startsWith('WEST'))).toEqual([
      { external_id: 'WEST:DEMO-0001', on_hand: 2, available: 1 },
      { external_id: 'WEST:DEMO-0002', on_hand: 9, available: 9 },
    ]);
  });

  it('fails clearly on a missing folder and on a file without the required header', async () => {
    const missing = await cli('sync', 'missing');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`[configuration] config.path ${dir}/nope does not exist`);

    await writeFile(join(dir, 'zz-broken.csv'), 'warehouse,sku,qty\nEAST,DEMO-0001,1\n');
    const [broken] = JSON.parse((await cli('sync', 'threepl', '--json')).stdout);
    expect(broken.error).toMatchObject({ category: 'source_data', message: 'zz-broken.csv: the header must have the columns warehouse,sku,on_hand,available (missing: on_hand, available)' });
  });

  it('syncs the http-json feed from the CLI with the token from the environment', async () => {
    const result = await cli('sync', 'feed', '--json');
    expect(JSON.parse(result.stdout)[0]).toMatchObject({ status: 'success', successCount: 1 });
    expect(feed.requests[0]!.authorization).toBe('Bearer tok');
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sales_order WHERE external_id = 'H-1'`)).toBe(1);
  });
});
