import type { DomainType } from '../../domain/domain-types.js';
import type { DomainWrites, IntegrationRuntime, ItemDraft, Mappings, ProblemRecordDraft, StoredVersion } from '../ports.js';

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
  /** Records that failed or were partly mapped, with their raw source record, to keep for later runs. */
  problems: ProblemRecordDraft[];
  /** External ids processed without a problem (saved, mapped or unchanged): a kept version is dropped. */
  clearedIds: string[];
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

/**
 * The last word on each external id of a page: a later copy of a record on the same page
 * supersedes an earlier one, so each id ends up either kept as a problem or cleared.
 */
export class PageOutcomes {
  private readonly outcomes = new Map<string, ProblemRecordDraft | null>();

  problem(draft: ProblemRecordDraft): void {
    this.outcomes.set(draft.externalId, draft);
  }

  cleared(externalId: string): void {
    this.outcomes.set(externalId, null);
  }

  result(): Pick<PageResult, 'problems' | 'clearedIds'> {
    const problems: ProblemRecordDraft[] = [];
    const clearedIds: string[] = [];
    for (const [externalId, problem] of this.outcomes) {
      if (problem) problems.push(problem);
      else clearedIds.push(externalId);
    }
    return { problems, clearedIds };
  }
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
