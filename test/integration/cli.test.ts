import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli-process.js';
import { writeTemp } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const EXECUTION_KEYS = [
  'id', 'integration', 'domainType', 'status', 'trigger', 'dryRun', 'startedAt', 'finishedAt', 'durationMs',
  'recordsFetched', 'carriedOver', 'successCount', 'failedCount', 'skippedCount', 'error', 'errorAnalysis',
].sort();

const integrationsYaml = (orders = 120, extra = '') => `
- key: shop
  name: Shop
  connector: demo
  domains: [sales_orders, warehouse_inventory]
  credentials: { token: "\${SHOP_TOKEN}" }
  config: { orders: ${orders}, page_size: 40, sku_count: 10, warehouses: 2 }
- key: broken
  name: Broken
  connector: demo
  domains: [sales_orders]
  config: { fail_at_page: 1, fail_category: connection }
${extra}`;

describe('tether CLI', () => {
  let app: TestApp;
  const cli = cliRunner(() => app.config.databaseUrl, { SHOP_TOKEN: 'tok-secret-42' });
  let firstExecution = 0;
  const json = async (...argv: string[]) => {
    const result = await cli(...argv, '--json');
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.destroy());

  it('applies integrations declaratively, sealing credentials', async () => {
    const file = await writeTemp('integrations.yml', integrationsYaml());
    expect(await cli('integrations', 'apply', file)).toMatchObject({ code: 0, stdout: 'Created: shop, broken\nSchedules: none' });
    expect(await cli('integrations', 'apply', file)).toMatchObject({ code: 0, stdout: 'Unchanged: shop, broken\nSchedules: none' });
    const edited = await writeTemp('integrations.yml', integrationsYaml(200).replace(/- key: broken[\s\S]*/, ''));
    const plan = await cli('integrations', 'apply', edited, '--by', 'alice', '--dry-run');
    expect(plan.stdout).toContain('Dry run: nothing was changed.\nWould be updated: shop\nWould be disabled (not in file): broken');
    expect(await scalar(app.pool, `SELECT enabled FROM integration WHERE key = 'broken'`)).toBe(true);
    expect(await scalar(app.pool, `SELECT count(*)::int FROM audit_event WHERE action LIKE 'integration.%' AND actor = 'alice'`)).toBe(0);
    const applied = await cli('integrations', 'apply', edited, '--by', 'alice');
    expect(applied.stdout).toBe(
      `Updated: shop\nDisabled (not in file): broken\nIntegrations missing from the file were disabled (their schedules stop; data and history are kept). To undo, add them back to ${edited} and apply it again.\nSchedules: none`,
    );
    expect(await scalar(app.pool, `SELECT enabled FROM integration WHERE key = 'broken'`)).toBe(false);
    expect(await cli('integrations', 'apply', file)).toMatchObject({ code: 0 });

    const sealed = await scalar<string>(app.pool, `SELECT credentials_sealed FROM integration WHERE key = 'shop'`);
    expect(sealed).not.toContain('tok-secret-42');
    const listed = await cli('integrations', 'list', '--json');
    expect(listed.stdout).not.toContain('tok-secret-42');
    expect(JSON.parse(listed.stdout)[1]).toMatchObject({ key: 'shop', hasCredentials: true, enabled: true });
    expect(await scalar(app.pool, `SELECT actor FROM audit_event WHERE action = 'integration.updated'`)).toBe('alice');
  });

  it('imports SKUs, channels and mappings from CSV (BOM, CRLF, quotes)', async () => {
    const skus = await writeTemp('skus.csv', '\ufeffcode,name\r\nSKU-0001,"Widget, large"\r\nSKU-0002,Gadget\r\n');
    expect(await cli('skus', 'import', skus)).toMatchObject({ code: 0, stdout: 'Imported 2 skus.' });
    expect(await scalar(app.pool, `SELECT name FROM sku WHERE code = 'SKU-0001'`)).toBe('Widget, large');
    const channels = await writeTemp('channels.csv', 'code,name\nWEB,Web\n');
    expect((await cli('channels', 'import', channels)).code).toBe(0);
    const mappings = await writeTemp(
      'mappings.csv',
      'integration,kind,external_id,tether_code\nshop,sku,DEMO-0001,SKU-0001\nshop,channel,web-store,WEB\n',
    );
    expect(await cli('mappings', 'import', mappings)).toMatchObject({ code: 0, stdout: 'Imported 1 SKU mappings and 1 channel mappings.' });

    // The rest of the demo catalog, except one SKU, so the sync below is partial.
    const n = (i: number) => String(i).padStart(4, '0');
    const moreSkus = await writeTemp('more.csv', ['code,name', ...[2, 3, 4, 5, 6, 7, 8, 9].map((i) => `SKU-${n(i)},P${i}`)].join('\n'));
    const moreChannels = await writeTemp('ch.csv', 'code,name\nAMAZON,Amazon\nEBAY,eBay\n');
    const moreMappings = await writeTemp(
      'more-mappings.csv',
      [
        'integration,kind,external_id,tether_code',
        ...[2, 3, 4, 5, 6, 7, 8, 9].map((i) => `shop,sku,DEMO-${n(i)},SKU-${n(i)}`),
        'shop,channel,amazon-us,AMAZON',
        'shop,channel,ebay,EBAY',
      ].join('\n'),
    );
    for (const [kind, file] of [['skus', moreSkus], ['channels', moreChannels], ['mappings', moreMappings]] as const) {
      expect((await cli(kind, 'import', file)).code).toBe(0);
    }
  });

  it('syncs, prints the JSON contract, and exits 1 only when a sync failed', async () => {
    const partial = await cli('sync', 'shop', '--domain', 'sales_orders', '--json', '--by', 'bob');
    expect(partial.code).toBe(0);
    const runs = JSON.parse(partial.stdout);
    expect(runs).toHaveLength(1); // one shape: always an array, one element per domain type run
    const execution = runs[0];
    firstExecution = execution.id;
    expect(Object.keys(execution).sort()).toEqual(EXECUTION_KEYS);
    expect(execution).toMatchObject({ integration: 'shop', domainType: 'sales_orders', status: 'partial', trigger: 'manual', dryRun: false });
    expect(Object.keys(execution.errorAnalysis).sort()).toEqual(['topErrors', 'unmappedChannels', 'unmappedSkus']);

    const both = await json('sync', 'shop', '--dry-run');
    expect(both.map((e: { domainType: string; dryRun: boolean }) => [e.domainType, e.dryRun])).toEqual([
      ['sales_orders', true],
      ['warehouse_inventory', true],
    ]);

    const failed = await cli('sync', 'broken');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Status     FAILED');
    expect(failed.stdout).toContain('[connection] Demo source failed on page 1');

    const listed = await json('executions', 'shop', '--domain', 'sales_orders');
    expect(listed.map((e: { id: number }) => e.id)).toEqual([both[0].id, execution.id]);
    expect(Object.keys(listed[0]).sort()).toEqual(EXECUTION_KEYS);
    expect(await json('execution', String(execution.id))).toEqual(execution);
    expect((await cli('execution', String(execution.id))).stdout).toContain('Unmapped SKUs');
  });

  it('pages through items with a keyset cursor, filters by status and searches', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: { items: { id: number }[]; nextCursor: string | null } = await json('items', String(firstExecution), '--limit', '25', ...(after ? ['--after', after] : []));
      seen.push(...page.items.map((item) => item.id));
      after = page.nextCursor;
      pages += 1;
    } while (after);
    const total = await scalar(app.pool, 'SELECT count(*)::int FROM sync_item WHERE execution_id = $1', [firstExecution]);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(pages).toBe(Math.ceil(total / 25));

    const id = String(firstExecution);
    const failed = await json('items', id, '--status', 'failed,partial_mapped', '--limit', '1000');
    expect(failed.items.length).toBe(
      await scalar(app.pool, `SELECT count(*)::int FROM sync_item WHERE execution_id = $1 AND status IN ('failed','partial_mapped')`, [firstExecution]),
    );
    expect(failed.items.every((item: { status: string }) => ['failed', 'partial_mapped'].includes(item.status))).toBe(true);

    const found = await json('items', id, '--search', 'demo-ord-0000007');
    expect(found.items.map((item: { externalId: string }) => item.externalId)).toEqual(['DEMO-ORD-0000007']);
    const byMessage = await json('items', id, '--search', 'unmapped channel "web-store"');
    expect(byMessage.items.length).toBe(0); // web-store is mapped
    expect(Object.keys((await json('items', id, '--limit', '1')).items[0]).sort()).toEqual(
      ['carriedOver', 'domainType', 'errorMessage', 'externalId', 'fetchedAt', 'id', 'recordCount', 'status'],
    );
    const text = await cli('items', id, '--limit', '5');
    expect(text.stdout).toMatch(new RegExp(`Next page: tether items ${id} --limit 5 --after \\S+`));
  });

  it('opens the per-record error breakdown of an aggregate item', async () => {
    const [inventory] = await json('sync', 'shop', '--domain', 'warehouse_inventory');
    const items = await json('items', String(inventory.id), '--status', 'partial_mapped,failed');
    const item = await json('item', String(items.items[0].id));
    expect(item.aggregate).toBe(true);
    expect(item.recordErrors.length).toBeGreaterThan(0);
    expect(item.recordErrors[0].message).toMatch(/^Unmapped SKU "DEMO-0010"$/);
  });

  it('resets sync state with an audited actor; the next run is a full re-sync', async () => {
    expect(await cli('reset', 'shop', '--domain', 'sales_orders')).toMatchObject({ code: 2, stderr: expect.stringContaining("--by <who>") });
    expect((await cli('reset', 'shop', '--domain', 'sales_orders', '--by', 'carol')).code).toBe(0);
    expect(await scalar(app.pool, `SELECT actor FROM audit_event WHERE action = 'sync_state.reset'`)).toBe('carol');
    expect((await json('sync', 'shop', '--domain', 'sales_orders'))[0].trigger).toBe('full_resync');
  });

  it('answers bad input with exit 2 and one clear line', async () => {
    const badYaml = await writeTemp('bad.yml', '- key: [unclosed');
    const unknownConnector = await writeTemp('c.yml', '- { key: x, name: X, connector: shopify, domains: [sales_orders] }');
    const badConfig = await writeTemp('d.yml', '- { key: x, name: X, connector: demo, domains: [sales_orders], config: { orders: -5 } }');
    const noHeader = await writeTemp('skus.csv', 'sku,title\nA,B\n');
    const emptyCode = await writeTemp('skus.csv', 'code,name\nOK-1,fine\n,nameless\n');
    const badMapping = await writeTemp('m.csv', 'integration,kind,external_id,tether_code\nshop,sku,X,SKU-0001\nnope,sku,Y,SKU-0001\nshop,colour,Z,SKU-0001\n');
    const cases: [string[], RegExp][] = [
      [['sync', 'shp'], /Unknown integration "shp" \(did you mean "shop"\?\)/],
      [['sync', 'shop', '--domain', 'orders'], /--domain must be one of sales_orders, warehouse_inventory/],
      [['sync', 'shop', '--bogus'], /unknown option '--bogus'/],
      [['items', '1', '--limit', 'ten'], /--limit must be a whole number from 1 to 1000 \(got "ten"\)/],
      [['items', '1', '--after', 'garbage'], /"garbage" is not a cursor printed by a previous items page/],
      [['items', '1', '--status', 'broken'], /--status must be one or more of/],
      [['items', 'abc'], /execution id must be a positive whole number/],
      [['execution', '999'], /No execution #999/],
      [['integrations', 'apply', badYaml], /is not valid YAML/],
      [['integrations', 'apply', '/nonexistent.yml'], /Cannot read \/nonexistent.yml: no such file/],
      [['integrations', 'apply', unknownConnector], /unknown connector "shopify" \(known: demo, http-json, csv\)/],
      [['integrations', 'apply', badConfig], /config\.orders/],
      [['skus', 'import', noHeader], /the header must have the columns code,name \(missing: code, name\)/],
      [['skus', 'import', emptyCode], /nothing imported, 1 bad row\(s\): line 3: code is empty/],
      [['mappings', 'import', badMapping], /line 3: unknown integration "nope"; line 4: kind must be sku or channel/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(...argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // never a stack trace
    }
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sku WHERE code = 'OK-1'`)).toBe(0);
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sku_external_id WHERE external_id = 'X'`)).toBe(0);
  });

  it('the real binary exits 2 with the message on stderr', async () => {
    const { code, stdout, stderr } = await spawnCli(['sync', 'nope'], app.config.databaseUrl).output;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe('error: Unknown integration "nope". Known: broken, shop.');
  });
});
