import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { IntegrationSchema } from './integration.entity.js';

export const SkuSchema = defineEntity({
  name: 'Sku',
  properties: {
    id: p.integer().primary().autoincrement(),
    code: p.string().unique(),
    name: p.string(),
  },
  indexes: [
    // Catalog search (services/catalog.service.ts searchCatalog): exact and prefix tiers walk these in order.
    { name: 'sku_code_lower_index', expression: 'create index "sku_code_lower_index" on "sku" (lower("code" collate "C"))' },
    { name: 'sku_name_lower_index', expression: 'create index "sku_name_lower_index" on "sku" (lower("name" collate "C"))' },
    // "Contains" tiers and did-you-mean (pg_trgm).
    { name: 'sku_code_trgm_index', expression: 'create index "sku_code_trgm_index" on "sku" using gin (lower("code" collate "C") gin_trgm_ops)' },
    { name: 'sku_name_trgm_index', expression: 'create index "sku_name_trgm_index" on "sku" using gin (lower("name" collate "C") gin_trgm_ops)' },
  ],
});
export type Sku = InferEntity<typeof SkuSchema>;

export const ChannelSchema = defineEntity({
  name: 'Channel',
  properties: {
    id: p.integer().primary().autoincrement(),
    code: p.string().unique(),
    name: p.string(),
  },
});
export type Channel = InferEntity<typeof ChannelSchema>;

/** How an integration's external SKU identifier resolves to a Tether SKU. */
export const SkuExternalIdSchema = defineEntity({
  name: 'SkuExternalId',
  properties: {
    id: p.integer().primary().autoincrement(),
    integration: p.manyToOne(IntegrationSchema).deleteRule('cascade'),
    externalId: p.string(),
    sku: p.manyToOne(SkuSchema).deleteRule('cascade'),
    createdAt: p.datetime().defaultRaw('now()').onCreate(() => new Date()),
  },
  uniques: [{ properties: ['integration', 'externalId'] }],
});
export type SkuExternalId = InferEntity<typeof SkuExternalIdSchema>;

export const ChannelExternalIdSchema = defineEntity({
  name: 'ChannelExternalId',
  properties: {
    id: p.integer().primary().autoincrement(),
    integration: p.manyToOne(IntegrationSchema).deleteRule('cascade'),
    externalId: p.string(),
    channel: p.manyToOne(ChannelSchema).deleteRule('cascade'),
    createdAt: p.datetime().defaultRaw('now()').onCreate(() => new Date()),
  },
  uniques: [{ properties: ['integration', 'externalId'] }],
});
export type ChannelExternalId = InferEntity<typeof ChannelExternalIdSchema>;
