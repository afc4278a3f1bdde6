import type { Integration } from '../db/entities/index.js';
import type { ItemsPage } from '../db/executions.repository.js';
import type { ExecutionRecord } from '../sync/ports.js';
import type { MappingChange, MappingsPage, UnmappedPage } from './catalog.service.js';
import type { ItemDetail } from './executions.service.js';
import type { Indicator } from '../domain/health.js';
import type { PairHealthReport } from './health.service.js';

/**
 * The public JSON shapes (README, "JSON output"): scripts depend on these names, so they live
 * in one place and every front end that prints JSON uses them.
 */
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
    /** Set when retention purged the execution's items (the list is empty for that reason). */
    purged: page.purged ? { at: page.purged.at.toISOString(), afterDays: page.purged.afterDays } : null,
    searchedUpTo: page.searchedUpTo,
  };
}

export function itemJson({ item, recordErrors, nextErrorCursor }: ItemDetail) {
  return { ...item, fetchedAt: item.fetchedAt.toISOString(), recordErrors, nextErrorCursor };
}

/** An integration as people see it: never its credentials, only whether it has some. */
export function integrationJson(row: Integration) {
  return {
    key: row.key,
    name: row.name,
    connector: row.connector,
    domains: row.domains,
    schedule: row.cron ? { cron: row.cron, timezone: row.timezone } : null,
    enabled: row.enabled,
    dryRun: row.dryRun,
    slackChannel: row.slackChannel,
    notify: row.notify,
    hasCredentials: row.credentialsSealed !== null,
  };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** `tether health --json` (README, "Health"): one object per integration × domain type; keep these names. */
export function healthJson(report: PairHealthReport) {
  const indicator = ({ state, value, baseline, reason }: Indicator) => ({
    state,
    value,
    baseline: baseline && { runs: baseline.runs, median: round2(baseline.median), mad: round2(baseline.mad), min: baseline.min, max: baseline.max },
    reason,
  });
  const { indicators } = report;
  return {
    integration: report.integration.key,
    domainType: report.domainType,
    overall: report.overall,
    indicators: {
      status: indicator(indicators.status),
      failed: indicator(indicators.failed),
      fetched: indicator(indicators.fetched),
      duration: indicator(indicators.duration),
      schedule: indicator(indicators.schedule),
    },
    problems: report.problems.map(({ key, category, reason, fix }) => ({ key, category, reason, fix })),
    trends: { recordsFetched: report.trends.recordsFetched, failed: report.trends.failed, durationMs: report.trends.durationMs },
  };
}

/** A page of an integration's mappings (`mappings list --json`). */
export function mappingsPageJson(page: MappingsPage) {
  return {
    integration: page.integrationKey,
    mappings: page.mappings.map((row) => ({
      kind: row.kind,
      externalId: row.externalId,
      code: row.code,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

/** One mapping written (`mappings add --json`): `previousCode` is what it pointed at before, null when new. */
export function mappingChangeJson(change: MappingChange) {
  return {
    integration: change.integrationKey,
    kind: change.kind,
    externalId: change.externalId,
    code: change.code,
    name: change.name,
    previousCode: change.previousCode,
    outcome: change.outcome,
  };
}

/** A page of unmapped values, most blocking first (`mappings unmapped --json`, one per kind). */
export function unmappedPageJson(page: UnmappedPage) {
  return {
    integration: page.integrationKey,
    kind: page.kind,
    total: page.total,
    values: page.values.map((value) => ({
      value: value.value,
      heldBack: value.heldBack,
      orders: value.orders,
      units: value.units,
      orderValue: value.orderValue,
      inventoryRows: value.inventoryRows,
    })),
    nextCursor: page.nextCursor,
  };
}
