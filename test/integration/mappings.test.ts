import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Refusal } from '../../src/domain/refusals.js';
import { DEMO_UNMAPPED_CHANNELS, DEMO_UNMAPPED_SKUS } from '../../src/sync/connectors/demo/demo-data.js';
import { seedCatalog, writeTemp } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Mappings one by one (CLI twins of the Slack mapping form), the unmapped values kept problem
 * records hold back, and the catalog search behind the form's select.
 */
describe('mappings', () => {
  let app: TestApp;
  const cli = cliRunner(() => app.config.databaseUrl);

  const audits = async (action: string) =>
    (
      await app.pool.query(`SELECT actor, integration_key, details FROM audit_event WHERE action = $1 ORDER BY id`, [action])
    ).rows;
  const mappingCounts = async () =>
    (
      await app.pool.query(
        `SELECT (SELECT count(*)::int FROM sku_external_id) AS skus, (SELECT count(*)::int FROM channel_external_id) AS channels,
                (SELECT count(*)::int FROM audit_event WHERE action LIKE 'mappings.%') AS audits`,
      )
    ).rows[0];
  const integrationId = (key: string) => scalar<number>(app.pool, 'SELECT id FROM integration WHERE key = $1', [key]);

  /** A kept problem record, as a run would have kept it (raw JSON of the source record). */
  async function keep(key: string, domainType: 'sales_orders' | 'warehouse_inventory', externalId: string, raw: unknown): Promise<void> {
    await app.pool.query(
      `INSERT INTO problem_record (integration_id, domain_type, external_id, raw, record_ref, error_message, first_execution_id, seen_execution_id)
       VALUES ($1, $2, $3, $4, $3, 'kept for the test', 0, 0)`,
      [await integrationId(key), domainType, externalId, JSON.stringify(raw)],
    );
  }
  const order = (id: string, channel: string, currency: string, lines: unknown) => ({
    id,
    updated_at: '2026-11-01T00:00:00Z',
    ordered_at: '2026-11-01T00:00:00Z',
    channel,
    status: 'paid',
    currency,
    lines,
  });

  beforeAll(async () => {
    app = await startTestApp();
    const yaml = await writeTemp(
      'integrations.yml',
      `
- { key: shop, name: Shop, connector: demo, domains: [sales_orders, warehouse_inventory] }
- { key: outlet, name: Outlet, connector: demo, domains: [sales_orders] }
- { key: by-code, name: By code, connector: demo, domains: [sales_orders], match_sku_codes: true }
- { key: catalog, name: Catalog, connector: demo, domains: [sales_orders] }
- key: demo-fix
  name: Demo fix
  connector: demo
  domains: [sales_orders]
  config: { orders: 80, page_size: 20, sku_count: 10, unmapped_sku_rate: 0.1, unmapped_channel_rate: 0.1, invalid_rate: 0 }
`,
    );
    expect((await cli('integrations', 'apply', yaml)).code).toBe(0);
    const skus = ['code,name', 'SKU-1,Tee one', 'SKU-2,Tee two', 'SKU-3,Mug three', 'SKU-10,Tee ten'];
    expect((await cli('skus', 'import', await writeTemp('skus.csv', skus.join('\n')))).code).toBe(0);
    expect((await cli('channels', 'import', await writeTemp('channels.csv', 'code,name\nWEB,Web store\nMARKET,Marketplace\n'))).code).toBe(0);
  });
  afterAll(async () => app?.destroy());

  it('add, change, leave alone and remove a mapping through the CLI; each change audited with the old and new code', async () => {
    const added = await cli('mappings', 'add', 'shop', 'sku', 'EXT-1', 'SKU-1', '--by', 'ana');
    expect(added).toEqual({
      code: 0,
      stdout: 'Mapped SKU "EXT-1" of shop to SKU-1 (Tee one).\nNext: tether sync shop re-processes the kept problem records with it.',
      stderr: '',
    });
    const changed = await cli('mappings', 'add', 'shop', 'sku', 'EXT-1', 'SKU-2', '--by', 'ben', '--json');
    expect(changed.code).toBe(0);
    expect(JSON.parse(changed.stdout)).toEqual({
      integration: 'shop',
      kind: 'sku',
      externalId: 'EXT-1',
      code: 'SKU-2',
      name: 'Tee two',
      previousCode: 'SKU-1',
      outcome: 'changed',
    });
    expect((await cli('mappings', 'add', 'shop', 'sku', 'EXT-1', 'SKU-2', '--by', 'ben')).stdout).toBe(
      'SKU "EXT-1" of shop already maps to SKU-2 (Tee two): nothing changed.',
    );
    // Surrounding spaces are dropped, as the sync drops them from the values it resolves.
    expect((await cli('mappings', 'add', 'shop', 'channel', '  amazon-de ', 'MARKET', '--by', 'ana')).code).toBe(0);
    expect((await cli('mappings', 'add', 'outlet', 'sku', 'EXT-1', 'SKU-3', '--by', 'ana')).code).toBe(0);

    expect(await audits('mappings.added')).toEqual([
      { actor: 'ana', integration_key: 'shop', details: { kind: 'sku', externalId: 'EXT-1', code: 'SKU-1', previousCode: null } },
      { actor: 'ana', integration_key: 'shop', details: { kind: 'channel', externalId: 'amazon-de', code: 'MARKET', previousCode: null } },
      { actor: 'ana', integration_key: 'outlet', details: { kind: 'sku', externalId: 'EXT-1', code: 'SKU-3', previousCode: null } },
    ]);
    // The unchanged one wrote nothing.
    expect(await audits('mappings.changed')).toEqual([
      { actor: 'ben', integration_key: 'shop', details: { kind: 'sku', externalId: 'EXT-1', code: 'SKU-2', previousCode: 'SKU-1' } },
    ]);

    const list = await cli('mappings', 'list', 'shop', '--json');
    expect(JSON.parse(list.stdout)).toEqual({
      integration: 'shop',
      mappings: [
        { kind: 'sku', externalId: 'EXT-1', code: 'SKU-2', name: 'Tee two', createdAt: expect.any(String) },
        { kind: 'channel', externalId: 'amazon-de', code: 'MARKET', name: 'Marketplace', createdAt: expect.any(String) },
      ],
      nextCursor: null,
    });
    const table = await cli('mappings', 'list', 'shop', '--kind', 'channel');
    expect(table.stdout).toContain('amazon-de');
    expect(table.stdout).not.toContain('EXT-1');

    expect(await cli('mappings', 'remove', 'shop', 'sku', 'EXT-1', '--by', 'cleo')).toEqual({
      code: 0,
      stdout:
        'Removed the SKU mapping "EXT-1" → SKU-2 of shop. Saved data stays as it is; records with "EXT-1" synced from now on are unmapped.',
      stderr: '',
    });
    expect(await audits('mappings.removed')).toEqual([
      { actor: 'cleo', integration_key: 'shop', details: { kind: 'sku', externalId: 'EXT-1', code: 'SKU-2' } },
    ]);
    // The other integration's mapping of the same external id stays.
    expect(JSON.parse((await cli('mappings', 'list', 'outlet', '--json')).stdout).mappings).toHaveLength(1);
    expect(JSON.parse((await cli('mappings', 'list', 'shop', '--json')).stdout).mappings.map((m: { externalId: string }) => m.externalId)).toEqual([
      'amazon-de',
    ]);
  });

  it('refuses bad input with exit 2 and one line, writing and auditing nothing', async () => {
    const cases: [string[], string][] = [
      [['mappings', 'add', 'shpo', 'sku', 'X', 'SKU-1'], 'error: Unknown integration "shpo" (did you mean "shop"?). Known: by-code, catalog, demo-fix, outlet, shop.'],
      [
        ['mappings', 'add', 'shop', 'sku', 'X', 'SKU-11'],
        'error: Unknown Tether SKU "SKU-11" (did you mean "SKU-1"?); to add it to Tether: tether skus import <file.csv>',
      ],
      [['mappings', 'add', 'shop', 'sku', 'X', 'NOTHING-LIKE-IT'], 'error: Unknown Tether SKU "NOTHING-LIKE-IT"; to add it to Tether: tether skus import <file.csv>'],
      [
        ['mappings', 'add', 'shop', 'channel', 'X', 'WEBB'],
        'error: Unknown Tether channel "WEBB" (did you mean "WEB"?); to add it to Tether: tether channels import <file.csv>',
      ],
      [['mappings', 'add', 'shop', 'skus', 'X', 'SKU-1'], 'error: Kind must be sku or channel (got "skus") (did you mean "sku"?)'],
      [['mappings', 'add', 'shop', 'sku', '   ', 'SKU-1'], 'error: The external SKU id is empty'],
      [['mappings', 'add', 'shop', 'sku', 'X'.repeat(256), 'SKU-1'], 'error: The external SKU id is longer than 255 characters'],
      [
        ['mappings', 'remove', 'shop', 'channel', 'amazon-dee', '--by', 'x'],
        'error: Integration "shop" has no channel mapping for "amazon-dee" (did you mean "amazon-de"?) (to see them: tether mappings list shop --kind channel)',
      ],
      [['mappings', 'remove', 'shop', 'channel', 'amazon-de'], "error: required option '--by <who>' not specified"],
      [['mappings', 'list', 'shop', '--kind', 'skuu'], 'error: --kind must be sku or channel (got "skuu") (did you mean "sku"?)'],
      [['mappings', 'list', 'shop', '--after', 'nope'], 'error: "nope" is not a cursor printed by a previous mappings page'],
      [['mappings', 'unmapped', 'shop', '--after', 'x'], "error: --after needs --kind (the cursor is of one kind's list)"],
      [['mappings', 'unmapped', 'shpo'], 'error: Unknown integration "shpo" (did you mean "shop"?). Known: by-code, catalog, demo-fix, outlet, shop.'],
    ];
    const before = await mappingCounts();
    for (const [argv, stderr] of cases) {
      const result = await cli(...argv);
      expect({ argv, ...result }).toEqual({ argv, code: 2, stdout: '', stderr });
    }
    expect(await mappingCounts()).toEqual(before);
  });

  it('a batch is all or nothing: every fault is named by entry, and nothing is written', async () => {
    const before = await mappingCounts();
    const error = await app.catalog
      .addMappings(
        'shop',
        [
          { kind: 'sku', externalId: 'B-1', code: 'SKU-1' },
          { kind: 'sku', externalId: 'B-2', code: 'SKU-9' },
          { kind: 'sku', externalId: 'B-1', code: 'SKU-2' },
          { kind: 'channel', externalId: 'B-1', code: 'WEB' },
          { kind: 'thing', externalId: 'B-3', code: 'WEB' },
        ],
        'ana',
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(Refusal);
    expect(error.code).toBe('invalid_input');
    expect(error.details.problems).toEqual([
      { index: 1, field: 'code', code: 'unknown_code', message: 'Unknown Tether SKU "SKU-9" (did you mean "SKU-1"?)', suggestion: 'SKU-1' },
      { index: 2, field: 'externalId', code: 'invalid_input', message: 'SKU "B-1" is given twice (entries 1 and 3)', suggestion: null },
      { index: 4, field: 'kind', code: 'invalid_input', message: 'Kind must be sku or channel (got "thing")', suggestion: null },
    ]);
    expect(error.message).toBe(
      'Nothing saved, 3 mappings are wrong: entry 2: Unknown Tether SKU "SKU-9" (did you mean "SKU-1"?); ' +
        'entry 3: SKU "B-1" is given twice (entries 1 and 3); entry 5: Kind must be sku or channel (got "thing")',
    );
    expect(await mappingCounts()).toEqual(before);

    // The good ones as a batch: one transaction, one audit row each; "was" for the one that changes.
    await app.catalog.addMapping('shop', 'sku', 'B-1', 'SKU-3', 'ana');
    const saved = await app.catalog.addMappings(
      'shop',
      [
        { kind: 'sku', externalId: 'B-1', code: 'SKU-1' },
        { kind: 'channel', externalId: 'B-1', code: 'WEB' },
      ],
      'ben',
    );
    expect(saved.map(({ kind, externalId, code, previousCode, outcome }) => ({ kind, externalId, code, previousCode, outcome }))).toEqual([
      { kind: 'sku', externalId: 'B-1', code: 'SKU-1', previousCode: 'SKU-3', outcome: 'changed' },
      { kind: 'channel', externalId: 'B-1', code: 'WEB', previousCode: null, outcome: 'added' },
    ]);
    await expect(app.catalog.addMappings('shop', [], 'ana')).rejects.toMatchObject({ code: 'invalid_input', message: 'No mappings to add' });
    await app.catalog.removeMapping('shop', 'sku', 'B-1', 'ana');
    await app.catalog.removeMapping('shop', 'channel', 'B-1', 'ana');
  });

  it('lists mappings in keyset pages, SKUs then channels', async () => {
    await app.catalog.addMappings(
      'catalog',
      [
        ...['P-3', 'P-1', 'P-5', 'P-2', 'P-4'].map((externalId) => ({ kind: 'sku', externalId, code: 'SKU-1' })),
        ...['c-2', 'c-1'].map((externalId) => ({ kind: 'channel', externalId, code: 'WEB' })),
      ],
      'ana',
    );
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<TestApp['catalog']['listMappings']>> = await app.catalog.listMappings('catalog', { limit: 3, after });
      seen.push(...page.mappings.map((m) => `${m.kind}:${m.externalId}`));
      after = page.nextCursor;
      pages += 1;
    } while (after);
    expect(seen).toEqual(['sku:P-1', 'sku:P-2', 'sku:P-3', 'sku:P-4', 'sku:P-5', 'channel:c-1', 'channel:c-2']);
    expect(pages).toBe(3);

    const first = await cli('mappings', 'list', 'catalog', '--kind', 'sku', '--limit', '2');
    const next = /Next page: tether (.*) --after (\S+)$/.exec(first.stdout)!;
    expect(next[1]).toBe('mappings list catalog --kind sku --limit 2');
    const second = JSON.parse((await cli('mappings', 'list', 'catalog', '--kind', 'sku', '--limit', '2', '--after', next[2]!, '--json')).stdout);
    expect(second.mappings.map((m: { externalId: string }) => m.externalId)).toEqual(['P-3', 'P-4']);
  });

  describe('unmapped values held back by kept problem records', () => {
    beforeAll(async () => {
      await app.catalog.addMappings(
        'shop',
        [
          { kind: 'sku', externalId: 'M-1', code: 'SKU-1' },
          { kind: 'channel', externalId: 'web', code: 'WEB' },
        ],
        'setup',
      );
      const line = (sku: unknown, quantity: unknown, unit_price: unknown) => ({ sku, quantity, unit_price });
      await keep('shop', 'sales_orders', 'O1', order('O1', 'web', 'EUR', [line('A', 2, '10.00'), line('M-1', 1, '5.00'), line('B', 1, '3.50')]));
      // A twice in one order: one order, both lines' units and value.
      await keep('shop', 'sales_orders', 'O2', order('O2', 'web', 'USD', [line('A', 3, '9.99'), line('A', 1, '9.99')]));
      await keep('shop', 'sales_orders', 'O3', order('O3', 'amazon-uk', 'EUR', [line('M-1', 4, '2.25'), line('C', 5, '1.10')]));
      // Spaces around a value (the sync trims them), a quantity as a string of digits (CSV-like).
      await keep('shop', 'sales_orders', 'O4', order('O4', 'amazon-uk', 'GBP', [line(' A ', '2', '12.00')]));
      // A bad quantity and a price that is not a decimal string: the order counts, units / value leave them out.
      await keep('shop', 'sales_orders', 'O5', order('O5', 'tiktok', 'USD', [line('B', 'x', '4.00'), line('D', 1, 7)]));
      // Lines that are not a list; a currency that is not a 3-letter code.
      await keep('shop', 'sales_orders', 'O6', order('O6', 'web', 'EUR', 'oops'));
      await keep('shop', 'sales_orders', 'O7', order('O7', 'tiktok', 'eur', [line('A', 1, '100.00')]));
      await keep('shop', 'warehouse_inventory', 'EAST:C', { warehouse: 'EAST', sku: 'C', on_hand: 1, available: 1 });
      await keep('shop', 'warehouse_inventory', 'WEST:C', { warehouse: 'WEST', sku: 'C', on_hand: 2, available: 2 });
      await keep('shop', 'warehouse_inventory', 'EAST:M-1', { warehouse: 'EAST', sku: 'M-1', on_hand: -1, available: 1 });
      await keep('shop', 'warehouse_inventory', 'EAST:E-ONLY', { warehouse: 'EAST', sku: 'E-ONLY', on_hand: 1, available: 1 });
      // Another integration's kept records are its own.
      await keep('outlet', 'sales_orders', 'O1', order('O1', 'tiktok', 'EUR', [line('A', 50, '1.00')]));
      // match_sku_codes: an external SKU equal to a Tether SKU code resolves without a mapping.
      await keep('by-code', 'sales_orders', 'O1', order('O1', 'web', 'EUR', [line('SKU-2', 1, '1.00'), line('ZZZ', 1, '1.00')]));
    });

    // Worked out by hand from the records above.
    const A = { value: 'A', heldBack: 4, orders: 4, units: 9, inventoryRows: 0, orderValue: [
      { currency: 'EUR', amount: '20.00' }, { currency: 'GBP', amount: '24.00' }, { currency: 'USD', amount: '39.96' }] };
    const C = { value: 'C', heldBack: 3, orders: 1, units: 5, inventoryRows: 2, orderValue: [{ currency: 'EUR', amount: '5.50' }] };
    const B = { value: 'B', heldBack: 2, orders: 2, units: 1, inventoryRows: 0, orderValue: [{ currency: 'EUR', amount: '3.50' }] };
    const D = { value: 'D', heldBack: 1, orders: 1, units: 1, inventoryRows: 0, orderValue: [] };
    const E = { value: 'E-ONLY', heldBack: 1, orders: 0, units: 0, inventoryRows: 1, orderValue: [] };

    it('ranks SKUs by the records they hold back, with orders, units, order value per currency and inventory rows, in keyset pages', async () => {
      const first = await app.catalog.unmappedValues('shop', { kind: 'sku', limit: 2 });
      expect(first).toMatchObject({ integrationKey: 'shop', kind: 'sku', total: 5, values: [A, C] });
      const second = await app.catalog.unmappedValues('shop', { kind: 'sku', limit: 2, after: first.nextCursor });
      expect(second).toMatchObject({ total: 5, values: [B, D] });
      const third = await app.catalog.unmappedValues('shop', { kind: 'sku', limit: 2, after: second.nextCursor });
      expect(third).toMatchObject({ total: 5, values: [E], nextCursor: null });

      const json = await cli('mappings', 'unmapped', 'shop', '--json');
      expect(JSON.parse(json.stdout)).toEqual([
        { integration: 'shop', kind: 'sku', total: 5, values: [A, C, B, D, E], nextCursor: null },
        {
          integration: 'shop',
          kind: 'channel',
          total: 2,
          values: [
            { value: 'amazon-uk', heldBack: 2, orders: 2, units: 11, inventoryRows: 0, orderValue: [
              { currency: 'EUR', amount: '14.50' }, { currency: 'GBP', amount: '24.00' }] },
            { value: 'tiktok', heldBack: 2, orders: 2, units: 2, inventoryRows: 0, orderValue: [] },
          ],
          nextCursor: null,
        },
      ]);
      const text = await cli('mappings', 'unmapped', 'shop', '--kind', 'sku', '--limit', '2');
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('Unmapped SKUs of shop: 5, most blocking first');
      expect(text.stdout).toContain('EUR 20.00, GBP 24.00, USD 39.96');
      expect(text.stdout).toMatch(/Next page: tether mappings unmapped shop --kind sku --limit 2 --after \S+/);
      expect(text.stdout).toContain('Map one: tether mappings add shop sku <external_id> <code>, then tether sync shop');
    });

    it('a value mapped now drops out at once; match_sku_codes counts Tether SKU codes as mapped', async () => {
      await app.catalog.addMapping('shop', 'sku', 'C', 'SKU-3', 'ana');
      expect(await app.catalog.unmappedValues('shop', { kind: 'sku', limit: 10 })).toMatchObject({ total: 4, values: [A, B, D, E] });
      await app.catalog.addMapping('shop', 'channel', 'tiktok', 'MARKET', 'ana');
      expect((await app.catalog.unmappedValues('shop', { kind: 'channel', limit: 10 })).values.map((v) => v.value)).toEqual(['amazon-uk']);
      await app.catalog.removeMapping('shop', 'sku', 'C', 'ana');
      await app.catalog.removeMapping('shop', 'channel', 'tiktok', 'ana');

      expect((await app.catalog.unmappedValues('by-code', { kind: 'sku', limit: 10 })).values.map((v) => v.value)).toEqual(['ZZZ']);
      expect((await app.catalog.unmappedValues('outlet', { kind: 'sku', limit: 10 })).values).toEqual([
        { value: 'A', heldBack: 1, orders: 1, units: 50, inventoryRows: 0, orderValue: [{ currency: 'EUR', amount: '50.00' }] },
      ]);
      const empty = await cli('mappings', 'unmapped', 'catalog', '--kind', 'channel');
      expect(empty.stdout).toBe('No unmapped channels: no kept problem record of catalog names one.');
    });

    it('refuses a cursor of another list', async () => {
      const skus = await app.catalog.unmappedValues('shop', { kind: 'sku', limit: 1 });
      await expect(app.catalog.unmappedValues('shop', { kind: 'channel', limit: 1, after: skus.nextCursor })).rejects.toThrow(
        /is not a cursor of the unmapped channel list/,
      );
      await expect(app.catalog.unmappedValues('shop', { kind: 'skus', limit: 1 })).rejects.toMatchObject({ code: 'invalid_input' });
    });
  });

  describe('catalog search (the mapping form select)', () => {
    beforeAll(async () => {
      const rows = [
        'code,name',
        'RED-1,Red shirt',
        'RED-10,Red shirt large',
        'SHIRT-RED,Shirt in red',
        'BLUE-1,Blue mug',
        'MUG-RED,"Mug, red"',
        'red,Lowercase red',
        'X%Y,Percent',
        'ÜBER-1,Über shirt',
        ...Array.from({ length: 150 }, (_, i) => `BULK-${String(i).padStart(3, '0')},Bulk item ${i}`),
      ];
      expect((await cli('skus', 'import', await writeTemp('search.csv', rows.join('\n')))).code).toBe(0);
    });
    const codes = async (query: string, limit?: number) => (await app.catalog.searchCatalog('sku', query, limit)).map((match) => match.code);

    it('exact code, code prefix, name prefix, then code / name containing it; case-insensitive', async () => {
      expect(await app.catalog.searchCatalog('sku', 'red')).toEqual([
        { code: 'red', name: 'Lowercase red', rank: 0 },
        { code: 'RED-1', name: 'Red shirt', rank: 1 },
        { code: 'RED-10', name: 'Red shirt large', rank: 1 },
        { code: 'MUG-RED', name: 'Mug, red', rank: 3 },
        { code: 'SHIRT-RED', name: 'Shirt in red', rank: 3 },
      ]);
      expect(await codes('SHIRT')).toEqual(['SHIRT-RED', 'RED-1', 'RED-10', 'ÜBER-1']);
      expect(await codes('blue m')).toEqual(['BLUE-1']);
      // ("ÜBER-1", "Mug three" and "Percent" contain an r too.)
      expect(await codes('r')).toEqual(['red', 'RED-1', 'RED-10', 'MUG-RED', 'SHIRT-RED', 'ÜBER-1', 'SKU-3', 'X%Y']);
      expect(await codes('r', 2)).toEqual(['red', 'RED-1']);
      // LIKE wildcards are plain characters.
      expect(await codes('%')).toEqual(['X%Y']);
      expect(await codes('_')).toEqual([]);
      expect(await codes('nothing')).toEqual([]);
      expect(await app.catalog.searchCatalog('channel', 'mark')).toEqual([{ code: 'MARKET', name: 'Marketplace', rank: 1 }]);
      // Letters beyond A–Z fold too (the slower path, only for terms that have them).
      expect(await app.catalog.searchCatalog('sku', 'über')).toEqual([{ code: 'ÜBER-1', name: 'Über shirt', rank: 1 }]);
      expect(await app.catalog.searchCatalog('sku', 'ÜBER SH')).toEqual([{ code: 'ÜBER-1', name: 'Über shirt', rank: 2 }]);
      expect(await codes('ber-')).toEqual(['ÜBER-1']);
    });

    it('at most 100 results (Slack options limit), in code order within a rank', async () => {
      const bulk = await codes('bulk');
      expect(bulk).toHaveLength(100);
      expect(bulk.slice(0, 2)).toEqual(['BULK-000', 'BULK-001']);
      expect(await codes('bulk', 500)).toHaveLength(100);
      expect(await codes('item 14')).toEqual(['BULK-014', ...Array.from({ length: 10 }, (_, i) => `BULK-${140 + i}`)]);
      expect((await codes('')).length).toBe(100);
    });
  });

  it('a mapping added through the service is used by the next sync: the carried-over problem records succeed', async () => {
    await seedCatalog(app, 'demo-fix');
    const [first] = await app.syncs.runNow({ integrationKey: 'demo-fix', actor: 'test' });
    expect(first).toMatchObject({ status: 'partial' });
    const kept = () => scalar<number>(app.pool, `SELECT count(*)::int FROM problem_record WHERE integration_id = (SELECT id FROM integration WHERE key = 'demo-fix')`);
    const keptBefore = await kept();
    expect(keptBefore).toBe(first!.failedCount);

    const skus = await app.catalog.unmappedValues('demo-fix', { kind: 'sku', limit: 100 });
    const channels = await app.catalog.unmappedValues('demo-fix', { kind: 'channel', limit: 100 });
    expect(skus.values.length).toBeGreaterThan(0);
    expect(skus.values.every((v) => (DEMO_UNMAPPED_SKUS as readonly string[]).includes(v.value))).toBe(true);
    expect(channels.values.map((v) => v.value).every((value) => (DEMO_UNMAPPED_CHANNELS as readonly string[]).includes(value))).toBe(true);
    // Every kept order is held back by at least one listed value.
    expect(skus.values.reduce((sum, v) => sum + v.orders, 0) + channels.values.reduce((sum, v) => sum + v.orders, 0)).toBeGreaterThanOrEqual(keptBefore);

    const changes = await app.catalog.addMappings(
      'demo-fix',
      [
        ...skus.values.map((v) => ({ kind: 'sku', externalId: v.value, code: 'SKU-0001' })),
        ...channels.values.map((v) => ({ kind: 'channel', externalId: v.value, code: 'WEB-STORE' })),
      ],
      'U123',
    );
    expect(changes.every((change) => change.outcome === 'added')).toBe(true);
    expect(await app.catalog.unmappedValues('demo-fix', { kind: 'sku', limit: 10 })).toMatchObject({ total: 0, values: [] });

    const [fix] = await app.syncs.runNow({ integrationKey: 'demo-fix', actor: 'test' });
    expect(fix).toMatchObject({ status: 'success', failedCount: 0, carriedOver: keptBefore });
    expect(await kept()).toBe(0);
    expect(
      await scalar(app.pool, `SELECT count(*)::int FROM sales_order WHERE NOT complete AND integration_id = (SELECT id FROM integration WHERE key = 'demo-fix')`),
    ).toBe(0);
    expect((await audits('mappings.added')).filter((row) => row.integration_key === 'demo-fix' && row.actor === 'U123')).toHaveLength(changes.length);
  });
});
