import type { DomainType } from '../domain/domain-types.js';
import type { ExecutionStatus, ItemCounts, ItemStatus, Trigger } from '../domain/statuses.js';
import type { FatalError } from '../domain/sync-errors.js';

/** What the engine needs to know about an integration. */
export interface IntegrationRuntime {
  id: number;
  key: string;
  name: string;
  connector: string;
  domains: DomainType[];
  config: Record<string, unknown>;
  enabled: boolean;
  dryRun: boolean;
  matchSkuCodes: boolean;
  /** Opens the sealed credentials; throws when they cannot be opened (the run then fails, explained). */
  openCredentials(): Record<string, string>;
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

/**
 * A record that failed or was only partly mapped, kept (raw, as the source sent it) so that later
 * runs re-process it with the mappings as they are then, without fetching it again.
 */
export interface ProblemRecordDraft {
  externalId: string;
  raw: unknown;
  /** Where it came from, e.g. "page 3 record 7" or "stock.csv line 17". */
  recordRef: string;
  errorMessage: string;
}

/** A kept problem record, read back to be carried over into a later run. */
export interface KeptProblemRecord {
  id: number;
  externalId: string;
  raw: unknown;
  recordRef: string;
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
  /** Problem records kept from earlier runs and re-processed in this one (not fetched again). */
  carriedOver: number;
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
  /** Records read from the source on this page (0 for a page of carried-over problem records). */
  recordsFetched: number;
  /** Kept problem records re-processed on this page (0 for a page fetched from the source). */
  carriedOver: number;
  fetchedAt: Date;
  /** The page's items stand for carried-over problem records (shown as such). */
  carriedOverItems: boolean;
  /** What the page means for the kept problem records of this integration x domain type. */
  problems: {
    /** Failed / partly mapped records to keep (live runs): inserted, or replacing the kept version. */
    keep: ProblemRecordDraft[];
    /** Kept records this page processed without a problem: dropped (live runs). */
    clearedIds: string[];
    /** Kept records this page processed (dry run: only marked as seen by this execution, nothing kept or dropped). */
    seenIds: string[];
    dryRun: boolean;
  };
}

export interface FinishRun {
  status: Extract<ExecutionStatus, 'success' | 'partial' | 'failed' | 'interrupted' | 'cancelled'>;
  error: FatalError | null;
  finishedAt: Date;
  cursorAfter: string | null;
  /** Only when true is the integration's cursor moved to cursorAfter (in the same transaction). */
  advanceCursor: boolean;
  /**
   * The run counted no failed items (failed or partly mapped, the only ones with problems): its
   * error analysis is empty, known without reading the items. Unset: it is computed.
   */
  noProblemItems?: boolean;
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
  stageAggregateItems(executionId: number, domainType: DomainType, externalIds: string[], fetchedAt: Date, carriedOver: boolean): Promise<number[]>;
  /** The external ids of the problem records kept for this integration x domain type. */
  keptProblemIds(integrationId: number, domainType: DomainType): Promise<string[]>;
  /**
   * Kept problem records this execution has not processed yet (not refetched, not carried over),
   * in id order after `afterId`.
   */
  problemRecordsToCarry(
    integrationId: number,
    domainType: DomainType,
    executionId: number,
    options: { afterId: number; limit: number },
  ): Promise<KeptProblemRecord[]>;
  /** One transaction: domain rows, items, counters, kept problem records. Returns whether a person asked to cancel. */
  commitPage(executionId: number, integrationId: number, domainType: DomainType, page: PageCommit): Promise<{ cancelRequested: boolean }>;
  /** One transaction: final status, error analysis (computed in SQL), and the cursor when asked. */
  finishExecution(executionId: number, finish: FinishRun): Promise<ExecutionRecord>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A running execution's totals so far. */
export interface RunProgress extends ItemCounts {
  recordsFetched: number;
  carriedOver: number;
}

/** Progress events; the CLI prints them, Slack posts them, tests watch them. */
export interface SyncObserver {
  executionStarted?(execution: { id: number; integrationKey: string; domainType: DomainType; dryRun: boolean }): Promise<void> | void;
  /** After a page's aggregate items are recorded as `processing`, before its data is committed. */
  pageStaged?(executionId: number, pageNumber: number): Promise<void> | void;
  pageCommitted?(executionId: number, pageNumber: number, progress: RunProgress): Promise<void> | void;
  executionFinished?(execution: ExecutionRecord): Promise<void> | void;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  /** A logger whose every line carries `bindings` (pino's child loggers). */
  child?(bindings: object): Logger;
}

/** A logger that adds fields (e.g. the execution id) to every line: a child logger where there is one. */
export function withFields(log: Logger, fields: object): Logger {
  if (log.child) return log.child(fields);
  return {
    info: (obj, msg) => log.info({ ...fields, ...obj }, msg),
    warn: (obj, msg) => log.warn({ ...fields, ...obj }, msg),
    error: (obj, msg) => log.error({ ...fields, ...obj }, msg),
    debug: (obj, msg) => log.debug({ ...fields, ...obj }, msg),
  };
}
