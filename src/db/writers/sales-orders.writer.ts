import type { SalesOrderRow } from '../../sync/domain-types/sales-orders.js';
import type { StoredVersion } from '../../sync/ports.js';
import type { Queryable } from '../pool.js';
import type { DomainWriter } from './domain-writer.js';

const UPSERT_ORDERS = `
  INSERT INTO sales_order (integration_id, external_id, channel_id, status, currency, ordered_at,
                           source_updated_at, content_hash, complete, synced_at)
  SELECT $1, o.* , $10::timestamptz
  FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::bool[]) AS o
  ON CONFLICT (integration_id, external_id) DO UPDATE SET
    channel_id = excluded.channel_id, status = excluded.status, currency = excluded.currency,
    ordered_at = excluded.ordered_at, source_updated_at = excluded.source_updated_at,
    content_hash = excluded.content_hash, complete = excluded.complete, synced_at = excluded.synced_at
  RETURNING id, external_id, (xmax = 0) AS inserted`;

const INSERT_LINES = `
  INSERT INTO sales_order_line (order_id, line_no, external_sku, sku_id, quantity, unit_price)
  SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::int[], $6::numeric[])`;

/**
 * An updated order's lines are replaced: delete them and insert anew. The lines are found by one
 * index lookup per order and deleted by tuple id, so no plan can turn this into a table scan.
 */
const DELETE_LINES = `
  DELETE FROM sales_order_line WHERE ctid = ANY(ARRAY(
    SELECT l.ctid FROM unnest($1::bigint[]) AS x(order_id)
    CROSS JOIN LATERAL (SELECT ctid FROM sales_order_line WHERE order_id = x.order_id OFFSET 0) AS l))`;

/**
 * One unique-index lookup per id. A plain `external_id = ANY($2)` (or a join the planner may
 * flatten) let it, on stale statistics after a bulk load, scan every order of the integration per
 * page: 300+ ms at 1M orders. `OFFSET 0` keeps the lateral subquery a per-id index probe (~10 ms).
 */
const STORED_VERSIONS = `
  SELECT o.external_id, o.content_hash, o.complete
  FROM unnest($2::text[]) AS x(external_id)
  CROSS JOIN LATERAL (
    SELECT external_id, content_hash, complete FROM sales_order
    WHERE integration_id = $1 AND external_id = x.external_id OFFSET 0
  ) AS o`;

export const salesOrdersWriter: DomainWriter = {
  domainType: 'sales_orders',

  async storedVersions(db: Queryable, integrationId: number, externalIds: string[]): Promise<Map<string, StoredVersion>> {
    if (!externalIds.length) return new Map();
    const { rows } = await db.query<{ external_id: string; content_hash: string; complete: boolean }>(STORED_VERSIONS, [integrationId, externalIds]);
    return new Map(rows.map((row) => [row.external_id, { contentHash: row.content_hash, complete: row.complete }]));
  },

  async write(db: Queryable, integrationId: number, rows: unknown[], syncedAt: Date): Promise<number> {
    const orders = rows as SalesOrderRow[];
    if (!orders.length) return 0;
    const { rows: saved } = await db.query<{ id: number; external_id: string; inserted: boolean }>(UPSERT_ORDERS, [
      integrationId,
      orders.map((o) => o.externalId),
      orders.map((o) => o.channelId),
      orders.map((o) => o.status),
      orders.map((o) => o.currency),
      orders.map((o) => o.orderedAt),
      orders.map((o) => o.sourceUpdatedAt),
      orders.map((o) => o.contentHash),
      orders.map((o) => o.complete),
      syncedAt,
    ]);
    const idByExternalId = new Map(saved.map((row) => [row.external_id, row.id]));
    const lineColumns: [number[], number[], string[], (number | null)[], number[], string[]] = [[], [], [], [], [], []];
    for (const order of orders) {
      const orderId = idByExternalId.get(order.externalId)!;
      for (const line of order.lines) {
        lineColumns[0].push(orderId);
        lineColumns[1].push(line.lineNo);
        lineColumns[2].push(line.externalSku);
        lineColumns[3].push(line.skuId);
        lineColumns[4].push(line.quantity);
        lineColumns[5].push(line.unitPrice);
      }
    }
    const updated = saved.filter((row) => !row.inserted).map((row) => row.id);
    if (updated.length) await db.query(DELETE_LINES, [updated]);
    await db.query(INSERT_LINES, lineColumns);
    return orders.length + lineColumns[0].length;
  },
};
