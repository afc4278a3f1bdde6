import type { InventoryRow } from '../../sync/domain-types/warehouse-inventory.js';
import type { StoredVersion } from '../../sync/ports.js';
import type { Queryable } from '../pool.js';
import type { DomainWriter } from './domain-writer.js';


export const warehouseInventoryWriter: DomainWriter = {
  domainType: 'warehouse_inventory',

  async storedVersions(db: Queryable, integrationId: number, externalIds: string[]): Promise<Map<string, StoredVersion>> {
    if (!externalIds.length) return new Map();
    // One unique-index lookup per id, whatever the statistics say (see the sales orders writer).
    const { rows } = await db.query<{ external_id: string; content_hash: string }>(
      `SELECT l.external_id, l.content_hash FROM unnest($2::text[]) AS x(external_id)
       CROSS JOIN LATERAL (SELECT external_id, content_hash FROM inventory_level WHERE integration_id = $1 AND external_id = x.external_id OFFSET 0) AS l`,
      [integrationId, externalIds],
    );
    return new Map(rows.map((row) => [row.external_id, { contentHash: row.content_hash, complete: true }]));
  },

  async write(db: Queryable, integrationId: number, rows: unknown[], syncedAt: Date): Promise<number> {
    const levels = rows as InventoryRow[];
    if (!levels.length) return 0;
    await db.query(
      `INSERT INTO inventory_level (integration_id, external_id, warehouse, sku_id, on_hand, available,
                                    source_updated_at, content_hash, synced_at)
       SELECT $1, l.external_id, l.warehouse, l.sku_id, l.on_hand, l.available, l.source_updated_at, l.content_hash, $9::timestamptz
       FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::timestamptz[], $8::text[])
            AS l(external_id, warehouse, sku_id, on_hand, available, source_updated_at, content_hash)
       ON CONFLICT (integration_id, external_id) DO UPDATE SET
         warehouse = excluded.warehouse, sku_id = excluded.sku_id, on_hand = excluded.on_hand,
         available = excluded.available, source_updated_at = excluded.source_updated_at,
         content_hash = excluded.content_hash, synced_at = excluded.synced_at`,
      [
        integrationId,
        levels.map((l) => l.externalId),
        levels.map((l) => l.warehouse),
        levels.map((l) => l.skuId),
        levels.map((l) => l.onHand),
        levels.map((l) => l.available),
        levels.map((l) => l.sourceUpdatedAt),
        levels.map((l) => l.contentHash),
        syncedAt,
      ],
    );
    return levels.length;
  },
};
