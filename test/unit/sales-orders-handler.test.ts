import { describe, expect, it } from 'vitest';
import type { PageContext } from '../../src/sync/domain-types/handler.js';
import { salesOrdersHandler, type SalesOrderRow } from '../../src/sync/domain-types/sales-orders.js';
import type { StoredVersion } from '../../src/sync/ports.js';

const order = (overrides: Record<string, unknown> = {}) => ({
  id: 'A-1',
  updated_at: '2026-11-01T10:00:00Z',
  ordered_at: '2026-11-01T09:00:00Z',
  channel: 'web',
  status: 'paid',
  currency: 'USD',
  lines: [
    { sku: 'S1', quantity: 2, unit_price: '10.50' },
    { sku: 'S2', quantity: 1, unit_price: '3.00' },
  ],
  ...overrides,
});

function context(options: { dryRun?: boolean; stored?: Map<string, StoredVersion>; skuCodes?: boolean } = {}): PageContext {
  return {
    integration: {} as PageContext['integration'],
    dryRun: options.dryRun ?? false,
    recordRef: (index) => `page 1 record ${index + 1}`,
    mappings: {
      skus: new Map([['S1', 1], ['S2', 2]]),
      channels: new Map([['web', 10]]),
      skuCodes: options.skuCodes ? new Map([['TETHER-9', 9]]) : null,
    },
  };
}

/** prepare() then decide() against the given stored versions, as the engine does. */
const processPage = (records: unknown[], options: Parameters<typeof context>[0] = {}) =>
  salesOrdersHandler.prepare(records, context(options)).decide(options.stored ?? new Map());

describe('sales orders handler', () => {
  it('maps a complete order to a success item and a row with exact money', async () => {
    const result = processPage([order()]);
    expect(result.items).toMatchObject([{ externalId: 'A-1', status: 'success', errorMessage: null }]);
    const row = (result.writes!.rows as SalesOrderRow[])[0]!;
    expect(row).toMatchObject({ channelId: 10, complete: true, currency: 'USD' });
    expect(row.lines.map((line) => [line.skuId, line.unitPrice])).toEqual([[1, '10.50'], [2, '3.00']]);
  });

  it('names the offending field of an invalid record and saves nothing for it', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [order({ currency: undefined }), 'Invalid field "currency": is missing'],
      [order({ lines: [{ sku: 'S1', quantity: -1, unit_price: '1.00' }] }), 'Invalid field "lines[0].quantity": must be a whole number of at least 1'],
      [order({ lines: [{ sku: 'S1', quantity: 1, unit_price: '12,50' }] }), 'Invalid field "lines[0].unit_price": must be a decimal string like "12.50"'],
      [order({ ordered_at: 'yesterday' }), 'Invalid field "ordered_at": must be an ISO-8601 timestamp like 2026-11-27T10:00:00Z'],
      [order({ lines: [] }), 'Invalid field "lines": must have at least one line'],
    ];
    for (const [record, message] of cases) {
      const result = processPage([record]);
      expect(result.items[0]).toMatchObject({ externalId: 'A-1', status: 'failed', errorMessage: message });
      expect(result.writes).toBeNull();
    }
  });

  it('refers to a record without an id by its place in the page', async () => {
    const result = processPage([{ nonsense: true }]);
    expect(result.items[0]).toMatchObject({ externalId: 'page 1 record 1', status: 'failed', errorMessage: 'Invalid field "id": is missing' });
  });

  it('saves the resolvable part of an order with an unmapped SKU and counts it partial_mapped', async () => {
    const result = processPage([order({ lines: [{ sku: 'S1', quantity: 1, unit_price: '1' }, { sku: 'ABC-1', quantity: 1, unit_price: '1' }] })]);
    expect(result.items[0]).toMatchObject({ status: 'partial_mapped', errorMessage: 'Unmapped SKU "ABC-1"', unmappedSkus: ['ABC-1'] });
    const row = (result.writes!.rows as SalesOrderRow[])[0]!;
    expect(row.complete).toBe(false);
    expect(row.lines.map((line) => line.skuId)).toEqual([1, null]);
  });

  it('fails an order whose channel is unmapped, listing its unmapped SKUs too', async () => {
    const result = processPage([order({ channel: 'amazon-de', lines: [{ sku: 'X', quantity: 1, unit_price: '1' }] })]);
    expect(result.items[0]).toMatchObject({
      status: 'failed',
      errorMessage: 'Unmapped channel "amazon-de"; Unmapped SKU "X"',
      unmappedChannel: 'amazon-de',
      unmappedSkus: ['X'],
    });
    expect(result.writes).toBeNull();
  });

  it('resolves an external SKU equal to a Tether SKU code when the integration allows it', async () => {
    const record = order({ lines: [{ sku: 'TETHER-9', quantity: 1, unit_price: '1' }] });
    expect(processPage([record]).items[0]!.status).toBe('partial_mapped');
    expect(processPage([record], { skuCodes: true }).items[0]!.status).toBe('success');
  });

  it('marks dry-run items mapped / partial_mapped and writes nothing', async () => {
    const result = processPage([order(), order({ id: 'A-2', lines: [{ sku: 'NOPE', quantity: 1, unit_price: '1' }] })], { dryRun: true });
    expect(result.items.map((item) => item.status)).toEqual(['mapped', 'partial_mapped']);
    expect(result.writes).toBeNull();
  });

  it('skips an order unchanged since its last complete save', () => {
    const hash = (processPage([order()]).writes!.rows as SalesOrderRow[])[0]!.contentHash;
    expect(processPage([order()], { stored: new Map([['A-1', { contentHash: hash, complete: true }]]) }).items[0]!.status).toBe('skipped');
    const changed = processPage([order({ status: 'shipped' })], { stored: new Map([['A-1', { contentHash: hash, complete: true }]]) });
    expect(changed.items[0]!.status).toBe('success');
    expect(changed.writes).not.toBeNull();
  });

  it('reports a still-partial order again without rewriting it, and rewrites it once its mapping exists', () => {
    const partial = order({ lines: [{ sku: 'S1', quantity: 1, unit_price: '1' }, { sku: 'TETHER-9', quantity: 1, unit_price: '1' }] });
    const saved = (processPage([partial]).writes!.rows as SalesOrderRow[])[0]!;
    const stored = new Map([['A-1', { contentHash: saved.contentHash, complete: false }]]);
    const again = processPage([partial], { stored });
    expect(again.items[0]).toMatchObject({ status: 'partial_mapped', unmappedSkus: ['TETHER-9'] });
    expect(again.writes).toBeNull();
    const fixed = processPage([partial], { stored, skuCodes: true });
    expect(fixed.items[0]!.status).toBe('success');
    expect((fixed.writes!.rows as SalesOrderRow[])[0]!.lines.map((line) => line.skuId)).toEqual([1, 9]);
  });

  it('keeps the last copy of an order sent twice on one page', async () => {
    const result = processPage([order({ status: 'paid' }), order({ status: 'shipped' })]);
    expect(result.items.map((item) => item.status)).toEqual(['skipped', 'success']);
    expect((result.writes!.rows as SalesOrderRow[]).map((row) => row.status)).toEqual(['shipped']);
  });
});
