import type { DomainType } from '../domain/domain-types.js';
import type { KeptProblemRecord, PageCommit } from '../sync/ports.js';
import type { Queryable } from './pool.js';

/** A kept version is replaced by the newer one; `seen` says this execution processed it. */
const KEEP = `
  INSERT INTO problem_record (integration_id, domain_type, external_id, raw, record_ref, error_message,
                              first_execution_id, seen_execution_id)
  SELECT $1, $2, x.external_id, x.raw::jsonb, x.record_ref, x.error_message, $3, $3
  FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS x(external_id, raw, record_ref, error_message)
  ON CONFLICT (integration_id, domain_type, external_id) DO UPDATE SET
    raw = excluded.raw, record_ref = excluded.record_ref, error_message = excluded.error_message,
    seen_execution_id = excluded.seen_execution_id, failures = problem_record.failures + 1, updated_at = now()`;

/**
 * The kept rows of the given ids, one unique-index probe per id (OFFSET 0 keeps the lateral
 * subquery a probe: a plain `= ANY` may become a scan of every kept record of the integration).
 */
const KEPT_ROWS_OF = `
  SELECT p.ctid FROM unnest($3::text[]) AS x(external_id)
  CROSS JOIN LATERAL (
    SELECT ctid FROM problem_record WHERE integration_id = $1 AND domain_type = $2 AND external_id = x.external_id OFFSET 0
  ) AS p`;

const CLEAR = `DELETE FROM problem_record WHERE ctid = ANY(ARRAY(${KEPT_ROWS_OF}))`;

const MARK_SEEN = `UPDATE problem_record SET seen_execution_id = $4 WHERE ctid = ANY(ARRAY(${KEPT_ROWS_OF}))`;

/**
 * Applies one page's outcome to the kept problem records, inside the page transaction. Live run:
 * keep the page's problems, drop the kept records it processed cleanly. Dry run: change nothing,
 * only mark the kept records it processed as seen, so the run does not carry them over again.
 * The engine passes only ids that are kept, so a clean page of a clean integration asks nothing.
 */
export async function applyPageProblems(
  db: Queryable,
  executionId: number,
  integrationId: number,
  domainType: DomainType,
  problems: PageCommit['problems'],
): Promise<void> {
  if (problems.dryRun) {
    if (problems.seenIds.length) await byIndexProbes(db, MARK_SEEN, [integrationId, domainType, problems.seenIds, executionId]);
    return;
  }
  if (problems.clearedIds.length) await byIndexProbes(db, CLEAR, [integrationId, domainType, problems.clearedIds]);
  if (!problems.keep.length) return;
  await db.query(KEEP, [
    integrationId,
    domainType,
    executionId,
    problems.keep.map((problem) => problem.externalId),
    problems.keep.map((problem) => JSON.stringify(problem.raw ?? null)),
    problems.keep.map((problem) => problem.recordRef),
    problems.keep.map((problem) => problem.errorMessage),
  ]);
}

/**
 * Runs a statement whose per-id probes must use the unique index. Statistics of a table that was
 * empty at the last ANALYZE made the planner probe by sequential scan: 2 s a page at 14,000 kept
 * records (measured). Within the page transaction only.
 */
async function byIndexProbes(db: Queryable, sql: string, params: unknown[]): Promise<void> {
  await db.query('SET LOCAL enable_seqscan = off');
  try {
    await db.query(sql, params);
  } finally {
    await db.query('SET LOCAL enable_seqscan = on');
  }
}

/** How many problem records are kept per domain type of an integration. */
export async function keptProblemCounts(db: Queryable, integrationId: number): Promise<Map<string, number>> {
  const { rows } = await db.query<{ domain_type: string; n: number }>(
    'SELECT domain_type, count(*)::int AS n FROM problem_record WHERE integration_id = $1 GROUP BY domain_type',
    [integrationId],
  );
  return new Map(rows.map((row) => [row.domain_type, row.n]));
}

export async function keptProblemIds(db: Queryable, integrationId: number, domainType: DomainType): Promise<string[]> {
  const { rows } = await db.query<{ external_id: string }>(
    'SELECT external_id FROM problem_record WHERE integration_id = $1 AND domain_type = $2',
    [integrationId, domainType],
  );
  return rows.map((row) => row.external_id);
}

/** Kept records the execution has not processed yet, in id order (keyset). */
export async function problemRecordsToCarry(
  db: Queryable,
  integrationId: number,
  domainType: DomainType,
  executionId: number,
  options: { afterId: number; limit: number },
): Promise<KeptProblemRecord[]> {
  const { rows } = await db.query<{ id: number; external_id: string; raw: unknown; record_ref: string }>(
    `SELECT id, external_id, raw, record_ref FROM problem_record
     WHERE integration_id = $1 AND domain_type = $2 AND id > $3 AND seen_execution_id <> $4
     ORDER BY id LIMIT $5`,
    [integrationId, domainType, options.afterId, executionId, options.limit],
  );
  return rows.map((row) => ({ id: row.id, externalId: row.external_id, raw: row.raw, recordRef: row.record_ref }));
}

/** A reset forgets the kept records too: the next run is a full fetch anyway. */
export async function forgetProblemRecords(db: Queryable, integrationId: number, domainType: DomainType): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM problem_record WHERE integration_id = $1 AND domain_type = $2', [integrationId, domainType]);
  return rowCount ?? 0;
}
