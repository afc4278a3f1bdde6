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
  RETURNING id, external_id`;

const UPSERT_LINES = `
  INSERT INTO sales_order_line (order_id, line_no, external_sku, sku_id, quantity, unit_price)
  SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::int[], $6::numeric[])
  ON CONFLICT (order_id, line_no) DO UPDATE SET
    external_sku = excluded.external_sku, sku_id = excluded.sku_id,
    quantity = excluded.quantity, unit_price = excluded.unit_price`;

/** An order that now has fewer lines than before loses the surplus ones. */
const DELETE_SURPLUS_LINES = `
  DELETE FROM sales_order_line l
  USING unnest($1::bigint[], $2::int[]) AS o(order_id, line_count)
  WHERE l.order_id = o.order_id AND l.line_no > o.line_count`;

export const salesOrdersWriter: DomainWriter = {
  domainType: 'sales_orders',

  async storedVersions(db: Queryable, integrationId: number, externalIds: string[]): Promise<Map<string, StoredVersion>> {
    if (!externalIds.length) return new Map();
    const { rows } = await db.query<{ external_id: string; content_hash: string; complete: boolean }>(
      'SELECT external_id, content_hash, complete FROM sales_order WHERE integration_id = $1 AND external_id = ANY($2::text[])',
      [integrationId, externalIds],
    );
    return new Map(rows.map((row) => [row.external_id, { contentHash: row.content_hash, complete: row.complete }]));
  },

  async write(db: Queryable, integrationId: number, rows: unknown[], syncedAt: Date): Promise<number> {
    const orders = rows as SalesOrderRow[];
    if (!orders.length) return 0;
    const { rows: saved } = await db.query<{ id: number; external_id: string }>(UPSERT_ORDERS, [
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
    await db.query(UPSERT_LINES, lineColumns);
    await db.query(DELETE_SURPLUS_LINES, [orders.map((o) => idByExternalId.get(o.externalId)!), orders.map((o) => o.lines.length)]);
    return orders.length + lineColumns[0].length;
  },
};
