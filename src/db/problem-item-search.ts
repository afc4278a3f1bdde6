import type { DomainType } from '../domain/domain-types.js';
import type { ItemStatus } from '../domain/statuses.js';
import type { Queryable } from './pool.js';

/** How many problem items after the cursor are scanned in id order before the trigram index is asked. */
const PREFIX_SCAN = 5000;

const COLUMNS = 'id, status, domain_type, external_id, error_message, fetched_at, record_count, aggregate';
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
  const matches = `status = ANY($3::text[]) ${domain} AND ${SEARCH_TEXT} ILIKE $4`;
  const { rows: prefix } = await db.query(
    `WITH scanned AS MATERIALIZED (
       SELECT ${COLUMNS} FROM sync_item
       WHERE execution_id = $1 AND id > $2 AND error_message IS NOT NULL ORDER BY id LIMIT ${PREFIX_SCAN}),
     bounds AS (SELECT max(id) AS scanned_to, count(*)::int AS scanned FROM scanned)
     SELECT m.*, b.scanned_to, b.scanned FROM bounds b
     LEFT JOIN LATERAL (SELECT * FROM scanned WHERE ${matches} ORDER BY id LIMIT $5) m ON true`,
    params,
  );
  const found = prefix.filter((row) => row.id !== null);
  const { scanned_to: scannedTo, scanned } = prefix[0] ?? { scanned_to: null, scanned: 0 };
  if (found.length >= search.limit || scanned < PREFIX_SCAN) return found;
  params[1] = scannedTo;
  params[4] = search.limit - found.length;
  const { rows: rest } = await db.query(
    `SELECT ${COLUMNS} FROM sync_item
     WHERE execution_id = $1 AND id > $2 AND error_message IS NOT NULL AND ${matches} ORDER BY id LIMIT $5`,
    params,
  );
  return [...found, ...rest];
}
