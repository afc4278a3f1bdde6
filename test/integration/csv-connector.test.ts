import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFeed, MemorySource } from '../fakes/fake-feed.js';
import { seedCatalog, tempDir, writeTemp } from '../support/fixtures.js';
import { cursorOf, scalar } from '../support/queries.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('csv connector, and both real connectors from `integrations apply` through `tether sync`', () => {
  let app: TestApp;
  let dir: string;
  let feed: FakeFeed;
  let single: string;
  let integrationsYaml: (extra?: string) => string;
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
    await mkdir(join(dir, 'gone'));
    await mkdir(join(dir, 'empty-drop'));
    await writeFile(join(dir, 'empty-drop', 'readme.txt'), 'no csv files here');
    single = join(await tempDir(), 'stock.csv');
    await writeFile(single, 'warehouse,sku,on_hand,available\n');
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
    integrationsYaml = (extra = '') => `
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
  name: Folder removed after apply
  connector: csv
  domains: [warehouse_inventory]
  config: { path: "${dir}/gone" }
- key: single
  name: One file
  connector: csv
  domains: [warehouse_inventory]
  config: { path: "${single}" }
- key: quiet
  name: Folder without CSV files
  connector: csv
  domains: [warehouse_inventory]
  config: { path: "${dir}/empty-drop" }
${extra}`;
    const yaml = await writeTemp('integrations.yml', integrationsYaml());
    expect((await cli('integrations', 'apply', yaml)).code).toBe(0);
    for (const key of ['threepl', 'feed', 'single']) await seedCatalog(app, key);
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

  it('checks config.path at apply: a missing path or one that is neither a file nor a directory is refused, nothing written', async () => {
    const before = (await app.pool.query(`SELECT key, enabled, config FROM integration ORDER BY key`)).rows;
    const cases: [string, string][] = [
      [`${dir}/nope`, `Integration "typo": config.path: ${dir}/nope does not exist (expected a .csv file or a directory of them)`],
      ['/dev/null', 'Integration "typo": config.path: /dev/null is neither a file nor a directory'],
    ];
    for (const [path, message] of cases) {
      const file = await writeTemp('integrations.yml', integrationsYaml(`
- key: typo
  name: Typo
  connector: csv
  domains: [warehouse_inventory]
  config: { path: "${path}" }
`));
      const result = await cli('integrations', 'apply', file);
      expect({ path, code: result.code, stderr: result.stderr }).toEqual({ path, code: 2, stderr: `error: ${message}` });
    }
    // Declarative apply would have disabled nothing and created nothing either: the file was refused whole.
    expect((await app.pool.query(`SELECT key, enabled, config FROM integration ORDER BY key`)).rows).toEqual(before);

    const accepted = await writeTemp('integrations.yml', integrationsYaml());
    expect(await cli('integrations', 'apply', accepted)).toMatchObject({ code: 0, stdout: expect.stringContaining('Unchanged: threepl, feed, missing, single, quiet') });
  });

  it('fails clearly on a folder removed after apply and on a file without the required header', async () => {
    await rm(join(dir, 'gone'), { recursive: true });
    const missing = await cli('sync', 'missing');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`[configuration] config.path: ${dir}/gone does not exist (expected a .csv file or a directory of them)`);

    await writeFile(join(dir, 'zz-broken.csv'), 'warehouse,sku,qty\nEAST,DEMO-0001,1\n');
    const [broken] = JSON.parse((await cli('sync', 'threepl', '--json')).stdout);
    expect(broken.error).toMatchObject({ category: 'source_data', message: 'zz-broken.csv: the header must have the columns warehouse,sku,on_hand,available (missing: on_hand, available)' });
  });

  it('a header-only file syncs 0 records; a one-line file without a header, or an empty file, fails as source_data naming the file', async () => {
    const headerOnly = await cli('sync', 'single', '--json');
    expect(headerOnly.code).toBe(0);
    expect(JSON.parse(headerOnly.stdout)[0]).toMatchObject({ status: 'success', recordsFetched: 0, error: null });

    // Each rewrite gets a later modification time, so the connector sees a new version of the file.
    let version = 0;
    const rewrite = async (content: string) => {
      await writeFile(single, content);
      version += 1;
      await utimes(single, new Date(), new Date(Date.now() + version * 10_000));
    };
    await rewrite('warehouse,sku,on_hand,available\nEAST,DEMO-0001,4,4\n');
    expect(JSON.parse((await cli('sync', 'single', '--json')).stdout)[0]).toMatchObject({ status: 'success', recordsFetched: 1 });
    const cursor = await cursorOf(app.pool, 'single', 'warehouse_inventory');
    expect(cursor).toContain('stock.csv');

    const cases: [string, string][] = [
      ['EAST,DEMO-0001,10,8\n', 'stock.csv: the header must have the columns warehouse,sku,on_hand,available (missing: warehouse, sku, on_hand, available)'],
      ['EAST,DEMO-0001,10,8', 'stock.csv: the header must have the columns warehouse,sku,on_hand,available (missing: warehouse, sku, on_hand, available)'],
      ['', 'stock.csv is empty: expected a header row with columns warehouse,sku,on_hand,available'],
      ['\ufeff\r\n\r\n', 'stock.csv is empty: expected a header row with columns warehouse,sku,on_hand,available'],
    ];
    for (const [content, message] of cases) {
      await rewrite(content);
      const result = await cli('sync', 'single', '--json');
      expect({ content, code: result.code }).toEqual({ content, code: 1 });
      const execution = JSON.parse(result.stdout)[0];
      expect(execution).toMatchObject({ status: 'failed', recordsFetched: 0, successCount: 0 });
      expect(execution.error).toMatchObject({ category: 'source_data', message });
      // A failed run leaves the cursor where it was, so the file is read again once it is fixed.
      expect(await cursorOf(app.pool, 'single', 'warehouse_inventory')).toBe(cursor);
    }
    expect(await levels('single')).toEqual([{ external_id: 'EAST:DEMO-0001', on_hand: 4, available: 4 }]);

    await rewrite('warehouse,sku,on_hand,available\nEAST,DEMO-0001,6,5\n');
    expect(JSON.parse((await cli('sync', 'single', '--json')).stdout)[0]).toMatchObject({ status: 'success', recordsFetched: 1 });
    expect(await levels('single')).toEqual([{ external_id: 'EAST:DEMO-0001', on_hand: 6, available: 5 }]);
  });

  it('a folder with no .csv files in it syncs 0 records', async () => {
    const result = await cli('sync', 'quiet', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)[0]).toMatchObject({ status: 'success', recordsFetched: 0, error: null });
  });

  it('syncs the http-json feed from the CLI with the token from the environment', async () => {
    const result = await cli('sync', 'feed', '--json');
    expect(JSON.parse(result.stdout)[0]).toMatchObject({ status: 'success', successCount: 1 });
    expect(feed.requests[0]!.authorization).toBe('Bearer tok');
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sales_order WHERE external_id = 'H-1'`)).toBe(1);
  });
});
