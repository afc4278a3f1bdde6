import { demoOrder, firstOrderIndexAtOrAfter, type DemoDataOptions } from '../src/sync/connectors/demo/demo-data.js';
import type { FeedRecord, FeedSource } from '../test/fakes/fake-feed.js';

/**
 * A feed of `count` generated orders for the benchmark: the demo generator's orders (one minute
 * apart, ~3 lines, 5% with an unmapped SKU), served without holding them in memory.
 */
export class GeneratedOrdersSource implements FeedSource {
  constructor(private readonly options: DemoDataOptions) {}

  page(domain: string, updatedAfter: string | null, after: string | null, limit: number) {
    if (domain !== 'sales_orders') return { data: [], next: null };
    const from = after ? Number(after) : updatedAfter ? firstOrderIndexAtOrAfter(this.options, new Date(updatedAfter)) : 0;
    const to = Math.min(this.options.orders, from + limit);
    const data: FeedRecord[] = [];
    for (let index = from; index < to; index += 1) data.push(demoOrder(this.options, index) as FeedRecord);
    return { data, next: to < this.options.orders ? String(to) : null };
  }
}

export const benchDataOptions = (orders: number): DemoDataOptions => ({
  seed: 1,
  orders,
  warehouses: 0,
  skuCount: 200,
  unmappedSkuRate: 0.017, // per line; ~3 lines an order → ~5% of orders have an unmapped SKU
  unmappedChannelRate: 0,
  invalidRate: 0,
  start: new Date('2026-01-01T00:00:00.000Z'),
});
