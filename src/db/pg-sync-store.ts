import pg from 'pg';
import type { DomainType } from '../domain/domain-types.js';
import { interruptedError } from '../domain/sync-errors.js';
import type {
  ExecutionRecord,
  FinishRun,
  IntegrationRuntime,
  KeptProblemRecord,
  Mappings,
  PageCommit,
  RunLock,
  StoredVersion,
  SyncStore,
} from '../sync/ports.js';
import { EMPTY_ERROR_ANALYSIS, ERROR_ANALYSIS_SQL, EXECUTION_COLUMNS, EXECUTION_FROM, toExecutionRecord, type ExecutionRow } from './execution-rows.js';
import type { IntegrationsRepository } from './integrations.repository.js';
import { inTransaction, type Queryable } from './pool.js';
import { applyPageProblems, keptProblemIds, problemRecordsToCarry } from './problem-records.js';
import { MappingCache } from './mapping-cache.js';
import { RunLocks } from './run-locks.js';
import { runMessageOnFinish, runMessageOnProgress, runMessageOnStart } from './slack-outbox.js';
import { flushProblemSearchIndex } from './problem-item-search.js';
import { insertItems } from './sync-item-writes.js';
import { DOMAIN_WRITERS } from './writers/registry.js';

/** The engine's storage on PostgreSQL: bulk SQL for the hot paths, one transaction per page. */
export class PgSyncStore implements SyncStore {
  private readonly runLocks: RunLocks;
  private readonly mappings: MappingCache;

  constructor(
    private readonly pool: pg.Pool,
    databaseUrl: string,
    private readonly integrations: IntegrationsRepository,
  ) {
    this.runLocks = new RunLocks(databaseUrl);
    this.mappings = new MappingCache(pool);
  }

  async close(): Promise<void> {
    await this.runLocks.close();
  }

  findIntegration(key: string): Promise<IntegrationRuntime | null> {
    return this.integrations.findRuntime(key, this.pool);
  }

  /** A session-level advisory lock (see RunLocks): it dies with the process that holds it. */
  tryLockRun(integrationId: number, domainType: DomainType): Promise<RunLock | null> {
    return this.runLocks.tryLock(integrationId, domainType);
  }

  async findRunningExecution(integrationId: number, domainType: DomainType): Promise<ExecutionRecord | null> {
    const { rows } = await this.pool.query<ExecutionRow>(
      `SELECT ${EXECUTION_COLUMNS} FROM ${EXECUTION_FROM}
       WHERE e.integration_id = $1 AND e.domain_type = $2 AND e.status = 'running'`,
      [integrationId, domainType],
    );
    return rows[0] ? toExecutionRecord(rows[0]) : null;
  }

  async interruptOrphans(integrationId: number, domainType: DomainType, at: Date): Promise<number> {
    const { rows } = await this.pool.query<{ id: number }>(
      `SELECT id FROM sync_execution WHERE integration_id = $1 AND domain_type = $2 AND status = 'running'`,
      [integrationId, domainType],
    );
    const error = interruptedError('The process running this sync stopped before it finished');
    for (const { id } of rows) {
      await this.finishExecution(id, { status: 'interrupted', error, finishedAt: at, cursorAfter: null, advanceCursor: false });
    }
    return rows.length;
  }

  async loadState(integrationId: number, domainType: DomainType): Promise<{ cursor: string | null; resetAt: Date | null }> {
    const { rows } = await this.pool.query<{ cursor: string | null; reset_at: Date | null }>(
      'SELECT cursor, reset_at FROM sync_state WHERE integration_id = $1 AND domain_type = $2',
      [integrationId, domainType],
    );
    return { cursor: rows[0]?.cursor ?? null, resetAt: rows[0]?.reset_at ?? null };
  }

  async createExecution(input: {
    integrationId: number;
    domainType: DomainType;
    trigger: string;
    dryRun: boolean;
    triggeredBy: string | null;
  }): Promise<number> {
    const { rows } = await this.pool.query<{ id: number }>(
      `INSERT INTO sync_execution (integration_id, domain_type, status, trigger, dry_run, triggered_by)
       VALUES ($1, $2, 'queued', $3, $4, $5) RETURNING id`,
      [input.integrationId, input.domainType, input.trigger, input.dryRun, input.triggeredBy],
    );
    return rows[0]!.id;
  }

  async startExecution(
    executionId: number,
    input: { startedAt: Date; cursorBefore: string | null; runner: string; trigger: string },
  ): Promise<boolean> {
    // A queued manual run that turns out to be the first after a reset becomes `full_resync`.
    return inTransaction(this.pool, async (db) => {
      const { rowCount } = await db.query(
        `UPDATE sync_execution SET status = 'running', started_at = $2, cursor_before = $3, runner = $4,
           trigger = CASE WHEN $5 = 'full_resync' THEN 'full_resync' ELSE trigger END
         WHERE id = $1 AND status = 'queued'`,
        [executionId, input.startedAt, input.cursorBefore, input.runner, input.trigger],
      );
      if (rowCount === 1) await runMessageOnStart(db, executionId);
      return rowCount === 1;
    });
  }

  getExecution(executionId: number): Promise<ExecutionRecord | null> {
    return findExecution(this.pool, executionId);
  }

  loadMappings(integrationId: number, withSkuCodes: boolean): Promise<Mappings> {
    return this.mappings.load(integrationId, withSkuCodes);
  }

  storedVersions(domainType: DomainType, integrationId: number, externalIds: string[]): Promise<Map<string, StoredVersion>> {
    return DOMAIN_WRITERS.get(domainType)!.storedVersions(this.pool, integrationId, externalIds);
  }

  async stageAggregateItems(executionId: number, domainType: DomainType, externalIds: string[], fetchedAt: Date, carriedOver: boolean): Promise<number[]> {
    const { rows } = await this.pool.query<{ id: number }>(
      `INSERT INTO sync_item (execution_id, domain_type, external_id, status, aggregate, record_count, fetched_at, carried_over)
       SELECT $1, $2, x, 'processing', true, 0, $4, $5 FROM unnest($3::text[]) AS x
       RETURNING id`,
      [executionId, domainType, externalIds, fetchedAt, carriedOver],
    );
    // Ids come from a sequence in insertion order, which is the array order.
    return rows.map((row) => row.id).sort((a, b) => a - b);
  }

  async commitPage(executionId: number, integrationId: number, domainType: DomainType, page: PageCommit): Promise<{ cancelRequested: boolean }> {
    // Page commits need not wait for the WAL flush: WAL is replayed in order, so if the
    // (synchronous) commit that moves the cursor survives a PostgreSQL crash, so do all pages
    // before it; if it does not, the cursor never moved and the pages are fetched again.
    return inTransaction(this.pool, async (db) => {
      if (page.writes) await DOMAIN_WRITERS.get(domainType)!.write(db, integrationId, page.writes.rows, page.fetchedAt);
      await insertItems(db, executionId, domainType, page);
      await applyPageProblems(db, executionId, integrationId, domainType, page.problems);
      await runMessageOnProgress(db, executionId);
      const { rows } = await db.query<{ cancel_requested: boolean }>(
        `UPDATE sync_execution SET records_fetched = records_fetched + $2, success_count = success_count + $3,
           failed_count = failed_count + $4, skipped_count = skipped_count + $5, carried_over_count = carried_over_count + $6
         WHERE id = $1 RETURNING cancel_requested_at IS NOT NULL AS cancel_requested`,
        [executionId, page.recordsFetched, page.counts.success, page.counts.failed, page.counts.skipped, page.carriedOver],
      );
      return { cancelRequested: rows[0]?.cancel_requested ?? false };
    }, { synchronousCommit: false });
  }

  keptProblemIds(integrationId: number, domainType: DomainType): Promise<string[]> {
    return keptProblemIds(this.pool, integrationId, domainType);
  }

  problemRecordsToCarry(
    integrationId: number,
    domainType: DomainType,
    executionId: number,
    options: { afterId: number; limit: number },
  ): Promise<KeptProblemRecord[]> {
    return problemRecordsToCarry(this.pool, integrationId, domainType, executionId, options);
  }

  async finishExecution(executionId: number, finish: FinishRun): Promise<ExecutionRecord> {
    const finished = await inTransaction(this.pool, async (db) => {
      // cursor_after is where the integration's cursor stands after the run: a run that does not
      // advance it (failed, stopped, dry run) ends where it began.
      const { rows } = await db.query<{ integration_id: number; domain_type: string }>(
        `UPDATE sync_execution SET status = $2, finished_at = $3,
           duration_ms = GREATEST(0, round(extract(epoch FROM ($3::timestamptz - coalesce(started_at, queued_at))) * 1000)),
           error_category = $4, error_message = $5, cursor_after = CASE WHEN $7::boolean THEN $6 ELSE cursor_before END,
           error_analysis = ${finish.noProblemItems ? `'${EMPTY_ERROR_ANALYSIS}'::jsonb` : `(${ERROR_ANALYSIS_SQL})`}
         WHERE id = $1 RETURNING integration_id, domain_type`,
        [
          executionId,
          finish.status,
          finish.finishedAt,
          finish.error?.category ?? null,
          finish.error?.message ?? null,
          finish.cursorAfter,
          finish.advanceCursor,
        ],
      );
      const row = rows[0]!;
      if (finish.advanceCursor) await advanceCursor(db, row.integration_id, row.domain_type, finish.cursorAfter);
      const finished = (await findExecution(db, executionId))!;
      // What Slack must show of this run is decided in the same transaction: never lost.
      await runMessageOnFinish(db, executionId, { status: finished.status, analysis: finished.errorAnalysis });
      return finished;
    });
    if (finished.failedCount > 0) await flushProblemSearchIndex(this.pool);
    return finished;
  }
}

async function advanceCursor(db: Queryable, integrationId: number, domainType: string, cursor: string | null): Promise<void> {
  await db.query(
    `INSERT INTO sync_state (integration_id, domain_type, cursor, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (integration_id, domain_type) DO UPDATE SET cursor = excluded.cursor, updated_at = now()`,
    [integrationId, domainType, cursor],
  );
}

export async function findExecution(db: Queryable, executionId: number): Promise<ExecutionRecord | null> {
  const { rows } = await db.query<ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM ${EXECUTION_FROM} WHERE e.id = $1`, [executionId]);
  return rows[0] ? toExecutionRecord(rows[0]) : null;
}
