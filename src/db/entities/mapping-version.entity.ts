import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One row (id 1): a counter that triggers bump in the transaction of every change to the SKU and
 * channel mappings or the SKU catalog. Workers cache mappings and reload them when it moved.
 */
export const MappingVersionSchema = defineEntity({
  name: 'MappingVersion',
  tableName: 'mapping_version',
  properties: {
    id: p.integer().primary().autoincrement(false),
    version: p.bigint('number').default(0),
  },
});
export type MappingVersion = InferEntity<typeof MappingVersionSchema>;
