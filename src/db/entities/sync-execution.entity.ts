import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { EXECUTION_STATUSES, ITEM_STATUSES, TRIGGERS } from '../../domain/statuses.js';
import { IntegrationSchema } from './integration.entity.js';

export const SyncExecutionSchema = defineEntity({
  name: 'SyncExecution',
  properties: {
    id: p.integer().primary().autoincrement(),
    integration: p.manyToOne(IntegrationSchema).deleteRule('cascade'),
    domainType: p.string().length(64),
    status: p.enum([...EXECUTION_STATUSES]),
    trigger: p.enum([...TRIGGERS]),
    dryRun: p.boolean(),
    triggeredBy: p.string().nullable(),
    queuedAt: p.datetime().defaultRaw('now()').onCreate(() => new Date()),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
    durationMs: p.integer().nullable(),
    recordsFetched: p.integer().default(0),
    /** Kept problem records of earlier runs re-processed in this one (not fetched again). */
    carriedOverCount: p.integer().default(0),
    successCount: p.integer().default(0),
    failedCount: p.integer().default(0),
    skippedCount: p.integer().default(0),
    errorCategory: p.string().length(32).nullable(),
    errorMessage: p.text().nullable(),
    errorAnalysis: p.json<Record<string, unknown>>().nullable(),
    cursorBefore: p.text().nullable(),
    cursorAfter: p.text().nullable(),
    cancelRequestedAt: p.datetime().nullable(),
    cancelRequestedBy: p.string().nullable(),
    /** host:pid of the process running it, to explain interruptions. */
    runner: p.string().nullable(),
    /** When the retention purge deleted this execution's items (the row, counts and analysis stay). */
    itemsPurgedAt: p.datetime().nullable(),
    /** The retention (days) the purge applied, for "items were purged after N days". */
    itemsPurgedAfterDays: p.integer().nullable(),
  },
  indexes: [
    { properties: ['integration', 'startedAt'] },
    { properties: ['integration', 'domainType', 'status'] },
    {
      name: 'sync_execution_integration_domain_id_index',
      expression: 'create index "sync_execution_integration_domain_id_index" on "sync_execution" ("integration_id", "domain_type", "id" desc)',
    },
    {
      // Belt and braces for the advisory lock: never two running executions of one integration x domain.
      name: 'sync_execution_one_running',
      expression: `create unique index "sync_execution_one_running" on "sync_execution" ("integration_id", "domain_type") where "status" = 'running'`,
    },
    {
      // Executions whose items are still kept, by age: what the retention purge looks through.
      name: 'sync_execution_items_kept_index',
      expression: `create index "sync_execution_items_kept_index" on "sync_execution" ((coalesce("finished_at", "started_at", "queued_at")), "id") where "items_purged_at" is null`,
    },
    {
      // Queued and running executions only: what /metrics and /healthz read on every scrape.
      name: 'sync_execution_active_index',
      expression: `create index "sync_execution_active_index" on "sync_execution" ("status", "queued_at") where "status" in ('queued', 'running')`,
    },
  ],
});
export type SyncExecution = InferEntity<typeof SyncExecutionSchema>;

/** One processed record, or one aggregate item standing for a batch (record_count > 1). */
export const SyncItemSchema = defineEntity({
  name: 'SyncItem',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    execution: p.manyToOne(SyncExecutionSchema).deleteRule('cascade'),
    domainType: p.string().length(64),
    externalId: p.text(),
    status: p.enum([...ITEM_STATUSES]),
    errorMessage: p.text().nullable(),
    unmappedSkus: p.array().columnType('text[]').nullable(),
    unmappedChannel: p.text().nullable(),
    aggregate: p.boolean().default(false),
    recordCount: p.integer().default(1),
    fetchedAt: p.datetime(),
    /** A problem record kept from an earlier run, processed again here. */
    carriedOver: p.boolean().default(false),
  },
  indexes: [
    // Items of an execution [by status] in id order: keyset paging and error analysis.
    { name: 'sync_item_execution_id_id_index', properties: ['execution', 'id'] },
    { name: 'sync_item_execution_id_status_id_index', properties: ['execution', 'status', 'id'] },
    {
      // The items with a problem (failed, partial_mapped — a few percent): error analysis and the
      // "what failed" pages read only these, in id order, instead of every item of the execution.
      name: 'sync_item_problems_index',
      expression: 'create index "sync_item_problems_index" on "sync_item" ("execution_id", "id") where "error_message" is not null',
    },
    {
      // Rare search terms among problem items (pg_trgm). Only problem items are indexed: a GIN
      // index over every item cost +80 ms per 1000 inserted items.
      name: 'sync_item_problem_search',
      expression: `create index "sync_item_problem_search" on "sync_item" using gin (("external_id" || ' ' || "error_message") gin_trgm_ops) where "error_message" is not null`,
    },
  ],
});
export type SyncItem = InferEntity<typeof SyncItemSchema>;

/** One failing record inside an aggregate item. */
export const SyncItemErrorSchema = defineEntity({
  name: 'SyncItemError',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    item: p.manyToOne(SyncItemSchema).deleteRule('cascade'),
    execution: p.manyToOne(SyncExecutionSchema).deleteRule('cascade'),
    recordRef: p.text(),
    message: p.text(),
    unmappedSku: p.text().nullable(),
  },
  indexes: [{ properties: ['item', 'id'] }, { properties: ['execution'] }],
});
export type SyncItemError = InferEntity<typeof SyncItemErrorSchema>;

/**
 * The raw record of a failed or partly mapped record, kept until it succeeds, a newer version
 * arrives from the source, or the sync state is reset; every later run processes it again.
 */
export const ProblemRecordSchema = defineEntity({
  name: 'ProblemRecord',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    integration: p.manyToOne(IntegrationSchema).deleteRule('cascade'),
    domainType: p.string().length(64),
    externalId: p.text(),
    raw: p.json<unknown>(),
    recordRef: p.text(),
    errorMessage: p.text(),
    firstExecutionId: p.integer(),
    /** The last execution that processed it (fetched again, carried over, or checked in a dry run). */
    seenExecutionId: p.integer(),
    failures: p.integer().default(1),
    firstFailedAt: p.datetime().defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().defaultRaw('now()').onCreate(() => new Date()),
  },
  uniques: [{ properties: ['integration', 'domainType', 'externalId'] }],
  indexes: [{ properties: ['integration', 'domainType', 'id'] }],
});
export type ProblemRecord = InferEntity<typeof ProblemRecordSchema>;
