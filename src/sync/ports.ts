import type { DomainType } from '../domain/domain-types.js';
import type { ExecutionStatus, ItemCounts, ItemStatus, Trigger } from '../domain/statuses.js';
import type { FatalError } from '../domain/sync-errors.js';

/** What the engine needs to know about an integration (credentials already opened). */
export interface IntegrationRuntime {
  id: number;
  key: string;
  name: string;
  connector: string;
  domains: DomainType[];
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  dryRun: boolean;
  matchSkuCodes: boolean;
}

export interface RecordError {
  recordRef: string;
  message: string;
  unmappedSku: string | null;
}

/** A sync item as the domain-type handlers decide it, before it is stored. */
export interface ItemDraft {
  externalId: string;
  status: Exclude<ItemStatus, 'processing'>;
  errorMessage: string | null;
  unmappedSkus: string[] | null;
  unmappedChannel: string | null;
  aggregate: boolean;
  recordCount: number;
  /** Per-record errors inside an aggregate item. */
  recordErrors: RecordError[];
}

/** Domain rows to write for one page; opaque to the engine, understood by the store's writer. */
export interface DomainWrites {
  domainType: DomainType;
  rows: unknown[];
}

export interface StoredVersion {
  contentHash: string;
  complete: boolean;
}

export interface Mappings {
  /** external SKU id → Tether SKU id */
  skus: Map<string, number>;
  /** external channel id → Tether channel id */
  channels: Map<string, number>;
  /** Tether SKU code → id, used when the integration matches SKU codes without a mapping. */
  skuCodes: Map<string, number> | null;
}

export interface ErrorAnalysis {
  unmappedSkus: { value: string; count: number }[];
  unmappedChannels: { value: string; count: number }[];
  topErrors: { message: string; count: number }[];
}

export interface ExecutionRecord {
  id: number;
  integrationId: number;
  integrationKey: string;
  domainType: DomainType;
  status: ExecutionStatus;
  trigger: Trigger;
  dryRun: boolean;
  triggeredBy: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  recordsFetched: number;
  successCount: number;
  failedCount: number;
  skippedCount: number;
  error: FatalError | null;
  errorAnalysis: ErrorAnalysis | null;
  cursorBefore: string | null;
  cursorAfter: string | null;
}

export interface RunLock {
  release(): Promise<void>;
}

export interface PageCommit {
  items: ItemDraft[];
  /** Ids of the aggregate items staged as `processing` for this page, in draft order. */
  stagedAggregateIds: number[];
  writes: DomainWrites | null;
  counts: ItemCounts;
  recordsFetched: number;
  fetchedAt: Date;
}

export interface FinishRun {
  status: Extract<ExecutionStatus, 'success' | 'partial' | 'failed' | 'interrupted' | 'cancelled'>;
  error: FatalError | null;
  finishedAt: Date;
  cursorAfter: string | null;
  /** Only when true is the integration's cursor moved to cursorAfter (in the same transaction). */
  advanceCursor: boolean;
}

/** Storage the engine runs against; implemented in db/ with PostgreSQL. */
export interface SyncStore {
  findIntegration(key: string): Promise<IntegrationRuntime | null>;
  /** Per-integration x domain type run lock; null when another process holds it. */
  tryLockRun(integrationId: number, domainType: DomainType): Promise<RunLock | null>;
  findRunningExecution(integrationId: number, domainType: DomainType): Promise<ExecutionRecord | null>;
  /** Under the run lock, any `running` execution of this pair belongs to a dead process. */
  interruptOrphans(integrationId: number, domainType: DomainType, at: Date): Promise<number>;
  loadState(integrationId: number, domainType: DomainType): Promise<{ cursor: string | null; resetAt: Date | null }>;
  createExecution(input: {
    integrationId: number;
    domainType: DomainType;
    trigger: Trigger;
    dryRun: boolean;
    triggeredBy: string | null;
  }): Promise<number>;
  /** queued → running; false when the execution is no longer queued (cancelled, or started before). */
  startExecution(executionId: number, input: { startedAt: Date; cursorBefore: string | null; runner: string; trigger: Trigger }): Promise<boolean>;
  getExecution(executionId: number): Promise<ExecutionRecord | null>;
  loadMappings(integrationId: number, withSkuCodes: boolean): Promise<Mappings>;
  storedVersions(domainType: DomainType, integrationId: number, externalIds: string[]): Promise<Map<string, StoredVersion>>;
  stageAggregateItems(executionId: number, domainType: DomainType, externalIds: string[], fetchedAt: Date): Promise<number[]>;
  /** One transaction: domain rows, items, counters. Returns whether a person asked to cancel. */
  commitPage(executionId: number, integrationId: number, domainType: DomainType, page: PageCommit): Promise<{ cancelRequested: boolean }>;
  /** One transaction: final status, error analysis (computed in SQL), and the cursor when asked. */
  finishExecution(executionId: number, finish: FinishRun): Promise<ExecutionRecord>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Progress events; the CLI prints them, Slack will post them, tests watch them. */
export interface SyncObserver {
  executionStarted?(execution: { id: number; integrationKey: string; domainType: DomainType; dryRun: boolean }): Promise<void> | void;
  /** After a page's aggregate items are recorded as `processing`, before its data is committed. */
  pageStaged?(executionId: number, pageNumber: number): Promise<void> | void;
  pageCommitted?(executionId: number, pageNumber: number, counts: ItemCounts): Promise<void> | void;
  executionFinished?(execution: ExecutionRecord): Promise<void> | void;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** A logger that adds fields (e.g. the execution id) to every line. */
export function withFields(log: Logger, fields: object): Logger {
  return {
    info: (obj, msg) => log.info({ ...fields, ...obj }, msg),
    warn: (obj, msg) => log.warn({ ...fields, ...obj }, msg),
    error: (obj, msg) => log.error({ ...fields, ...obj }, msg),
    debug: (obj, msg) => log.debug({ ...fields, ...obj }, msg),
  };
}
