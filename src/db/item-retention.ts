import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { DomainType } from '../domain/domain-types.js';

/** One purge at a time across every worker and CLI (session advisory lock on the purge's own connection). */
const PURGE_LOCK = "hashtext('tether:item-purge')";

/**
 * Executions whose items may go: ended (never queued or running: a running sync's items stay
 * whatever its age), older than the cutoff, items not purged yet. Reads the partial index
 * `sync_execution_items_kept_index`. $1 = cutoff.
 */
const ENDED_BEFORE = `
  e.items_purged_at IS NULL
  AND coalesce(e.finished_at, e.started_at, e.queued_at) < $1
  AND e.status NOT IN ('queued', 'running')`;

/**
 * Kept problem records (the raw record of a failure, for carry-over) that belong to execution `e`:
 * last seen by it. Every run marks the kept records it carries over as seen, so these are records
 * no run has looked at since an execution past retention — an integration × domain type idle for
 * that long. Never while a run of that pair is running (it may be carrying them over).
 */
const STALE_PROBLEM_RECORDS = `
  p.integration_id = e.integration_id AND p.domain_type = e.domain_type AND p.seen_execution_id = e.id
  AND NOT EXISTS (SELECT 1 FROM sync_execution r
                  WHERE r.integration_id = e.integration_id AND r.domain_type = e.domain_type AND r.status = 'running')`;

export interface PurgeCandidate {
  executionId: number;
  integrationKey: string;
  domainType: DomainType;
  endedAt: Date;
}

export interface PurgePreviewRow extends PurgeCandidate {
  items: number;
  recordErrors: number;
  /** Kept problem records last seen by this execution (no later run carried them over). */
  problemRecords: number;
}

export interface PurgeProgress {
  executionId: number;
  /** Items deleted by this batch. */
  items: number;
  recordErrors: number;
  problemRecords: number;
  batchMs: number;
}

export interface PurgeTotals {
  executions: number;
  items: number;
  recordErrors: number;
  problemRecords: number;
  batches: number;
  oldestEndedAt: Date | null;
  newestEndedAt: Date | null;
  /** Executions purged (first `limit`), oldest first. */
  executionIds: number[];
}

export interface PurgeOptions {
  cutoff: Date;
  /** Recorded on each purged execution: "items were purged after N days". */
  afterDays: number;
  batchSize: number;
  pauseMs: number;
  signal?: AbortSignal;
  onBatch?: (progress: PurgeProgress) => void;
}

const CANDIDATES = (limit: number) => `
  SELECT e.id, i.key AS integration_key, e.domain_type, coalesce(e.finished_at, e.started_at, e.queued_at) AS ended_at
  FROM sync_execution e JOIN integration i ON i.id = e.integration_id
  WHERE ${ENDED_BEFORE} AND e.id > $2
  ORDER BY e.id LIMIT ${limit}`;

const toCandidate = (row: { id: number; integration_key: string; domain_type: DomainType; ended_at: Date }): PurgeCandidate => ({
  executionId: Number(row.id),
  integrationKey: row.integration_key,
  domainType: row.domain_type,
  endedAt: row.ended_at,
});

/** What a purge with this cutoff would delete, per execution (exact counts, read by index). Deletes nothing. */
export async function previewPurge(db: Pick<pg.Pool, 'query'>, cutoff: Date): Promise<PurgePreviewRow[]> {
  const { rows } = await db.query(
    `SELECT c.*,
       (SELECT count(*) FROM sync_item WHERE execution_id = c.id)::int AS items,
       (SELECT count(*) FROM sync_item_error WHERE execution_id = c.id)::int AS record_errors,
       (SELECT count(*) FROM problem_record p JOIN sync_execution e ON e.id = c.id
         WHERE ${STALE_PROBLEM_RECORDS})::int AS problem_records
     FROM (${CANDIDATES(1_000_000)}) c ORDER BY c.id`,
    [cutoff, 0],
  );
  return rows.map((row) => ({ ...toCandidate(row), items: row.items, recordErrors: row.record_errors, problemRecords: row.problem_records }));
}

/**
 * Deletes the items (and their record errors, and whatever else hangs off an item by a cascading
 * key) of every execution that ended before the cutoff, then marks the execution purged. Small
 * transactions in primary-key order with a pause between them, on a connection of its own, so a
 * running sync waits at most one batch for anything. Fills `totals` as it goes; false when another
 * purge holds the lock (nothing done).
 */
export async function purgeItems(databaseUrl: string, totals: PurgeTotals, options: PurgeOptions): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${PURGE_LOCK}) AS locked`);
    if (!rows[0]?.locked) return false;
    // The purge is background work: it gives up a lock wait instead of queueing behind a sync
    // (the next round retries), and a batch lost in a crash is simply deleted again.
    await client.query(`SET lock_timeout = '2s'; SET statement_timeout = '60s'; SET synchronous_commit = off`);
    await purgeAll(client, options, totals);
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

export const emptyTotals = (): PurgeTotals => ({
  executions: 0,
  items: 0,
  recordErrors: 0,
  problemRecords: 0,
  batches: 0,
  oldestEndedAt: null,
  newestEndedAt: null,
  executionIds: [],
});

async function purgeAll(client: pg.Client, options: PurgeOptions, totals: PurgeTotals): Promise<void> {
  let afterId = 0;
  for (;;) {
    const { rows } = await client.query(CANDIDATES(100), [options.cutoff, afterId]);
    if (!rows.length) return;
    for (const candidate of rows.map(toCandidate)) {
      if (options.signal?.aborted) return;
      afterId = candidate.executionId;
      const done = await purgeExecution(client, candidate, options, totals);
      if (!done) return;
      totals.executions++;
      if (totals.executionIds.length < 1000) totals.executionIds.push(candidate.executionId);
      if (!totals.oldestEndedAt || candidate.endedAt < totals.oldestEndedAt) totals.oldestEndedAt = candidate.endedAt;
      if (!totals.newestEndedAt || candidate.endedAt > totals.newestEndedAt) totals.newestEndedAt = candidate.endedAt;
    }
  }
}

/** One execution, batch by batch; the last transaction marks it purged. False when stopped. */
async function purgeExecution(client: pg.Client, candidate: PurgeCandidate, options: PurgeOptions, totals: PurgeTotals): Promise<boolean> {
  const id = candidate.executionId;
  // Most executions have no record errors (only aggregate items do): skip that delete for them.
  const hasErrors = (await client.query('SELECT EXISTS (SELECT 1 FROM sync_item_error WHERE execution_id = $1) AS x', [id])).rows[0].x as boolean;
  // Keyset: the next batch starts after the last id deleted, so it never walks the dead index
  // entries of the batches before it (they stay until vacuum).
  let afterId = 0;
  for (;;) {
    if (options.signal?.aborted) return false;
    const started = performance.now();
    await client.query('BEGIN');
    try {
      // The batch: the execution's lowest ids, deleted in primary-key order (nothing else writes
      // an ended execution's items, so no row lock is taken before the delete).
      const batch = await client.query<{ id: string }>(
        'SELECT id FROM sync_item WHERE execution_id = $1 AND id > $2 ORDER BY id LIMIT $3',
        [id, afterId, options.batchSize],
      );
      const ids = batch.rows.map((row) => row.id);
      let recordErrors = 0;
      if (ids.length && hasErrors) {
        recordErrors = (await client.query('DELETE FROM sync_item_error WHERE execution_id = $1 AND item_id = ANY($2::bigint[])', [id, ids])).rowCount ?? 0;
      }
      if (ids.length) await client.query('DELETE FROM sync_item WHERE id = ANY($1::bigint[])', [ids]);
      if (ids.length) afterId = Number(ids.at(-1));
      const last = ids.length < options.batchSize;
      let problemRecords = 0;
      if (last) {
        problemRecords = await deleteStaleProblemRecords(client, id);
        await client.query('UPDATE sync_execution SET items_purged_at = now(), items_purged_after_days = $2 WHERE id = $1 AND items_purged_at IS NULL', [
          id,
          options.afterDays,
        ]);
      }
      await client.query('COMMIT');
      totals.problemRecords += problemRecords;
      if (ids.length || problemRecords) {
        totals.items += ids.length;
        totals.recordErrors += recordErrors;
        totals.batches++;
        options.onBatch?.({ executionId: id, items: ids.length, recordErrors, problemRecords, batchMs: performance.now() - started });
      }
      if (last) return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    // At least as long as the batch took: under load batches slow down and the purge backs off
    // with them, taking at most half of the time. 0 turns pauses off (maintenance windows, tests).
    const pause = options.pauseMs > 0 ? Math.max(options.pauseMs, performance.now() - started) : 0;
    if (pause > 0) await sleep(pause, undefined, { signal: options.signal }).catch(() => {});
  }
}

/**
 * The execution's stale kept problem records (see STALE_PROBLEM_RECORDS), in the transaction that
 * marks it purged. One row per failing record, not per item, so one statement is small enough.
 */
async function deleteStaleProblemRecords(client: pg.Client, executionId: number): Promise<number> {
  const { rowCount } = await client.query(
    `DELETE FROM problem_record p USING sync_execution e WHERE e.id = $1 AND ${STALE_PROBLEM_RECORDS}`,
    [executionId],
  );
  return rowCount ?? 0;
}
