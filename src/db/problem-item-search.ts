import type { ItemStatus } from '../domain/statuses.js';
import type { Queryable } from './pool.js';

/** How many problem items after the cursor are read in id order before the trigram index is asked. */
export const PREFIX_SCAN = 500;

export const ITEM_COLUMNS = 'id, status, domain_type, external_id, error_message, fetched_at, record_count, aggregate, carried_over';
/** What a search matches: exactly what a plain scan with this condition returns ($n = ILIKE pattern). */
export const matchesSearch = (n: number): string => `(external_id ILIKE $${n} OR error_message ILIKE $${n})`;
/** The expression the partial trigram index `sync_item_problem_search` is built on. */
const SEARCH_TEXT = `(external_id || ' ' || error_message)`;

export interface ProblemSearch {
  executionId: number;
  afterId: number;
  /** Problem statuses only (failed, partial_mapped): their items always carry an error message. */
  statuses: ItemStatus[];
  /** The search text as typed. */
  text: string;
  /** The ILIKE pattern of the text, already escaped and wrapped in %. */
  pattern: string;
  limit: number;
}

/**
 * Merges the trigram index's pending list (up to 4 MB of recent entries, which every search reads
 * one by one: half its reads right after a big run) into the index. Called once a run with
 * problem items has finished; a failure only leaves searches a little slower, never the run failed.
 */
export async function flushProblemSearchIndex(db: Queryable): Promise<void> {
  await db.query(`SELECT gin_clean_pending_list('sync_item_problem_search'::regclass)`).catch(() => {});
}

/** pg_trgm can only use a pattern with a run of three letters or digits; anything shorter reads the whole index. */
export const hasTrigram = (text: string): boolean => /[\p{L}\p{N}]{3}/u.test(text);

/**
 * Failed / partially mapped items matching a search, in id order after the cursor, every one of
 * them (no scan limit), fast at any depth for common and rare terms alike and with plans that do
 * not depend on statistics (`db` runs with INDEX_ORDER planner settings). One statement:
 * 1. the next PREFIX_SCAN problem items in id order (an index walk): a common term fills the page;
 * 2. only if it did not, and there are more problem items: beyond them, the trigram index and
 *    nothing else — a rare term's few hits, sorted. (For a text the trigram index cannot use, the
 *    problem items in id order instead.)
 */
export async function searchProblemItems(db: Queryable, search: ProblemSearch): Promise<any[]> {
  const beyond = hasTrigram(search.text)
    ? // Every other condition is unindexable (`+ 0`, `|| ''`), so the trigram index is the only way
      // in; its hits are sorted outside their CTE, a sort every plan needs.
      `WITH hits AS MATERIALIZED (
         SELECT ${ITEM_COLUMNS} FROM sync_item
         WHERE ${SEARCH_TEXT} ILIKE $4 AND error_message IS NOT NULL AND ${matchesSearch(4)}
           AND execution_id + 0 = $1 AND id + 0 > (SELECT last FROM edge) AND (status || '') = ANY($3::text[]))
       SELECT * FROM hits ORDER BY id`
    : `SELECT ${ITEM_COLUMNS} FROM sync_item
       WHERE execution_id = $1 AND id > (SELECT last FROM edge) AND error_message IS NOT NULL AND status = ANY($3::text[]) AND ${matchesSearch(4)}
       ORDER BY id`;
  // The second branch runs only when the first returned fewer than $5 rows (Append under a Limit)
  // and the prefix was full (the one-time condition on `edge`).
  const { rows } = await db.query(
    `WITH prefix AS MATERIALIZED (
       SELECT ${ITEM_COLUMNS}, status = ANY($3::text[]) AND ${matchesSearch(4)} AS hit
       FROM sync_item WHERE execution_id = $1 AND id > $2 AND error_message IS NOT NULL
       ORDER BY id LIMIT ${PREFIX_SCAN}),
     edge AS MATERIALIZED (SELECT max(id) AS last, count(*) AS scanned FROM prefix)
     SELECT * FROM (
       (SELECT ${ITEM_COLUMNS} FROM prefix WHERE hit ORDER BY id)
       UNION ALL
       (SELECT * FROM (${beyond}) AS rest WHERE (SELECT scanned FROM edge) = ${PREFIX_SCAN})
     ) AS found LIMIT $5`,
    [search.executionId, search.afterId, search.statuses, search.pattern, search.limit],
  );
  return rows;
}
