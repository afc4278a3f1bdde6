import type pg from 'pg';
import type { DomainType } from '../domain/domain-types.js';
import type { ExecutionStatus, ItemStatus } from '../domain/statuses.js';
import type { ExecutionRecord, RunLock } from '../sync/ports.js';
import { recordAudit } from './audit-log.js';
import { addNotice, runMessageOnFinish } from './slack-outbox.js';
import { EXECUTION_COLUMNS, EXECUTION_FROM, toExecutionRecord, type ExecutionRow } from './execution-rows.js';
import { findExecution, type PgSyncStore } from './pg-sync-store.js';
import { inTransaction } from './pool.js';
import { pageByStatus, searchByRange, type SearchStop } from './item-scan.js';
import { INDEX_ORDER, withPlannerSettings } from './planner-settings.js';
import { ITEM_COLUMNS, searchProblemItems } from './problem-item-search.js';
import { forgetProblemRecords, keptProblemCounts } from './problem-records.js';
import { InvalidInput, Refusal } from '../domain/refusals.js';

/** How long a reset waits for a run that shows finished to let go of its lock. */
const FINISHING_RUN_WAIT_MS = 2_000;

export interface ItemFilter {
  statuses?: ItemStatus[];
  domainType?: DomainType;
  search?: string;
}

export interface ItemRow {
  id: number;
  status: ItemStatus;
  domainType: DomainType;
  externalId: string;
  errorMessage: string | null;
  fetchedAt: Date;
  recordCount: number;
  aggregate: boolean;
  /** A problem record kept from an earlier run, processed again in this execution. */
  carriedOver: boolean;
}

export interface ItemsPage {
  items: ItemRow[];
  nextCursor: string | null;
  /** Set when retention purged the execution's items: the page is empty for that reason. */
  purged: ItemsPurge | null;
  /**
   * Set when a search over every status stopped at its scan limit before filling the page: it
   * searched the items up to this id (this fraction of the execution), and nextCursor continues.
   */
  searchedUpTo: SearchStop | null;
}

/** When the retention purge deleted an execution's items, and the retention it applied. */
export interface ItemsPurge {
  at: Date;
  afterDays: number;
}

export interface RecordErrorRow {
  id: number;
  recordRef: string;
  message: string;
  unmappedSku: string | null;
}

export class CursorInvalid extends InvalidInput {
  override name = 'CursorInvalid';
}

/** Page cursors are opaque to callers: base64url of the last id seen. */
export const encodeItemCursor = (id: number): string => Buffer.from(`item:${id}`).toString('base64url');

export function decodeItemCursor(cursor: string): number {
  const match = /^item:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new CursorInvalid(`"${cursor}" is not a cursor printed by a previous items page`);
  return Number(match[1]);
}

const toItemRow = (row: any): ItemRow => ({
  id: row.id,
  status: row.status,
  domainType: row.domain_type,
  externalId: row.external_id,
  errorMessage: row.error_message,
  fetchedAt: row.fetched_at,
  recordCount: row.record_count,
  aggregate: row.aggregate,
  carriedOver: row.carried_over,
});

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Reads of executions and items (keyset pages), and the admin actions on them. */
export class ExecutionsRepository {
  constructor(
    private readonly pool: pg.Pool,
    private readonly store: PgSyncStore,
  ) {}

  async list(integrationId: number, options: { domainType?: DomainType; limit: number }): Promise<ExecutionRecord[]> {
    const params: unknown[] = [integrationId, options.limit];
    const domainFilter = options.domainType ? `AND e.domain_type = $${params.push(options.domainType)}` : '';
    const { rows } = await this.pool.query<ExecutionRow>(
      `SELECT ${EXECUTION_COLUMNS} FROM ${EXECUTION_FROM}
       WHERE e.integration_id = $1 ${domainFilter} ORDER BY e.id DESC LIMIT $2`,
      params,
    );
    return rows.map(toExecutionRecord);
  }

  get(executionId: number): Promise<ExecutionRecord | null> {
    return this.store.getExecution(executionId);
  }

  /** When the newest execution of the integration started, and the newest terminal statuses. */
  async recentActivity(integrationId: number, limit = 5): Promise<{ lastStartedAt: Date | null; statuses: ExecutionStatus[] }> {
    const { rows } = await this.pool.query<{ started_at: Date | null; status: ExecutionStatus }>(
      `SELECT started_at, status FROM sync_execution WHERE integration_id = $1 AND status NOT IN ('queued', 'running', 'cancelled')
       ORDER BY id DESC LIMIT $2`,
      [integrationId, limit],
    );
    const last = await this.pool.query<{ at: Date | null }>(`SELECT max(started_at) AS at FROM sync_execution WHERE integration_id = $1`, [integrationId]);
    return { lastStartedAt: last.rows[0]?.at ?? null, statuses: rows.map((row) => row.status) };
  }

  /**
   * Items in id order after the cursor (keyset), with plans that do not depend on the planner's
   * statistics (none right after a big run): see planner-settings.ts. Without search text a page
   * reads only the rows it returns; a search among failed / partially mapped items returns every
   * match (problem-item-search.ts); any other search examines at most SEARCH_SCAN_IDS items per
   * page and says where it stopped (`searchedUpTo`), Next continuing from there.
   */
  async items(executionId: number, filter: ItemFilter, options: { limit: number; after?: string }): Promise<ItemsPage> {
    const afterId = options.after ? decodeItemCursor(options.after) : 0;
    const purged = await this.itemsPurge(executionId);
    if (purged) return { items: [], nextCursor: null, searchedUpTo: null, purged };
    const statuses = filter.statuses ?? [];
    const onlyProblems = statuses.length > 0 && statuses.every((status) => status === 'failed' || status === 'partial_mapped');
    const limit = options.limit + 1;
    return withPlannerSettings(this.pool, INDEX_ORDER, async (db) => {
      // Every item of an execution has the execution's domain type: the filter keeps all or none.
      if (filter.domainType) {
        const { rows } = await db.query<{ domain_type: string }>('SELECT domain_type FROM sync_execution WHERE id = $1', [executionId]);
        if (rows[0]?.domain_type !== filter.domainType) return { items: [], nextCursor: null, searchedUpTo: null, purged: null };
      }
      const search = filter.search ? { text: filter.search, pattern: `%${escapeLike(filter.search)}%` } : null;
      let rows: any[];
      let stop: SearchStop | null = null;
      if (!search) rows = await pageByStatus(db, executionId, afterId, statuses, limit);
      else if (onlyProblems) rows = await searchProblemItems(db, { executionId, afterId, statuses, ...search, limit });
      else ({ rows, stop } = await searchByRange(db, { executionId, afterId, statuses, pattern: search.pattern, limit }));
      const items = rows.slice(0, options.limit).map(toItemRow);
      const last = items.at(-1);
      if (rows.length > options.limit && last) return { items, nextCursor: encodeItemCursor(last.id), searchedUpTo: null, purged: null };
      return { items, nextCursor: stop ? encodeItemCursor(stop.itemId) : null, searchedUpTo: stop, purged: null };
    });
  }

  /** Whether retention purged the execution's items (null: they are kept). */
  async itemsPurge(executionId: number): Promise<ItemsPurge | null> {
    const { rows } = await this.pool.query<{ at: Date | null; days: number | null }>(
      'SELECT items_purged_at AS at, items_purged_after_days AS days FROM sync_execution WHERE id = $1',
      [executionId],
    );
    const row = rows[0];
    return row?.at ? { at: row.at, afterDays: row.days ?? 0 } : null;
  }

  async item(itemId: number): Promise<(ItemRow & { executionId: number }) | null> {
    const { rows } = await this.pool.query(`SELECT ${ITEM_COLUMNS}, execution_id FROM sync_item WHERE id = $1`, [itemId]);
    return rows[0] ? { ...toItemRow(rows[0]), executionId: rows[0].execution_id } : null;
  }

  /** The per-record error breakdown of an aggregate item, in keyset pages. */
  async recordErrors(itemId: number, options: { limit: number; afterId?: number }): Promise<RecordErrorRow[]> {
    const { rows } = await this.pool.query(
      `SELECT id, record_ref, message, unmapped_sku FROM sync_item_error
       WHERE item_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [itemId, options.afterId ?? 0, options.limit],
    );
    return rows.map((row) => ({ id: row.id, recordRef: row.record_ref, message: row.message, unmappedSku: row.unmapped_sku }));
  }

  /**
   * The run lock, waiting a little while it is held by a run that already shows finished (it
   * releases the lock after its health check and Slack update): only a running run refuses.
   */
  private async lockUnlessRunning(integrationId: number, domainType: DomainType): Promise<RunLock | null> {
    const giveUpAt = Date.now() + FINISHING_RUN_WAIT_MS;
    for (;;) {
      const lock = await this.store.tryLockRun(integrationId, domainType);
      if (lock || Date.now() > giveUpAt || (await this.store.findRunningExecution(integrationId, domainType))) return lock;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * Empties the sync state (cursor and kept problem records) so the next run is a full re-sync.
   * Refused while a run holds the lock,
   * since that run would write its cursor back over the reset.
   */
  async reset(
    integrationId: number,
    domainTypes: DomainType[],
    actor: string,
    integrationKey: string,
    /** Announce the reset there, in the same transaction (the integration's Slack channel). */
    announce: { channel: string; payload: Record<string, unknown> } | null = null,
  ): Promise<void> {
    const locks = [];
    try {
      for (const domainType of domainTypes) {
        const lock = await this.lockUnlessRunning(integrationId, domainType);
        if (!lock) {
          const running = await this.store.findRunningExecution(integrationId, domainType);
          throw new Refusal('already_running', `A ${domainType} sync of "${integrationKey}" is running: wait for it or cancel it, then reset`, {
            integrationKey,
            domainType,
            executionId: running?.id ?? null,
          });
        }
        locks.push(lock);
      }
      await inTransaction(this.pool, async (db) => {
        for (const domainType of domainTypes) {
          await db.query(
            `INSERT INTO sync_state (integration_id, domain_type, cursor, reset_at, reset_by, updated_at)
             VALUES ($1, $2, NULL, now(), $3, now())
             ON CONFLICT (integration_id, domain_type)
             DO UPDATE SET cursor = NULL, reset_at = now(), reset_by = $3, updated_at = now()`,
            [integrationId, domainType, actor],
          );
          await forgetProblemRecords(db, integrationId, domainType);
        }
        await recordAudit(db, { actor, action: 'sync_state.reset', integrationKey, details: { domains: domainTypes } });
        if (announce) await addNotice(db, { integrationId, ...announce });
      });
    } finally {
      for (const lock of locks) await lock.release();
    }
  }

  /**
   * Asks a running execution to stop after its current page, or cancels a queued one outright.
   * A finished execution cannot be cancelled: refused, and nothing is recorded.
   */
  async requestCancel(executionId: number, actor: string): Promise<{ outcome: 'stopping' | 'cancelled'; execution: ExecutionRecord }> {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ status: string; integration_key: string }>(
        `UPDATE sync_execution e SET cancel_requested_at = now(), cancel_requested_by = $2
         FROM integration i WHERE e.id = $1 AND i.id = e.integration_id AND e.status IN ('queued', 'running')
         RETURNING e.status, i.key AS integration_key`,
        [executionId, actor],
      );
      const asked = rows[0];
      if (!asked) {
        const existing = await findExecution(db, executionId);
        if (!existing) throw new Refusal('unknown_execution', `No execution #${executionId}`, { executionId });
        throw new Refusal('not_cancellable', `Execution #${executionId} already ended (${existing.status}); there is nothing to cancel`, {
          executionId,
          status: existing.status,
          integrationKey: existing.integrationKey,
        });
      }
      // A queued run never started: cancel it outright (its Slack message, if any, says so).
      const { rowCount } = await db.query(
        `UPDATE sync_execution SET status = 'cancelled', finished_at = now(), duration_ms = 0 WHERE id = $1 AND status = 'queued'`,
        [executionId],
      );
      if (rowCount) await runMessageOnFinish(db, executionId, { status: 'cancelled', analysis: null });
      await recordAudit(db, { actor, action: 'execution.cancel', integrationKey: asked.integration_key, details: { executionId, statusWhenAsked: asked.status } });
      return { outcome: asked.status === 'queued' ? 'cancelled' : 'stopping', execution: (await findExecution(db, executionId))! };
    });
  }

  /** Ids of executions still `queued` that were queued before `before`. */
  async queuedOlderThan(before: Date): Promise<number[]> {
    const { rows } = await this.pool.query<{ id: number }>(
      `SELECT id FROM sync_execution WHERE status = 'queued' AND queued_at < $1 ORDER BY id LIMIT 1000`,
      [before],
    );
    return rows.map((row) => row.id);
  }

  /**
   * A queued execution whose job never reached the scheduler: failed, with the reason, so it does
   * not stay `queued` forever. Returns false when it was no longer queued.
   */
  async markQueueLost(executionId: number, reason: string): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ integration_key: string }>(
        `UPDATE sync_execution e SET status = 'failed', finished_at = now(), duration_ms = 0,
           error_category = 'internal', error_message = $2
         FROM integration i WHERE e.id = $1 AND e.status = 'queued' AND i.id = e.integration_id
         RETURNING i.key AS integration_key`,
        [executionId, `The queued run never started: ${reason}. Nothing was synced; ask for the run again.`],
      );
      if (!rows[0]) return false;
      await runMessageOnFinish(db, executionId, { status: 'failed', analysis: null });
      await recordAudit(db, { actor: 'scheduler', action: 'execution.queue_lost', integrationKey: rows[0].integration_key, details: { executionId, reason } });
      return true;
    });
  }

  /** The newest retry asked for from this execution's summary (its run message says `retryOf`), if any. */
  async latestRetryOf(executionId: number): Promise<ExecutionRecord | null> {
    const { rows } = await this.pool.query<ExecutionRow>(
      `SELECT ${EXECUTION_COLUMNS} FROM ${EXECUTION_FROM}
       WHERE e.id = (SELECT max(m.execution_id) FROM slack_message m WHERE m.kind = 'run' AND m.payload->>'retryOf' = $1::text)`,
      [executionId],
    );
    return rows[0] ? toExecutionRecord(rows[0]) : null;
  }

  /** Failed records kept for retry, per domain type of the integration. */
  keptProblemCounts(integrationId: number): Promise<Map<string, number>> {
    return keptProblemCounts(this.pool, integrationId);
  }

  /** The newest execution of every integration x domain type (one index walk per pair). */
  async latestPerPair(): Promise<ExecutionRecord[]> {
    const { rows } = await this.pool.query<ExecutionRow>(
      `SELECT ${EXECUTION_COLUMNS} FROM ${EXECUTION_FROM}
       WHERE e.id IN (SELECT DISTINCT ON (integration_id, domain_type) id FROM sync_execution ORDER BY integration_id, domain_type, id DESC)`,
    );
    return rows.map(toExecutionRecord);
  }

  /** At start-up: every `running` execution whose run lock nobody holds belongs to a dead process. */
  async interruptAllOrphans(at: Date): Promise<number> {
    const { rows } = await this.pool.query<{ integration_id: number; domain_type: DomainType }>(
      `SELECT DISTINCT integration_id, domain_type FROM sync_execution WHERE status = 'running'`,
    );
    let interrupted = 0;
    for (const row of rows) {
      const lock = await this.store.tryLockRun(row.integration_id, row.domain_type);
      if (!lock) continue; // a live process is running it
      try {
        interrupted += await this.store.interruptOrphans(row.integration_id, row.domain_type, at);
      } finally {
        await lock.release();
      }
    }
    return interrupted;
  }
}
