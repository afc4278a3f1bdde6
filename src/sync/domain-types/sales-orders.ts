import { z } from 'zod';
import { unmappedChannelMessage, unmappedSkuMessage } from '../../domain/sync-errors.js';
import { MappingResolver } from '../mapping/resolver.js';
import type { ItemDraft, StoredVersion } from '../ports.js';
import { emptyItem, PageOutcomes, type DomainTypeHandler, type PageContext, type PageResult, type PreparedPage } from './handler.js';
import { contentHash, decimalString, describeRecordError, externalId, rawField, text, timestamp, wholeNumber } from './record-schema.js';

export const salesOrderSchema = z.object({
  id: externalId(),
  updated_at: timestamp(),
  ordered_at: timestamp(),
  channel: text(),
  status: text(64),
  currency: z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a 3-letter currency code like "USD"') })
    .regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter currency code like "USD"' }),
  lines: z
    .array(z.object({ sku: text(), quantity: wholeNumber({ min: 1 }), unit_price: decimalString() }), {
      error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a list of order lines'),
    })
    .min(1, { error: 'must have at least one line' })
    .max(1000, { error: 'has more than 1000 lines' }),
});
export type SalesOrderRecord = z.infer<typeof salesOrderSchema>;

/** The row the store writes: an order with its lines, SKUs and channel resolved (or not). */
export interface SalesOrderRow {
  externalId: string;
  channelId: number;
  status: string;
  currency: string;
  /** ISO-8601 */
  orderedAt: string;
  /** ISO-8601 */
  sourceUpdatedAt: string;
  contentHash: string;
  complete: boolean;
  lines: { lineNo: number; externalSku: string; skuId: number | null; quantity: number; unitPrice: string }[];
}

/** `id` is the record's own id when it has one (a record without one cannot be kept or superseded). */
type Parsed =
  | { index: number; id: string; ref: string; record: SalesOrderRecord }
  | { index: number; id: string | null; ref: string; error: string };

function parseAll(records: unknown[], context: PageContext): Parsed[] {
  return records.map((raw, index) => {
    const result = salesOrderSchema.safeParse(raw);
    if (result.success) return { index, id: result.data.id, ref: result.data.id, record: result.data };
    const id = rawField(raw, 'id');
    return { index, id, ref: id ?? context.recordRef(index), error: describeRecordError(result.error) };
  });
}

/** How an order's channel and line SKUs resolved (null = unmapped), and the hash of record + resolution. */
interface Resolved {
  record: SalesOrderRecord;
  channelId: number | null;
  skuIds: (number | null)[];
  /** Covers the source record and its resolution: a mapping added later changes it. */
  hash: string;
}

function resolve(record: SalesOrderRecord, resolver: MappingResolver): Resolved {
  const channelId = resolver.channel(record.channel);
  const skuIds = record.lines.map((line) => resolver.sku(line.sku));
  return { record, channelId, skuIds, hash: contentHash([record, channelId, skuIds]) };
}

/**
 * Orders: one item per order. A line with an unmapped SKU → partial_mapped (saved, incomplete);
 * an unmapped channel → failed (nothing saved). prepare() validates, resolves and hashes; items
 * and rows are built in decide() only for the orders that are not skipped.
 */
export const salesOrdersHandler: DomainTypeHandler = {
  type: 'sales_orders',
  prepare(records: unknown[], context: PageContext): PreparedPage {
    const parsed = parseAll(records, context);
    // The same order twice on one page: the last copy is the current one.
    const lastIndexById = new Map<string, number>();
    for (const entry of parsed) if ('record' in entry) lastIndexById.set(entry.id, entry.index);
    const resolver = new MappingResolver(context.mappings);
    const resolved = parsed.map((entry) =>
      'record' in entry && lastIndexById.get(entry.id) === entry.index ? resolve(entry.record, resolver) : null,
    );
    return {
      externalIds: [...lastIndexById.keys()],
      decide(stored: Map<string, StoredVersion>): PageResult {
        const items: ItemDraft[] = [];
        const rows: SalesOrderRow[] = [];
        const outcomes = new PageOutcomes();
        const keep = (index: number, id: string, errorMessage: string) =>
          outcomes.problem({ externalId: id, raw: records[index], recordRef: context.recordRef(index), errorMessage });
        parsed.forEach((entry, index) => {
          const order = resolved[index];
          if ('error' in entry) {
            items.push({ ...emptyItem(entry.ref), status: 'failed', errorMessage: entry.error });
            if (entry.id !== null) keep(index, entry.id, entry.error);
            return;
          }
          const previous = stored.get(entry.id);
          if (!order) {
            // An earlier copy of an order that comes again later on this page: the later copy decides.
            items.push({ ...emptyItem(entry.ref), status: 'skipped' });
          } else if (previous?.complete && previous.contentHash === order.hash) {
            items.push({ ...emptyItem(entry.ref), status: 'skipped' });
            outcomes.cleared(entry.id);
          } else {
            const { item, row } = buildOrder(order, context.dryRun);
            items.push(item);
            // Still partial exactly as saved: reported again (so it is not forgotten) but not rewritten.
            if (row && previous?.contentHash !== order.hash) rows.push(row);
            if (item.errorMessage) keep(index, entry.id, item.errorMessage);
            else outcomes.cleared(entry.id);
          }
        });
        return { items, writes: rows.length ? { domainType: 'sales_orders', rows } : null, ...outcomes.result() };
      },
    };
  },
};

function buildOrder({ record, channelId, skuIds, hash }: Resolved, dryRun: boolean): { item: ItemDraft; row: SalesOrderRow | null } {
  const lines = record.lines.map((line, index) => ({
    lineNo: index + 1,
    externalSku: line.sku,
    skuId: skuIds[index]!,
    quantity: line.quantity,
    unitPrice: line.unit_price,
  }));
  const unmappedSkus = [...new Set(lines.filter((line) => line.skuId === null).map((line) => line.externalSku))];
  const problems = [
    ...(channelId === null ? [unmappedChannelMessage(record.channel)] : []),
    ...unmappedSkus.map(unmappedSkuMessage),
  ];
  const item: ItemDraft = {
    ...emptyItem(record.id),
    status: channelId === null ? 'failed' : unmappedSkus.length ? 'partial_mapped' : dryRun ? 'mapped' : 'success',
    errorMessage: problems.length ? problems.join('; ') : null,
    unmappedSkus: unmappedSkus.length ? unmappedSkus : null,
    unmappedChannel: channelId === null ? record.channel : null,
  };
  if (dryRun || channelId === null) return { item, row: null };
  return {
    item,
    row: {
      externalId: record.id,
      channelId,
      status: record.status,
      currency: record.currency,
      orderedAt: record.ordered_at,
      sourceUpdatedAt: record.updated_at,
      contentHash: hash,
      complete: unmappedSkus.length === 0,
      lines,
    },
  };
}
