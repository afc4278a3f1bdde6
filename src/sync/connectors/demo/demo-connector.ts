import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ERROR_CATEGORIES, SyncFailure, type ErrorCategory } from '../../../domain/sync-errors.js';
import { describeIssues } from '../config-schema.js';
import type { Connector, ConnectorDefinition, FetchRequest, SourcePage } from '../connector.js';
import {
  demoInventoryRecord,
  demoOrder,
  firstOrderIndexAtOrAfter,
  inventoryRecordCount,
  orderUpdatedAt,
  type DemoDataOptions,
} from './demo-data.js';

const rate = z.number().min(0).max(1);

const demoConfigSchema = z
  .object({
    seed: z.number().int().default(42),
    orders: z.number().int().min(0).max(50_000_000).default(500),
    warehouses: z.number().int().min(0).max(1000).default(3),
    sku_count: z.number().int().min(1).max(100_000).default(50),
    page_size: z.number().int().min(1).max(10_000).default(200),
    unmapped_sku_rate: rate.default(0.03),
    unmapped_channel_rate: rate.default(0.02),
    invalid_rate: rate.default(0.01),
    /** Records of the previous page sent again at the start of the next (real feeds overlap). */
    overlap: z.number().int().min(0).max(100).default(2),
    start: z.iso.datetime().default('2026-11-01T00:00:00.000Z'),
    page_delay_ms: z.number().int().min(0).max(60_000).default(0),
    /** Make the source fail at a page, to see how a fatal error looks. */
    fail_at_page: z.number().int().min(1).optional(),
    fail_category: z.enum(Object.keys(ERROR_CATEGORIES) as [ErrorCategory, ...ErrorCategory[]]).default('connection'),
  })
  .strict();

type DemoConfig = z.infer<typeof demoConfigSchema>;

class DemoConnector implements Connector {
  private readonly data: DemoDataOptions;

  constructor(private readonly config: DemoConfig) {
    this.data = {
      seed: config.seed,
      orders: config.orders,
      warehouses: config.warehouses,
      skuCount: config.sku_count,
      unmappedSkuRate: config.unmapped_sku_rate,
      unmappedChannelRate: config.unmapped_channel_rate,
      invalidRate: config.invalid_rate,
      start: new Date(config.start),
    };
  }

  async *fetch(request: FetchRequest): AsyncIterable<SourcePage> {
    const total = request.domainType === 'sales_orders' ? this.data.orders : inventoryRecordCount(this.data);
    // Orders are incremental (updated_at >= cursor, inclusive); inventory is a full snapshot each time.
    const first =
      request.domainType === 'sales_orders' && request.cursor ? firstOrderIndexAtOrAfter(this.data, new Date(request.cursor)) : 0;
    const { page_size: pageSize, overlap } = this.config;
    let pageNumber = 0;
    for (let from = first; from < total; from += pageSize) {
      pageNumber += 1;
      request.signal.throwIfAborted();
      if (this.config.page_delay_ms) await sleep(this.config.page_delay_ms, undefined, { signal: request.signal });
      if (this.config.fail_at_page === pageNumber) {
        throw new SyncFailure(this.config.fail_category, `Demo source failed on page ${pageNumber} (fail_at_page is set)`);
      }
      const to = Math.min(total, from + pageSize);
      const resendFrom = pageNumber > 1 ? Math.max(first, from - overlap) : from;
      const records: unknown[] = [];
      for (let index = resendFrom; index < to; index += 1) records.push(this.record(request, index));
      yield { records, cursor: this.cursorAfter(request, to - 1), label: `page ${pageNumber}` };
    }
  }

  private record(request: FetchRequest, index: number): unknown {
    return request.domainType === 'sales_orders' ? demoOrder(this.data, index) : demoInventoryRecord(this.data, index);
  }

  private cursorAfter(request: FetchRequest, lastIndex: number): string {
    return request.domainType === 'sales_orders'
      ? orderUpdatedAt(this.data, lastIndex).toISOString()
      : this.data.start.toISOString();
  }
}

export const demoConnector: ConnectorDefinition = {
  type: 'demo',
  domains: ['sales_orders', 'warehouse_inventory'],
  validate: (config) => describeIssues('config', demoConfigSchema.safeParse(config)),
  create: (config) => new DemoConnector(demoConfigSchema.parse(config)),
};
