import { hostname } from 'node:os';
import type { DomainType } from '../domain/domain-types.js';
import { completedRunStatus, countItems, type ItemCounts, type Trigger } from '../domain/statuses.js';
import { SyncFailure, interruptedError, toFatalError } from '../domain/sync-errors.js';
import type { ConnectorRegistry, SourcePage } from './connectors/connector.js';
import type { PreparedPage } from './domain-types/handler.js';
import { DOMAIN_TYPE_HANDLERS } from './domain-types/registry.js';
import { RunRefused } from './engine-errors.js';
import { prefetchOne } from './prefetch.js';
import { withFields, type Clock, type ExecutionRecord, type FinishRun, type IntegrationRuntime, type Logger, type SyncObserver, type SyncStore } from './ports.js';

export interface RunRequest {
  integrationKey: string;
  domainType: DomainType;
  /** Overrides the integration's dry-run flag for this run only when true. */
  dryRun?: boolean;
  trigger?: Extract<Trigger, 'manual' | 'scheduled' | 'retry'>;
  triggeredBy?: string | null;
  /** A run queued earlier (scheduler): this execution row is started instead of a new one. */
  queuedExecutionId?: number;
  /** Stops the run after the current page; it ends `interrupted`. */
  signal?: AbortSignal;
}

export interface EngineDeps {
  store: SyncStore;
  connectors: ConnectorRegistry;
  clock: Clock;
  log: Logger;
  observer?: SyncObserver;
}

type RunOutcome = Pick<FinishRun, 'status' | 'error'>;

/** One run: lock → paginate → parse → map → store → checkpoint → status. */
export class SyncEngine {
  private readonly runner = `${hostname()}:${process.pid}`;

  constructor(private readonly deps: EngineDeps) {}

  async run(request: RunRequest): Promise<ExecutionRecord> {
    const { store } = this.deps;
    const integration = await store.findIntegration(request.integrationKey);
    if (!integration) throw new RunRefused('unknown_integration', `Unknown integration "${request.integrationKey}"`);
    if (!integration.domains.includes(request.domainType)) {
      throw new RunRefused(
        'unsupported_domain',
        `Integration "${integration.key}" does not sync ${request.domainType} (it syncs: ${integration.domains.join(', ')})`,
      );
    }
    const lock = await store.tryLockRun(integration.id, request.domainType);
    if (!lock) throw await this.alreadyRunning(integration, request.domainType);
    try {
      await store.interruptOrphans(integration.id, request.domainType, this.deps.clock.now());
      return await this.runLocked(integration, request);
    } finally {
      await lock.release();
    }
  }

  private async alreadyRunning(integration: IntegrationRuntime, domainType: DomainType): Promise<RunRefused> {
    const running = await this.deps.store.findRunningExecution(integration.id, domainType);
    const which = running ? `execution #${running.id}, started ${running.startedAt?.toISOString() ?? 'just now'}` : 'another process';
    return new RunRefused(
      'already_running',
      `A ${domainType} sync of "${integration.key}" is already running (${which}); wait for it to finish or cancel it`,
      running?.id ?? null,
    );
  }

  private async runLocked(integration: IntegrationRuntime, request: RunRequest): Promise<ExecutionRecord> {
    const { store, clock, observer } = this.deps;
    const { domainType } = request;
    const state = await store.loadState(integration.id, domainType);
    const dryRun = request.dryRun === true || integration.dryRun;
    const requested = request.trigger ?? 'manual';
    // The first full fetch after an admin reset is the product's "full re-sync".
    const trigger: Trigger = state.cursor === null && state.resetAt !== null && requested !== 'retry' ? 'full_resync' : requested;
    const claimed = await this.claimExecution(integration, request, { trigger, dryRun, cursor: state.cursor });
    if (typeof claimed !== 'number') return claimed; // cancelled while it waited in the queue
    const executionId = claimed;
    const log = withFields(this.deps.log, { executionId });
    log.info({ integration: integration.key, domainType, dryRun, cursor: state.cursor }, 'sync started');
    await observer?.executionStarted?.({ id: executionId, integrationKey: integration.key, domainType, dryRun });

    const progress = { counts: { success: 0, failed: 0, skipped: 0 } as ItemCounts, cursor: state.cursor };
    const outcome = await this.paginate(integration, request, { executionId, dryRun, cursor: state.cursor, log }, progress);
    const finished = await store.finishExecution(executionId, {
      ...outcome,
      finishedAt: clock.now(),
      cursorAfter: progress.cursor,
      // The cursor moves only when the run completed and wrote its data (PRODUCT.md, cursor rule).
      advanceCursor: !dryRun && (outcome.status === 'success' || outcome.status === 'partial'),
    });
    log.info({ status: finished.status, counts: progress.counts, error: finished.error?.message }, 'sync finished');
    await observer?.executionFinished?.(finished);
    return finished;
  }

  /**
   * Starts the queued execution, or a new one. A queued execution that a dead worker had already
   * started (now `interrupted`) is run again as a new `retry` execution; one that already finished
   * or was cancelled is returned as it is (a job picked up twice never runs twice).
   */
  private async claimExecution(
    integration: IntegrationRuntime,
    request: RunRequest,
    run: { trigger: Trigger; dryRun: boolean; cursor: string | null },
  ): Promise<number | ExecutionRecord> {
    const { store, clock } = this.deps;
    const start = { startedAt: clock.now(), cursorBefore: run.cursor, runner: this.runner, trigger: run.trigger };
    let trigger = run.trigger;
    if (request.queuedExecutionId !== undefined) {
      if (await store.startExecution(request.queuedExecutionId, start)) return request.queuedExecutionId;
      const queued = await store.getExecution(request.queuedExecutionId);
      // Only a run that died (interrupted) is run again; a finished or cancelled one is done.
      if (queued && queued.status !== 'interrupted') return queued;
      if (queued) trigger = 'retry';
    }
    const id = await store.createExecution({
      integrationId: integration.id,
      domainType: request.domainType,
      trigger,
      dryRun: run.dryRun,
      triggeredBy: request.triggeredBy ?? null,
    });
    await store.startExecution(id, { ...start, trigger });
    return id;
  }

  private async paginate(
    integration: IntegrationRuntime,
    request: RunRequest,
    run: { executionId: number; dryRun: boolean; cursor: string | null; log: Logger },
    progress: { counts: ItemCounts; cursor: string | null },
  ): Promise<RunOutcome> {
    const { store, clock, observer, connectors } = this.deps;
    const { executionId, dryRun, cursor, log } = run;
    const handler = DOMAIN_TYPE_HANDLERS.get(request.domainType)!;
    const definition = connectors.get(integration.connector);
    if (!definition) return failed(new SyncFailure('configuration', `Unknown connector "${integration.connector}"`));
    const problems = definition.validate(integration.config, integration.credentials);
    if (problems.length) return failed(new SyncFailure('configuration', problems.join('; ')));
    const signal = request.signal ?? new AbortController().signal;
    try {
      const connector = definition.create(integration.config, integration.credentials);
      const mappings = await store.loadMappings(integration.id, integration.matchSkuCodes);
      let pageNumber = 0;
      const pages = connector.fetch({ domainType: request.domainType, cursor, signal, log });
      // Validation, hashing and mapping of page N+1 run while page N commits.
      const preparedPages = async function* () {
        for await (const page of pages) {
          const recordRef = (index: number) => page.refs?.[index] ?? `${page.label} record ${index + 1}`;
          yield { page, fetchedAt: clock.now(), prepared: handler.prepare(page.records, { integration, dryRun, mappings, recordRef }) };
        }
      };
      for await (const { page, fetchedAt, prepared } of prefetchOne(preparedPages())) {
        pageNumber += 1;
        const counts = await this.storePage(integration.id, request.domainType, executionId, pageNumber, { page, fetchedAt, prepared });
        addCounts(progress.counts, counts.items);
        if (page.cursor !== null) progress.cursor = page.cursor;
        await observer?.pageCommitted?.(executionId, pageNumber, { ...progress.counts });
        if (counts.cancelRequested) return { status: 'cancelled', error: null };
        if (signal.aborted) return interrupted();
      }
    } catch (error) {
      if (signal.aborted) return interrupted();
      // Expected failures are explained in the execution; only the unexpected need a stack.
      if (error instanceof SyncFailure) log.warn({ category: error.category, reason: error.message }, 'sync failed');
      else log.error({ err: error }, 'sync failed unexpectedly');
      return failed(error);
    }
    return { status: completedRunStatus(progress.counts), error: null };
  }

  /** Decides the page against what is stored, stages its aggregate items, and commits it. */
  private async storePage(
    integrationId: number,
    domainType: DomainType,
    executionId: number,
    pageNumber: number,
    { page, fetchedAt, prepared }: { page: SourcePage; fetchedAt: Date; prepared: PreparedPage },
  ): Promise<{ items: ItemCounts; cancelRequested: boolean }> {
    const { store, observer } = this.deps;
    const result = prepared.decide(await store.storedVersions(domainType, integrationId, prepared.externalIds));
    const aggregates = result.items.filter((item) => item.aggregate);
    const stagedAggregateIds = aggregates.length
      ? await store.stageAggregateItems(executionId, domainType, aggregates.map((item) => item.externalId), fetchedAt)
      : [];
    await observer?.pageStaged?.(executionId, pageNumber);
    const items = countItems(result.items.map((item) => item.status));
    const { cancelRequested } = await store.commitPage(executionId, integrationId, domainType, {
      items: result.items,
      stagedAggregateIds,
      writes: result.writes,
      counts: items,
      recordsFetched: page.records.length,
      fetchedAt,
    });
    return { items, cancelRequested };
  }
}

const failed = (error: unknown): RunOutcome => ({ status: 'failed', error: toFatalError(error) });

const interrupted = (): RunOutcome => ({ status: 'interrupted', error: interruptedError('The run was stopped before it finished') });

function addCounts(total: ItemCounts, page: ItemCounts): void {
  total.success += page.success;
  total.failed += page.failed;
  total.skipped += page.skipped;
}
