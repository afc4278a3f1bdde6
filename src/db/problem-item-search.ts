import type { DomainType } from '../domain/domain-types.js';
import type { ItemStatus } from '../domain/statuses.js';
import type { Queryable } from './pool.js';

/** How many problem items after the cursor are scanned in id order before the trigram index is asked. */
const PREFIX_SCAN = 2000;

const COLUMNS = 'id, status, domain_type, external_id, error_message, fetched_at, record_count, aggregate, carried_over';
/** The expression the partial trigram index `sync_item_problem_search` is built on. */
const SEARCH_TEXT = `(external_id || ' ' || error_message)`;

export interface ProblemSearch {
  executionId: number;
  afterId: number;
  statuses: ItemStatus[];
  domainType?: DomainType;
  /** An ILIKE pattern, already escaped and wrapped in %. */
  pattern: string;
  limit: number;
}

/**
 * Failed / partially mapped items matching a search, in id order after the cursor, fast at any
 * depth for common and rare terms alike: a common term fills the page from a short id-ordered
 * scan of the problem items; a rare one is found beyond that scan through the trigram index.
 */
export async function searchProblemItems(db: Queryable, search: ProblemSearch): Promise<any[]> {
  const params: unknown[] = [search.executionId, search.afterId, search.statuses, search.pattern, search.limit];
  const domain = search.domainType ? `AND domain_type = $${params.push(search.domainType)}` : '';
  // The id of the PREFIX_SCAN-th problem item after the cursor (an index-only walk), or null.
  const { rows: bound } = await db.query<{ id: number }>(
    `SELECT id FROM sync_item WHERE execution_id = $1 AND id > $2 AND error_message IS NOT NULL
     ORDER BY id OFFSET ${PREFIX_SCAN - 1} LIMIT 1`,
    [search.executionId, search.afterId],
  );
  const boundary = bound[0]?.id ?? null;
  // Common terms: the page fills from the problem items up to the boundary, read in id order.
  // OFFSET 0 keeps the planner from answering it with the trigram index and a sort, which it
  // does for frequent terms (its trigram estimates are far too low).
  const { rows: found } = await db.query(
    `SELECT * FROM (
       SELECT ${COLUMNS}, ${SEARCH_TEXT} AS search_text FROM sync_item
       WHERE execution_id = $1 AND id > $2 AND error_message IS NOT NULL
         ${boundary === null ? '' : `AND id <= $${params.push(boundary)}`}
       ORDER BY id OFFSET 0) AS scanned
     WHERE status = ANY($3::text[]) ${domain} AND search_text ILIKE $4
     ORDER BY id LIMIT $5`,
    params,
  );
  if (found.length >= search.limit || boundary === null) return found;
  // Rare terms: the rest comes from the trigram index, past the boundary.
  const rest = await db.query(
    `SELECT ${COLUMNS} FROM sync_item
     WHERE execution_id = $1 AND id > $2 AND error_message IS NOT NULL
       AND status = ANY($3::text[]) ${search.domainType ? 'AND domain_type = $6' : ''} AND ${SEARCH_TEXT} ILIKE $4
     ORDER BY id LIMIT $5`,
    [search.executionId, boundary, search.statuses, search.pattern, search.limit - found.length, ...(search.domainType ? [search.domainType] : [])],
  );
  return [...found, ...rest.rows];
}
