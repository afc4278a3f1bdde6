import { hostname } from 'node:os';
import type { DomainType } from '../domain/domain-types.js';
import { CredentialsUnreadable } from '../domain/secret-box.js';
import type { Trigger } from '../domain/statuses.js';
import { SyncFailure, interruptedError, itemsFailedError, toFatalError } from '../domain/sync-errors.js';
import type { SourcePage } from './connectors/connector.js';
import { RunRefused } from './engine-errors.js';
import { PageRunner, type RunOutcome } from './page-runner.js';
import { prefetchOne } from './prefetch.js';
import type { ConnectorRegistry } from './connectors/connector.js';
import { withFields, type Clock, type ExecutionRecord, type IntegrationRuntime, type Logger, type SyncObserver, type SyncStore } from './ports.js';

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
  /** Progress of this run only (e.g. a terminal progress line), on top of the engine's observer. */
  observer?: SyncObserver;
  /**
   * Retry failed items: process only the problem records kept from earlier runs, with the
   * mappings as they are now, without fetching from the source (trigger `retry`).
   */
  retryOnly?: boolean;
}

export interface EngineDeps {
  store: SyncStore;
  connectors: ConnectorRegistry;
  clock: Clock;
  log: Logger;
  observer?: SyncObserver;
}

/** How many kept problem records are carried over per page. */
const CARRY_OVER_PAGE = 500;

/**
 * One run: lock → fetch pages (prepare / decide / commit each) → carry over the problem records
 * kept from earlier runs that were not fetched again → finish, moving the cursor if it completed.
 */
export class SyncEngine {
  private readonly runner = `${hostname()}:${process.pid}`;

  constructor(private readonly deps: EngineDeps) {}

  async run(request: RunRequest): Promise<ExecutionRecord> {
    const { store } = this.deps;
    const integration = await store.findIntegration(request.integrationKey);
    if (!integration) throw new RunRefused('unknown_integration', `Unknown integration "${request.integrationKey}"`);
    if (!integration.enabled) {
      throw new RunRefused('disabled', `Integration "${integration.key}" is disabled (enabled: false); enable it to sync it`);
    }
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
    const { store, clock } = this.deps;
    const { domainType } = request;
    const state = await store.loadState(integration.id, domainType);
    const keptProblemIds = new Set(await store.keptProblemIds(integration.id, domainType));
    if (request.retryOnly && keptProblemIds.size === 0) {
      throw new RunRefused('nothing_to_retry', `Nothing to retry: no failed ${domainType} records of "${integration.key}" are kept`, null, integration.key);
    }
    const dryRun = request.dryRun === true || integration.dryRun;
    const requested = request.retryOnly ? 'retry' : (request.trigger ?? 'manual');
    // The first full fetch after an admin reset is the product's "full re-sync".
    const trigger: Trigger = state.cursor === null && state.resetAt !== null && requested !== 'retry' ? 'full_resync' : requested;
    const claimed = await this.claimExecution(integration, request, { trigger, dryRun, cursor: state.cursor });
    if (typeof claimed !== 'number') return claimed; // cancelled while it waited in the queue
    const executionId = claimed;
    // Every line of the run (engine, connector) carries these; pino's child logger adds them.
    const log = withFields(this.deps.log, { executionId, integration: integration.key, domainType });
    const observers = [this.deps.observer, request.observer].filter((o): o is SyncObserver => o !== undefined);
    log.info({ dryRun, trigger, cursor: state.cursor }, 'sync started');
    for (const observer of observers) await observer.executionStarted?.({ id: executionId, integrationKey: integration.key, domainType, dryRun });

    const pages = new PageRunner({
      store,
      clock,
      observers,
      integration,
      domainType,
      executionId,
      dryRun,
      keptProblemIds,
    });
    let cursor = state.cursor;
    let outcome = request.retryOnly ? 'completed' : await this.fetchPages(integration, request, pages, { cursor, log, onCursor: (next) => (cursor = next) });
    if (outcome === 'completed') outcome = await this.carryOver(integration, request, pages, log);
    const status = outcome === 'completed' ? pages.completedStatus() : outcome.status;
    const error = outcome === 'completed' ? (status === 'failed' ? itemsFailedError(pages.itemsProcessed()) : null) : outcome.error;
    const finished = await store.finishExecution(executionId, {
      status,
      error,
      finishedAt: clock.now(),
      cursorAfter: cursor,
      // The cursor moves only when the run completed and wrote its data (PRODUCT.md, cursor rule).
      advanceCursor: !dryRun && (status === 'success' || status === 'partial'),
      noProblemItems: pages.progress().failed === 0,
    });
    log.info({ status: finished.status, counts: pages.progress(), error: finished.error?.message }, 'sync finished');
    for (const observer of observers) await observer.executionFinished?.(finished);
    return finished;
  }

  /** The source's pages: fetch and prepare page N+1 while page N commits. */
  private async fetchPages(
    integration: IntegrationRuntime,
    request: RunRequest,
    pages: PageRunner,
    run: { cursor: string | null; log: Logger; onCursor(cursor: string): void },
  ): Promise<RunOutcome> {
    const { connectors } = this.deps;
    const signal = request.signal ?? new AbortController().signal;
    try {
      const definition = connectors.get(integration.connector);
      if (!definition) throw new SyncFailure('configuration', `Unknown connector "${integration.connector}"`);
      const credentials = openCredentials(integration);
      const problems = definition.validate(integration.config, credentials);
      if (problems.length) throw new SyncFailure('configuration', problems.join('; '));
      const connector = definition.create(integration.config, credentials);
      await pages.loadMappings();
      const fetched = connector.fetch({ domainType: request.domainType, cursor: run.cursor, signal, log: run.log });
      for await (const { page, prepared, fetchedAt } of prefetchOne(pages.prepareEach(fetched, (page: SourcePage, index) => page.refs?.[index] ?? `${page.label} record ${index + 1}`))) {
        const stop = await pages.commit(page.records.length, 0, prepared, fetchedAt);
        if (page.cursor !== null) run.onCursor(page.cursor);
        if (stop) return stop;
        if (signal.aborted) return interrupted();
      }
      return 'completed';
    } catch (error) {
      if (signal.aborted) return interrupted();
      return failed(error, run.log);
    }
  }

  /**
   * Problem records kept from earlier runs and not fetched again in this one are processed again
   * with today's mappings, as items of this execution (a record fetched again was already
   * processed, in its newest version).
   */
  private async carryOver(integration: IntegrationRuntime, request: RunRequest, pages: PageRunner, log: Logger): Promise<RunOutcome> {
    if (!pages.mayHaveKeptProblems()) return 'completed';
    const signal = request.signal ?? new AbortController().signal;
    try {
      const kept = this.keptPages(integration.id, request.domainType, pages.executionId);
      for await (const { page, prepared, fetchedAt } of prefetchOne(pages.prepareEach(kept, (page, index) => page.refs![index]!))) {
        const stop = await pages.commit(0, page.records.length, prepared, fetchedAt, true);
        if (stop) return stop;
        if (signal.aborted) return interrupted();
      }
      return 'completed';
    } catch (error) {
      if (signal.aborted) return interrupted();
      return failed(error, log);
    }
  }

  private async *keptPages(integrationId: number, domainType: DomainType, executionId: number): AsyncGenerator<SourcePage> {
    let afterId = 0;
    for (;;) {
      const kept = await this.deps.store.problemRecordsToCarry(integrationId, domainType, executionId, { afterId, limit: CARRY_OVER_PAGE });
      if (!kept.length) return;
      afterId = kept.at(-1)!.id;
      yield { records: kept.map((record) => record.raw), refs: kept.map((record) => record.recordRef), cursor: null, label: 'carried over' };
    }
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
}

function openCredentials(integration: IntegrationRuntime): Record<string, string> {
  try {
    return integration.openCredentials();
  } catch (error) {
    if (error instanceof CredentialsUnreadable) throw new SyncFailure('credentials', error.message);
    throw error;
  }
}

function failed(error: unknown, log: Logger): RunOutcome {
  // Expected failures are explained in the execution; only the unexpected need a stack.
  if (error instanceof SyncFailure) log.warn({ category: error.category, reason: error.message }, 'sync failed');
  else log.error({ err: error }, 'sync failed unexpectedly');
  return { status: 'failed', error: toFatalError(error) };
}

const interrupted = (): RunOutcome => ({ status: 'interrupted', error: interruptedError('The run was stopped before it finished') });
