import type { ItemStatus } from '../domain/statuses.js';
import type { Queryable } from './pool.js';
import { ITEM_COLUMNS, matchesSearch } from './problem-item-search.js';

/**
 * Most item ids one search request examines when the search is not limited to problem items (no
 * index serves a substring of every item: a trigram index over all items cost +80 ms per 1000
 * inserted). About 0.1–0.3 s on a loaded 2-core machine; Next continues from where it stopped.
 */
export const SEARCH_SCAN_IDS = 100_000;

/** Where a search stopped at its scan limit: the page may hold fewer items than asked. */
export interface SearchStop {
  /** The last item id examined; the next page continues after it. */
  itemId: number;
  /** How far into the execution's items (by id) the search has come, 0–1. */
  fraction: number;
}

/**
 * A page without search text, in id order after the cursor. `db` runs with INDEX_ORDER planner
 * settings, so each status is one walk of the (execution, status, id) index (several statuses are
 * merged), and no status is one walk of (execution, id): never more rows read than returned.
 */
export async function pageByStatus(db: Queryable, executionId: number, afterId: number, statuses: ItemStatus[], limit: number): Promise<any[]> {
  if (!statuses.length) {
    const { rows } = await db.query(`SELECT ${ITEM_COLUMNS} FROM sync_item WHERE execution_id = $1 AND id > $2 ORDER BY id LIMIT $3`, [executionId, afterId, limit]);
    return rows;
  }
  // One status as `=`: PostgreSQL 15 cannot read an index in order through `= ANY(array)`.
  const branches = statuses.map(
    (_, i) => `(SELECT ${ITEM_COLUMNS} FROM sync_item WHERE execution_id = $1 AND status = $${i + 4} AND id > $2 ORDER BY id LIMIT $3)`,
  );
  const { rows } = await db.query(
    branches.length === 1 ? branches[0]! : `SELECT * FROM (${branches.join(' UNION ALL ')}) AS merged ORDER BY id LIMIT $3`,
    [executionId, afterId, limit, ...statuses],
  );
  return rows;
}

/**
 * A search over any statuses: the items matching it among the next SEARCH_SCAN_IDS item ids after
 * the cursor, walked in id order. A bounded range, so the time does not depend on how rare the
 * term is or on the planner's statistics; `stop` says where it ended when the page is not full.
 */
export async function searchByRange(
  db: Queryable,
  search: { executionId: number; afterId: number; statuses: ItemStatus[]; pattern: string; limit: number },
): Promise<{ rows: any[]; stop: SearchStop | null }> {
  const { rows: spans } = await db.query<{ first: number | null; last: number | null }>(
    'SELECT min(id) AS first, max(id) AS last FROM sync_item WHERE execution_id = $1',
    [search.executionId],
  );
  const { first, last } = spans[0] ?? { first: null, last: null };
  if (first === null || last === null) return { rows: [], stop: null };
  const from = Math.max(search.afterId, first - 1);
  if (from >= last) return { rows: [], stop: null };
  const to = Math.min(from + SEARCH_SCAN_IDS, last);
  const params: unknown[] = [search.executionId, from, to, search.pattern, search.limit];
  const status =
    search.statuses.length === 1 ? `AND status = $${params.push(search.statuses[0])}` : search.statuses.length ? `AND status = ANY($${params.push(search.statuses)}::text[])` : '';
  const { rows } = await db.query(
    `SELECT ${ITEM_COLUMNS} FROM sync_item
     WHERE execution_id = $1 AND id > $2 AND id <= $3 ${status} AND ${matchesSearch(4)}
     ORDER BY id LIMIT $5`,
    params,
  );
  const stop = rows.length < search.limit && to < last ? { itemId: to, fraction: (to - first + 1) / (last - first + 1) } : null;
  return { rows, stop };
}
