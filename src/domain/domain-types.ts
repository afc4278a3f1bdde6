export const DOMAIN_TYPES = ['sales_orders', 'warehouse_inventory'] as const;
export type DomainType = (typeof DOMAIN_TYPES)[number];

export function isDomainType(value: string): value is DomainType {
  return (DOMAIN_TYPES as readonly string[]).includes(value);
}
