/**
 * Deterministic demo data: record i is a pure function of (seed, i), so a run can start at any
 * cursor without generating what came before, and two runs see exactly the same source.
 */

export interface DemoDataOptions {
  seed: number;
  orders: number;
  warehouses: number;
  skuCount: number;
  unmappedSkuRate: number;
  unmappedChannelRate: number;
  invalidRate: number;
  start: Date;
}

/** Channel ids the demo source uses; the sample mappings cover the first three. */
export const DEMO_CHANNELS = ['web-store', 'amazon-us', 'ebay'] as const;
export const DEMO_UNMAPPED_CHANNELS = ['amazon-de', 'tiktok-shop'] as const;
export const DEMO_UNMAPPED_SKUS = ['ACME-900', 'ACME-901', 'GIFT-WRAP', 'SAMPLE-X'] as const;
export const MINUTE_MS = 60_000;

export const demoExternalSku = (n: number): string => `DEMO-${String(n).padStart(4, '0')}`;
export const demoTetherSku = (n: number): string => `SKU-${String(n).padStart(4, '0')}`;

/** mulberry32: tiny, fast, good enough for demo data. */
function random(seed: number, index: number, salt: number): () => number {
  let state = (seed ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, values: readonly T[]): T => values[Math.floor(rand() * values.length)]!;

export function orderUpdatedAt(options: DemoDataOptions, index: number): Date {
  return new Date(options.start.getTime() + index * MINUTE_MS);
}

/** Index of the first order whose updated_at is at or after the cursor (the source is inclusive). */
export function firstOrderIndexAtOrAfter(options: DemoDataOptions, cursor: Date): number {
  return Math.max(0, Math.ceil((cursor.getTime() - options.start.getTime()) / MINUTE_MS));
}

export function demoOrder(options: DemoDataOptions, index: number): Record<string, unknown> {
  const rand = random(options.seed, index, 1);
  const updatedAt = orderUpdatedAt(options, index);
  const lineCount = 1 + Math.floor(rand() * 5);
  const lines = Array.from({ length: lineCount }, () => {
    const sku =
      rand() < options.unmappedSkuRate
        ? pick(rand, DEMO_UNMAPPED_SKUS)
        : demoExternalSku(1 + Math.floor(rand() * options.skuCount));
    return {
      sku,
      quantity: 1 + Math.floor(rand() * 4),
      unit_price: (Math.floor(rand() * 20_000) / 100 + 1).toFixed(2),
    };
  });
  const order: Record<string, unknown> = {
    id: `DEMO-ORD-${String(index + 1).padStart(7, '0')}`,
    updated_at: updatedAt.toISOString(),
    ordered_at: new Date(updatedAt.getTime() - Math.floor(rand() * 3 * 3600_000)).toISOString(),
    channel: rand() < options.unmappedChannelRate ? pick(rand, DEMO_UNMAPPED_CHANNELS) : pick(rand, DEMO_CHANNELS),
    status: pick(rand, ['paid', 'paid', 'paid', 'shipped', 'cancelled']),
    currency: pick(rand, ['USD', 'USD', 'EUR']),
    lines,
  };
  if (rand() < options.invalidRate) corruptOrder(order, rand);
  return order;
}

/** The kinds of bad record real sources send. */
function corruptOrder(order: Record<string, unknown>, rand: () => number): void {
  const lines = order.lines as Record<string, unknown>[];
  switch (Math.floor(rand() * 4)) {
    case 0:
      delete order.currency;
      break;
    case 1:
      lines[0]!.quantity = -1;
      break;
    case 2:
      lines[0]!.unit_price = '12,50';
      break;
    default:
      order.ordered_at = 'yesterday';
  }
}

export function demoInventoryRecord(options: DemoDataOptions, index: number): Record<string, unknown> {
  const perWarehouse = options.skuCount;
  const warehouse = Math.floor(index / perWarehouse);
  const skuNumber = (index % perWarehouse) + 1;
  const rand = random(options.seed, index, 2);
  const onHand = Math.floor(rand() * 500);
  const sku = rand() < options.unmappedSkuRate ? `${pick(rand, DEMO_UNMAPPED_SKUS)}-${warehouse + 1}` : demoExternalSku(skuNumber);
  const record: Record<string, unknown> = {
    warehouse: `WH-${String(warehouse + 1).padStart(2, '0')}`,
    sku,
    on_hand: onHand,
    available: Math.max(0, onHand - Math.floor(rand() * 20)),
    updated_at: options.start.toISOString(),
  };
  if (rand() < options.invalidRate) record.on_hand = 'lots';
  return record;
}

export const inventoryRecordCount = (options: DemoDataOptions): number => options.warehouses * options.skuCount;
