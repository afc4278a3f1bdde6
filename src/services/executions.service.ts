import { Refusal } from '../domain/refusals.js';
import type { ExecutionsRepository, ItemFilter, ItemsPurge, ItemRow, ItemsPage, RecordErrorRow } from '../db/executions.repository.js';
import type { ExecutionRecord } from '../sync/ports.js';
import type { IntegrationLookup } from './integration-lookup.js';

export interface ItemDetail {
  item: ItemRow & { executionId: number };
  /** For an aggregate item: its per-record errors, in id order after the cursor. */
  recordErrors: RecordErrorRow[];
  /** Pass as `afterErrorId` for the next page of record errors, or null on the last page. */
  nextErrorCursor: number | null;
}

/** Reading executions, their items and per-record errors. */
export class ExecutionService {
  constructor(
    private readonly lookup: IntegrationLookup,
    private readonly repository: ExecutionsRepository,
  ) {}

  async list(integrationKey: string, options: { domainType?: string | null; limit: number }): Promise<ExecutionRecord[]> {
    const integration = await this.lookup.require(integrationKey);
    const [domainType] = options.domainType ? this.lookup.domainsToRun(integration, options.domainType) : [undefined];
    return this.repository.list(integration.id, { domainType, limit: options.limit });
  }

  async get(executionId: number): Promise<ExecutionRecord> {
    const execution = await this.repository.get(executionId);
    if (!execution) throw new Refusal('unknown_execution', `No execution #${executionId}`, { executionId });
    return execution;
  }

  /** When retention purged the execution's items, or null while they are kept. */
  itemsPurge(executionId: number): Promise<ItemsPurge | null> {
    return this.repository.itemsPurge(executionId);
  }

  /** A keyset page of the execution's items; `after` is the cursor of the previous page. */
  async items(executionId: number, filter: ItemFilter, options: { limit: number; after?: string | null }): Promise<ItemsPage> {
    await this.get(executionId);
    return this.repository.items(executionId, filter, { limit: options.limit, after: options.after ?? undefined });
  }

  /** The newest retry asked for from this run's summary, if any (the summary shows its outcome). */
  latestRetryOf(executionId: number): Promise<ExecutionRecord | null> {
    return this.repository.latestRetryOf(executionId);
  }

  async item(itemId: number, options: { limit: number; afterErrorId?: number }): Promise<ItemDetail> {
    const item = await this.repository.item(itemId);
    if (!item) throw new Refusal('unknown_item', `No item #${itemId}`);
    const errors = item.aggregate ? await this.repository.recordErrors(itemId, { limit: options.limit + 1, afterId: options.afterErrorId }) : [];
    const recordErrors = errors.slice(0, options.limit);
    return { item, recordErrors, nextErrorCursor: errors.length > options.limit ? recordErrors.at(-1)!.id : null };
  }
}
