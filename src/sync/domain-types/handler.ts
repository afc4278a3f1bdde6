import type { DomainType } from '../../domain/domain-types.js';
import type { DomainWrites, IntegrationRuntime, ItemDraft, Mappings, StoredVersion } from '../ports.js';

export interface PageContext {
  integration: IntegrationRuntime;
  dryRun: boolean;
  mappings: Mappings;
  /** Where record `index` of the page came from, e.g. "page 3 record 7" or "stock.csv line 17". */
  recordRef(index: number): string;
}

export interface PageResult {
  items: ItemDraft[];
  /** null in a dry run, or when nothing on the page needs writing. */
  writes: DomainWrites | null;
}

/** A validated, hashed and mapped page, waiting for the stored versions of its records. */
export interface PreparedPage {
  /** The external ids whose stored versions decide which records are `skipped`. */
  externalIds: string[];
  decide(stored: Map<string, StoredVersion>): PageResult;
}

/**
 * One kind of data. prepare() is CPU only (no IO), so the engine runs it for the next page while
 * the current page commits; decide() then settles each item's status against what is stored.
 */
export interface DomainTypeHandler {
  type: DomainType;
  prepare(records: unknown[], context: PageContext): PreparedPage;
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
