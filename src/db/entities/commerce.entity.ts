import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ChannelSchema, SkuSchema } from './catalog.entity.js';
import { IntegrationSchema } from './integration.entity.js';

/** An order as synced from one integration; (integration, external id) is the upsert key. */
export const SalesOrderSchema = defineEntity({
  name: 'SalesOrder',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    integration: p.manyToOne(IntegrationSchema).deleteRule('cascade'),
    externalId: p.text(),
    channel: p.manyToOne(ChannelSchema).nullable(),
    status: p.string().length(64),
    currency: p.string().length(3),
    orderedAt: p.datetime(),
    sourceUpdatedAt: p.datetime(),
    /** sha1 of the raw record: unchanged + complete → skipped. */
    contentHash: p.string().length(40),
    /** False while some line's SKU is unmapped, so a later run re-processes it. */
    complete: p.boolean(),
    syncedAt: p.datetime(),
  },
  uniques: [{ properties: ['integration', 'externalId'] }],
});
export type SalesOrder = InferEntity<typeof SalesOrderSchema>;

export const SalesOrderLineSchema = defineEntity({
  name: 'SalesOrderLine',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    order: p.manyToOne(SalesOrderSchema).deleteRule('cascade'),
    lineNo: p.integer(),
    externalSku: p.text(),
    sku: p.manyToOne(SkuSchema).nullable(),
    quantity: p.integer(),
    unitPrice: p.decimal('string').precision(14).scale(4),
  },
  uniques: [{ properties: ['order', 'lineNo'] }],
  indexes: [{ name: 'sales_order_line_sku_id_index', properties: ['sku'] }],
});
export type SalesOrderLine = InferEntity<typeof SalesOrderLineSchema>;

/** Stock of one SKU in one warehouse; external id = "warehouse:sku". */
export const InventoryLevelSchema = defineEntity({
  name: 'InventoryLevel',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    integration: p.manyToOne(IntegrationSchema).deleteRule('cascade'),
    externalId: p.text(),
    warehouse: p.string(),
    sku: p.manyToOne(SkuSchema),
    onHand: p.integer(),
    available: p.integer(),
    sourceUpdatedAt: p.datetime().nullable(),
    contentHash: p.string().length(40),
    syncedAt: p.datetime(),
  },
  uniques: [{ properties: ['integration', 'externalId'] }],
});
export type InventoryLevel = InferEntity<typeof InventoryLevelSchema>;
