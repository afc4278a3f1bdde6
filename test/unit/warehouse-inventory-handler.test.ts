import { describe, expect, it } from 'vitest';
import type { PageContext } from '../../src/sync/domain-types/handler.js';
import type { StoredVersion } from '../../src/sync/ports.js';
import { warehouseInventoryHandler, type InventoryRow } from '../../src/sync/domain-types/warehouse-inventory.js';

const context = (dryRun = false): PageContext => ({
  integration: {} as PageContext['integration'],
  dryRun,
  recordRef: (index) => `page 2 record ${index + 1}`,
  mappings: { skus: new Map([['S1', 1], ['S2', 2]]), channels: new Map(), skuCodes: null },
});

const level = (warehouse: string, sku: string, onHand: unknown = 5) => ({ warehouse, sku, on_hand: onHand, available: 3 });

const processPage = (records: unknown[], dryRun = false, stored: Map<string, StoredVersion> = new Map()) =>
  warehouseInventoryHandler.prepare(records, context(dryRun)).decide(stored);

describe('warehouse inventory handler', () => {
  it('makes one aggregate item per warehouse, with one error per failing record', async () => {
    const result = processPage([level('WH-1', 'S1'), level('WH-1', 'ZZZ'), level('WH-1', 'S2', 'lots'), level('WH-2', 'S1'), level('WH-3', 'NOPE')]);
    expect(result.items.map((item) => [item.externalId, item.status, item.recordCount])).toEqual([
      ['WH-1', 'partial_mapped', 3],
      ['WH-2', 'success', 1],
      ['WH-3', 'failed', 1],
    ]);
    expect(result.items[0]!.recordErrors).toEqual([
      { recordRef: 'page 2 record 2 (sku ZZZ)', message: 'Unmapped SKU "ZZZ"', unmappedSku: 'ZZZ' },
      { recordRef: 'page 2 record 3 (sku S2)', message: 'Invalid field "on_hand": must be a whole number', unmappedSku: null },
    ]);
    expect(result.items[0]!.errorMessage).toBe('2 of 3 records failed; first: page 2 record 2 (sku ZZZ): Unmapped SKU "ZZZ"');
    expect((result.writes!.rows as InventoryRow[]).map((row) => row.externalId)).toEqual(['WH-1:S1', 'WH-2:S1']);
  });

  it('skips a warehouse whose records are all unchanged, and writes nothing in a dry run', async () => {
    const first = processPage([level('WH-1', 'S1')]);
    const hash = (first.writes!.rows as InventoryRow[])[0]!.contentHash;
    const again = processPage([level('WH-1', 'S1')], false, new Map([['WH-1:S1', { contentHash: hash, complete: true }]]));
    expect(again.items[0]!.status).toBe('skipped');
    expect(again.writes).toBeNull();
    const dry = processPage([level('WH-1', 'S1')], true);
    expect(dry.items[0]!.status).toBe('mapped');
    expect(dry.writes).toBeNull();
  });
});
