import type { DomainType } from '../domain/domain-types.js';
import { completedRunStatus, countItems, type ExecutionStatus, type ItemCounts } from '../domain/statuses.js';
import type { FatalError } from '../domain/sync-errors.js';
import type { SourcePage } from './connectors/connector.js';
import type { DomainTypeHandler, PreparedPage } from './domain-types/handler.js';
import { DOMAIN_TYPE_HANDLERS } from './domain-types/registry.js';
import type { Clock, IntegrationRuntime, Mappings, RunProgress, SyncObserver, SyncStore } from './ports.js';

/** How a phase of a run ended: it went through, or it stopped with a final status. */
export type RunOutcome =
  | 'completed'
  | { status: Extract<ExecutionStatus, 'failed' | 'interrupted' | 'cancelled'>; error: FatalError | null };

export interface PageRunnerContext {
  store: SyncStore;
  clock: Clock;
  observers: SyncObserver[];
  integration: IntegrationRuntime;
  domainType: DomainType;
  executionId: number;
  dryRun: boolean;
  /**
   * External ids of the problem records kept for this integration x domain type (as the run
   * started; the runner keeps it up to date). Only these need any work in the problem store.
   */
  keptProblemIds: Set<string>;
}

/**
 * The page steps of one execution — prepare (CPU), decide against stored versions, commit — and
 * its running totals. Fetched pages and carried-over pages go through the same steps.
 */
export class PageRunner {
  readonly executionId: number;
  private readonly handler: DomainTypeHandler;
  private mappings: Mappings | null = null;
  private readonly totals: RunProgress = { success: 0, failed: 0, skipped: 0, recordsFetched: 0, carriedOver: 0 };
  /** Items whose status is exactly `failed`: nothing of them was saved. */
  private whollyFailed = 0;
  private pageNumber = 0;
  private readonly kept: Set<string>;

  constructor(private readonly ctx: PageRunnerContext) {
    this.executionId = ctx.executionId;
    this.handler = DOMAIN_TYPE_HANDLERS.get(ctx.domainType)!;
    this.kept = ctx.keptProblemIds;
  }

  async loadMappings(): Promise<void> {
    this.mappings ??= await this.ctx.store.loadMappings(this.ctx.integration.id, this.ctx.integration.matchSkuCodes);
  }

  /** Validation, mapping and hashing of each page (CPU only), so it can overlap the previous commit. */
  async *prepareEach(
    pages: AsyncIterable<SourcePage>,
    recordRef: (page: SourcePage, index: number) => string,
  ): AsyncGenerator<{ page: SourcePage; prepared: PreparedPage; fetchedAt: Date }> {
    await this.loadMappings();
    const { integration, dryRun, clock } = this.ctx;
    for await (const page of pages) {
      const prepared = this.handler.prepare(page.records, { integration, dryRun, mappings: this.mappings!, recordRef: (index) => recordRef(page, index) });
      yield { page, prepared, fetchedAt: clock.now() };
    }
  }

  /**
   * Decides the page against what is stored, stages its aggregate items, and commits it in one
   * transaction with the changes to the kept problem records. Returns a stop when a person
   * asked to cancel the run.
   */
  async commit(recordsFetched: number, carriedOver: number, prepared: PreparedPage, fetchedAt: Date, isCarriedOver = false): Promise<RunOutcome | null> {
    const { store, integration, domainType, executionId, dryRun, observers } = this.ctx;
    this.pageNumber += 1;
    const result = prepared.decide(await store.storedVersions(domainType, integration.id, prepared.externalIds));
    const aggregates = result.items.filter((item) => item.aggregate);
    const stagedAggregateIds = aggregates.length
      ? await store.stageAggregateItems(executionId, domainType, aggregates.map((item) => item.externalId), fetchedAt, isCarriedOver)
      : [];
    for (const observer of observers) await observer.pageStaged?.(executionId, this.pageNumber);
    const counts = countItems(result.items.map((item) => item.status));
    const clearedIds = result.clearedIds.filter((id) => this.kept.has(id));
    const seenIds = dryRun ? [...clearedIds, ...result.problems.map((problem) => problem.externalId).filter((id) => this.kept.has(id))] : [];
    const { cancelRequested } = await store.commitPage(executionId, integration.id, domainType, {
      items: result.items,
      stagedAggregateIds,
      writes: result.writes,
      counts,
      recordsFetched,
      carriedOver,
      fetchedAt,
      carriedOverItems: isCarriedOver,
      problems: { keep: dryRun ? [] : result.problems, clearedIds: dryRun ? [] : clearedIds, seenIds, dryRun },
    });
    if (!dryRun) {
      for (const id of clearedIds) this.kept.delete(id);
      for (const problem of result.problems) this.kept.add(problem.externalId);
    }
    this.add(counts, recordsFetched, carriedOver);
    this.whollyFailed += result.items.filter((item) => item.status === 'failed').length;
    for (const observer of observers) await observer.pageCommitted?.(executionId, this.pageNumber, this.progress());
    return cancelRequested ? { status: 'cancelled', error: null } : null;
  }

  mayHaveKeptProblems(): boolean {
    return this.kept.size > 0;
  }

  progress(): RunProgress {
    return { ...this.totals };
  }

  itemsProcessed(): number {
    return this.totals.success + this.totals.failed + this.totals.skipped;
  }

  completedStatus(): 'success' | 'partial' | 'failed' {
    return completedRunStatus(this.totals, this.whollyFailed);
  }

  private add(counts: ItemCounts, recordsFetched: number, carriedOver: number): void {
    this.totals.success += counts.success;
    this.totals.failed += counts.failed;
    this.totals.skipped += counts.skipped;
    this.totals.recordsFetched += recordsFetched;
    this.totals.carriedOver += carriedOver;
  }
}
