import type { ItemStatus } from '../domain/statuses.js';
import { BITMAP_ONLY } from './planner-settings.js';
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

/** pg_trgm can only use a pattern with a run of three letters or digits; anything shorter reads the whole index. */
export const hasTrigram = (text: string): boolean => /[\p{L}\p{N}]{3}/u.test(text);

/**
 * Failed / partially mapped items matching a search, in id order after the cursor, every one of
 * them (no scan limit), fast at any depth for common and rare terms alike and with plans that do
 * not depend on statistics. `db` must run with INDEX_ORDER planner settings (this switches them).
 * 1. The next PREFIX_SCAN problem items in id order (an index walk): a common term fills the page.
 * 2. Beyond them, the trigram index, and nothing else: a rare term's few hits, sorted.
 */
export async function searchProblemItems(db: Queryable, search: ProblemSearch): Promise<any[]> {
  const { rows } = await db.query(
    `SELECT * FROM (
       SELECT scanned.*, max(id) OVER () AS scanned_to, count(*) OVER () AS scanned FROM (
         SELECT ${ITEM_COLUMNS}, status = ANY($3::text[]) AND ${matchesSearch(4)} AS hit
         FROM sync_item WHERE execution_id = $1 AND id > $2 AND error_message IS NOT NULL
         ORDER BY id LIMIT ${PREFIX_SCAN}) AS scanned
     ) AS marked
     WHERE hit OR id = scanned_to ORDER BY id LIMIT $5`,
    [search.executionId, search.afterId, search.statuses, search.pattern, search.limit],
  );
  // When fewer than `limit` rows hit, the last scanned row is among these rows (it has the highest id).
  const hits = rows.filter((row) => row.hit);
  const last = rows.at(-1);
  if (hits.length >= search.limit || !last || Number(last.scanned) < PREFIX_SCAN) return hits;
  const boundary = Number(last.scanned_to);
  const remaining = { ...search, limit: search.limit - hits.length };
  const rest = hasTrigram(search.text) ? await byTrigramIndex(db, remaining, boundary) : await byIndexOrder(db, remaining, boundary);
  return [...hits, ...rest];
}

/** Hits past `afterId` through the trigram index: every other condition is written so no other index can serve it. */
async function byTrigramIndex(db: Queryable, search: ProblemSearch, afterId: number): Promise<any[]> {
  await db.query(BITMAP_ONLY);
  const { rows } = await db.query(
    `SELECT ${ITEM_COLUMNS} FROM sync_item
     WHERE ${SEARCH_TEXT} ILIKE $4 AND error_message IS NOT NULL AND ${matchesSearch(4)}
       AND execution_id + 0 = $1 AND id + 0 > $2 AND (status || '') = ANY($3::text[])
     ORDER BY id LIMIT $5`,
    [search.executionId, afterId, search.statuses, search.pattern, search.limit],
  );
  return rows;
}

/** Hits past `afterId` for a text the trigram index cannot use (e.g. "%" or "ab"): the problem items in id order. */
async function byIndexOrder(db: Queryable, search: ProblemSearch, afterId: number): Promise<any[]> {
  const { rows } = await db.query(
    `SELECT ${ITEM_COLUMNS} FROM sync_item
     WHERE execution_id = $1 AND id > $2 AND error_message IS NOT NULL AND status = ANY($3::text[]) AND ${matchesSearch(4)}
     ORDER BY id LIMIT $5`,
    [search.executionId, afterId, search.statuses, search.pattern, search.limit],
  );
  return rows;
}
