import type { Mappings } from '../ports.js';

/** SKU / channel resolution through the integration's external-ID mappings. */
export class MappingResolver {
  constructor(private readonly mappings: Mappings) {}

  /** A mapping wins; with matchSkuCodes an external SKU equal to a Tether SKU code resolves too. */
  sku(externalSku: string): number | null {
    return this.mappings.skus.get(externalSku) ?? this.mappings.skuCodes?.get(externalSku) ?? null;
  }

  channel(externalChannel: string): number | null {
    return this.mappings.channels.get(externalChannel) ?? null;
  }
}
