import type { DomainType } from '../domain/domain-types.js';
import { Refusal } from '../domain/refusals.js';
import type { ExecutionsRepository } from '../db/executions.repository.js';
import type { SyncEngine } from '../sync/engine.js';
import type { ExecutionRecord, SyncObserver } from '../sync/ports.js';
import type { IntegrationLookup } from './integration-lookup.js';
import type { SchedulerAccess } from './scheduler-access.js';

export interface SyncRequest {
  integrationKey: string;
  /** One domain type, or every domain type of the integration when absent. */
  domainType?: string | null;
  dryRun?: boolean;
  /** Who asked: a person (`cli:alice`, a Slack user) or `scheduler`. */
  actor: string;
  /** Queued runs only: post a live run message in this channel (a run asked for from Slack). */
  announce?: { channel: string; requestedBy: string | null; responseUrl?: string | null; retryOf?: number | null } | null;
}

export interface QueuedRun {
  executionId: number;
  domainType: DomainType;
}

export type CancelOutcome = Awaited<ReturnType<ExecutionsRepository['requestCancel']>>;

/** Running, queueing and cancelling syncs: the one path every front end uses. */
export class SyncService {
  constructor(
    private readonly lookup: IntegrationLookup,
    private readonly engine: SyncEngine,
    private readonly executions: ExecutionsRepository,
    private readonly scheduler: SchedulerAccess,
  ) {}

  /**
   * Runs the sync now, in this process, one domain type after the other. Refused before anything
   * runs when the integration is unknown or disabled or does not sync the domain type asked for.
   * A stop signal ends the current run `interrupted` and runs no further domain type.
   */
  async runNow(request: SyncRequest & { signal?: AbortSignal; observer?: SyncObserver }): Promise<ExecutionRecord[]> {
    const { integration, domains } = await this.resolve(request);
    const results: ExecutionRecord[] = [];
    for (const domainType of domains) {
      if (request.signal?.aborted) break;
      results.push(
        await this.engine.run({
          integrationKey: integration.key,
          domainType,
          dryRun: request.dryRun === true,
          trigger: 'manual',
          triggeredBy: request.actor,
          signal: request.signal,
          observer: request.observer,
        }),
      );
    }
    return results;
  }

  /** Queues the run for a worker: each execution exists at once, `queued`, and can be followed or cancelled. */
  async queue(request: SyncRequest): Promise<QueuedRun[]> {
    const { integration, domains } = await this.resolve(request);
    return this.enqueueEach(integration, domains, request, false);
  }

  /** One queued run per domain type, in order; `retryOnly`: runs of the kept problem records only. */
  private async enqueueEach(
    integration: { id: number; key: string },
    domains: DomainType[],
    request: SyncRequest,
    retryOnly: boolean,
  ): Promise<QueuedRun[]> {
    const scheduler = await this.scheduler.get();
    const queued: QueuedRun[] = [];
    for (const domainType of domains) {
      const executionId = await scheduler.enqueue({
        integrationId: integration.id,
        integrationKey: integration.key,
        domainType,
        requestedBy: request.actor,
        dryRun: request.dryRun === true,
        announce: request.announce ?? null,
        ...(retryOnly ? { retryOnly: true } : {}),
      });
      queued.push({ executionId, domainType });
    }
    return queued;
  }

  /**
   * Retry failed items: a run with trigger `retry` per domain type that has kept problem records,
   * processing only those (mappings as they are now), without fetching from the source. Refused
   * when nothing is kept. Queued for a worker unless `now`.
   */
  async retry(request: SyncRequest & { now?: boolean; signal?: AbortSignal; observer?: SyncObserver }): Promise<{ executions: ExecutionRecord[]; queued: QueuedRun[] }> {
    const { integration, domains } = await this.resolve(request);
    const kept = await this.executions.keptProblemCounts(integration.id);
    const retryable = domains.filter((domainType) => (kept.get(domainType) ?? 0) > 0);
    if (!retryable.length) {
      throw new Refusal('nothing_to_retry', `Nothing to retry: no failed records of "${integration.key}" are kept (${domains.join(', ')})`, {
        integrationKey: integration.key,
      });
    }
    if (!request.now) return { executions: [], queued: await this.enqueueEach(integration, retryable, request, true) };
    const executions: ExecutionRecord[] = [];
    for (const domainType of retryable) {
      if (request.signal?.aborted) break;
      executions.push(
        await this.engine.run({
          integrationKey: integration.key,
          domainType,
          dryRun: request.dryRun === true,
          retryOnly: true,
          triggeredBy: request.actor,
          signal: request.signal,
          observer: request.observer,
        }),
      );
    }
    return { executions, queued: [] };
  }

  /** Stops a running execution after its current page, or cancels a queued one; refused once it ended. */
  cancel(executionId: number, actor: string): Promise<CancelOutcome> {
    return this.executions.requestCancel(executionId, actor);
  }

  private async resolve(request: SyncRequest) {
    const integration = await this.lookup.require(request.integrationKey);
    const domains = this.lookup.domainsToRun(integration, request.domainType);
    if (!integration.enabled) {
      throw new Refusal('disabled', `Integration "${integration.key}" is disabled (enabled: false); enable it to sync it`, {
        integrationKey: integration.key,
      });
    }
    return { integration, domains };
  }
}
