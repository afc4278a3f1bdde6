import { z } from 'zod';
import { unmappedSkuMessage } from '../../domain/sync-errors.js';
import { MappingResolver } from '../mapping/resolver.js';
import type { ItemDraft, RecordError, StoredVersion } from '../ports.js';
import { emptyItem, PageOutcomes, type DomainTypeHandler, type PageContext, type PageResult, type PreparedPage } from './handler.js';
import { contentHash, describeRecordError, rawField, rawRef, text, timestamp, wholeNumber } from './record-schema.js';

export const inventoryRecordSchema = z.object({
  warehouse: text(),
  sku: text(),
  on_hand: wholeNumber(),
  available: wholeNumber(),
  updated_at: timestamp().optional(),
});
export type InventoryRecord = z.infer<typeof inventoryRecordSchema>;

export interface InventoryRow {
  externalId: string;
  warehouse: string;
  skuId: number;
  onHand: number;
  available: number;
  /** ISO-8601 */
  sourceUpdatedAt: string | null;
  contentHash: string;
}

const UNKNOWN_WAREHOUSE = '(no warehouse)';

export const inventoryExternalId = (warehouse: string, sku: string): string => `${warehouse}:${sku}`;

interface WarehouseGroup {
  warehouse: string;
  records: number;
  errors: RecordError[];
}

/**
 * Inventory: one aggregate item per warehouse per page, with one error row per failing record.
 * Aggregate status: every record failed → failed; some → partial_mapped (the rest is saved, and
 * the item counts as failed so it is not forgotten); all unchanged → skipped.
 * The hash covers the record and its resolved SKU, so a new or changed mapping rewrites the level.
 */
export const warehouseInventoryHandler: DomainTypeHandler = {
  type: 'warehouse_inventory',
  prepare(records: unknown[], context: PageContext): PreparedPage {
    const resolver = new MappingResolver(context.mappings);
    const groups = new Map<string, WarehouseGroup>();
    const group = (warehouse: string): WarehouseGroup => {
      let found = groups.get(warehouse);
      if (!found) groups.set(warehouse, (found = { warehouse, records: 0, errors: [] }));
      return found;
    };

    const valid: { record: InventoryRecord; externalId: string; hash: string; skuId: number }[] = [];
    const outcomes = new PageOutcomes();
    records.forEach((raw, index) => {
      const result = inventoryRecordSchema.safeParse(raw);
      const warehouse = result.success ? result.data.warehouse : rawRef(raw, 'warehouse', UNKNOWN_WAREHOUSE);
      const target = group(warehouse);
      target.records += 1;
      const recordRef = `${context.recordRef(index)} (sku ${rawRef(raw, 'sku', '?')})`;
      const fail = (message: string, unmappedSku: string | null) => {
        target.errors.push({ recordRef, message, unmappedSku });
        // Kept for later runs when the record names its warehouse and SKU (its identity).
        const sku = rawField(raw, 'sku');
        const from = rawField(raw, 'warehouse');
        if (sku && from) {
          outcomes.problem({ externalId: inventoryExternalId(from, sku), raw, recordRef: context.recordRef(index), errorMessage: message });
        }
      };
      if (!result.success) return fail(describeRecordError(result.error), null);
      const skuId = resolver.sku(result.data.sku);
      if (skuId === null) return fail(unmappedSkuMessage(result.data.sku), result.data.sku);
      const externalId = inventoryExternalId(warehouse, result.data.sku);
      valid.push({ record: result.data, externalId, hash: contentHash([result.data, skuId]), skuId });
      outcomes.cleared(externalId);
    });

    // Later copies of the same warehouse:sku on a page win.
    const latest = new Map(valid.map((entry) => [entry.externalId, entry]));
    return {
      externalIds: [...latest.keys()],
      decide(stored: Map<string, StoredVersion>): PageResult {
        const changed = new Map<string, number>();
        const rows: InventoryRow[] = [];
        for (const entry of latest.values()) {
          if (stored.get(entry.externalId)?.contentHash === entry.hash) continue;
          changed.set(entry.record.warehouse, (changed.get(entry.record.warehouse) ?? 0) + 1);
          rows.push({
            externalId: entry.externalId,
            warehouse: entry.record.warehouse,
            skuId: entry.skuId,
            onHand: entry.record.on_hand,
            available: entry.record.available,
            sourceUpdatedAt: entry.record.updated_at ?? null,
            contentHash: entry.hash,
          });
        }
        const items = [...groups.values()].map((g) => aggregateItem(g, changed.get(g.warehouse) ?? 0, context.dryRun));
        return {
          items,
          writes: context.dryRun || rows.length === 0 ? null : { domainType: 'warehouse_inventory', rows },
          ...outcomes.result(),
        };
      },
    };
  },
};

function aggregateItem(group: WarehouseGroup, changed: number, dryRun: boolean): ItemDraft {
  const failed = group.errors.length;
  const unmapped = [...new Set(group.errors.flatMap((error) => (error.unmappedSku ? [error.unmappedSku] : [])))];
  const status: ItemDraft['status'] =
    failed === group.records ? 'failed' : failed > 0 ? 'partial_mapped' : changed === 0 ? 'skipped' : dryRun ? 'mapped' : 'success';
  return {
    ...emptyItem(group.warehouse),
    status,
    aggregate: true,
    recordCount: group.records,
    errorMessage: failed ? `${failed} of ${group.records} records failed; first: ${group.errors[0]!.recordRef}: ${group.errors[0]!.message}` : null,
    unmappedSkus: unmapped.length ? unmapped : null,
    recordErrors: group.errors,
  };
}
