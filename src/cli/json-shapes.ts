import type { ItemsPage } from '../db/executions.repository.js';
import type { ExecutionRecord } from '../sync/ports.js';

/** The public JSON shape of an execution (README, "JSON output"): keep these names. */
export function executionJson(execution: ExecutionRecord) {
  return {
    id: execution.id,
    integration: execution.integrationKey,
    domainType: execution.domainType,
    status: execution.status,
    trigger: execution.trigger,
    dryRun: execution.dryRun,
    startedAt: execution.startedAt?.toISOString() ?? null,
    finishedAt: execution.finishedAt?.toISOString() ?? null,
    durationMs: execution.durationMs,
    recordsFetched: execution.recordsFetched,
    carriedOver: execution.carriedOver,
    successCount: execution.successCount,
    failedCount: execution.failedCount,
    skippedCount: execution.skippedCount,
    error: execution.error,
    errorAnalysis: execution.errorAnalysis,
  };
}

export function itemsPageJson(page: ItemsPage) {
  return {
    items: page.items.map((item) => ({
      id: item.id,
      status: item.status,
      domainType: item.domainType,
      externalId: item.externalId,
      errorMessage: item.errorMessage,
      fetchedAt: item.fetchedAt.toISOString(),
      recordCount: item.recordCount,
      carriedOver: item.carriedOver,
    })),
    nextCursor: page.nextCursor,
  };
}
