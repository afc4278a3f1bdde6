import type { DomainType } from '../../domain/domain-types.js';
import type { DomainWriter } from './domain-writer.js';
import { salesOrdersWriter } from './sales-orders.writer.js';
import { warehouseInventoryWriter } from './warehouse-inventory.writer.js';

export const DOMAIN_WRITERS: ReadonlyMap<DomainType, DomainWriter> = new Map(
  [salesOrdersWriter, warehouseInventoryWriter].map((writer) => [writer.domainType, writer]),
);
