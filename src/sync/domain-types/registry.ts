import type { DomainType } from '../../domain/domain-types.js';
import type { DomainTypeHandler } from './handler.js';
import { salesOrdersHandler } from './sales-orders.js';
import { warehouseInventoryHandler } from './warehouse-inventory.js';

/** Adding a domain type = a handler here + a writer in db/writers; the engine does not change. */
export const DOMAIN_TYPE_HANDLERS: ReadonlyMap<DomainType, DomainTypeHandler> = new Map(
  [salesOrdersHandler, warehouseInventoryHandler].map((handler) => [handler.type, handler]),
);
