import type { DomainType } from '../../domain/domain-types.js';
import type { DomainWrites, IntegrationRuntime, ItemDraft, Mappings, StoredVersion } from '../ports.js';

export interface PageContext {
  integration: IntegrationRuntime;
  dryRun: boolean;
  mappings: Mappings;
  /** Where record `index` of the page came from, e.g. "page 3 record 7" or "stock.csv line 17". */
  recordRef(index: number): string;
  storedVersions(externalIds: string[]): Promise<Map<string, StoredVersion>>;
}

export interface PageResult {
  items: ItemDraft[];
  /** null in a dry run, or when nothing on the page needs writing. */
  writes: DomainWrites | null;
}

/** One kind of data: validates raw records, maps them, and decides each item's status. */
export interface DomainTypeHandler {
  type: DomainType;
  processPage(records: unknown[], context: PageContext): Promise<PageResult>;
}

export const emptyItem = (externalId: string): Omit<ItemDraft, 'status'> => ({
  externalId,
  errorMessage: null,
  unmappedSkus: null,
  unmappedChannel: null,
  aggregate: false,
  recordCount: 1,
  recordErrors: [],
});
