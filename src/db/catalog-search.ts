import type { MappingKind } from '../domain/mappings.js';
import { escapeLike } from './mapping-rows.js';
import type { Queryable } from './pool.js';

export interface CatalogMatch {
  code: string;
  name: string;
  /** 0 exact code, 1 code prefix, 2 name prefix, 3 code contains, 4 name contains (case-insensitive). */
  rank: number;
}

const TABLE: Record<MappingKind, string> = { sku: 'sku', channel: 'channel' };

/**
 * Tether SKUs or channels matching a typed text, best first: the exact code, codes starting with
 * it, names starting with it, then codes and names containing it (all case-insensitive); within a
 * rank by lower-case code (by name in the name-prefix tier). Each tier is its own index read capped at `limit`, so no tier ever sorts the
 * whole catalog:
 * - exact and prefix tiers walk the C-collated btree on lower(code) / lower(name) in order and stop
 *   after `limit` rows;
 * - contains tiers use the trigram GIN on lower(code) / lower(name) for rare terms, or walk the
 *   code index and stop at `limit` matches for common ones (the planner picks by selectivity).
 * The SQL is the same for any term length: the catalog is at most a few hundred thousand rows.
 */
export async function searchCatalog(db: Queryable, kind: MappingKind, query: string, limit: number): Promise<CatalogMatch[]> {
  const term = query.trim().toLowerCase();
  const table = TABLE[kind];
  if (!term) {
    const { rows } = await db.query<CatalogMatch>(
      `SELECT code, name, 1 AS rank FROM ${table} ORDER BY (lower(code) COLLATE "C"), code COLLATE "C" LIMIT $1`,
      [limit],
    );
    return rows;
  }
  const { rows } = await db.query<CatalogMatch>(catalogSearchSql(kind), catalogSearchParams(term, limit));
  return rows;
}

/** $1 the lower-case term, $2 its prefix pattern, $3 its contains pattern, $4 the limit. */
export const catalogSearchParams = (term: string, limit: number): [string, string, string, number] => [
  term,
  `${escapeLike(term)}%`,
  `%${escapeLike(term)}%`,
  limit,
];

export function catalogSearchSql(kind: MappingKind): string {
  const table = TABLE[kind];
  return `SELECT code, name, rank FROM (
       SELECT DISTINCT ON (id) id, code, name, rank, sort_key FROM (
         (SELECT id, code, name, 0 AS rank, lower(code) COLLATE "C" AS sort_key FROM ${table} WHERE (lower(code) COLLATE "C") = $1 LIMIT $4)
         UNION ALL
         (SELECT id, code, name, 1, lower(code) COLLATE "C" FROM ${table} WHERE (lower(code) COLLATE "C") LIKE $2 ORDER BY (lower(code) COLLATE "C") LIMIT $4)
         UNION ALL
         (SELECT id, code, name, 2, lower(name) COLLATE "C" FROM ${table} WHERE (lower(name) COLLATE "C") LIKE $2 ORDER BY (lower(name) COLLATE "C") LIMIT $4)
         UNION ALL
         (SELECT id, code, name, 3, lower(code) COLLATE "C" FROM ${table} WHERE lower(code) LIKE $3 ORDER BY (lower(code) COLLATE "C") LIMIT $4)
         UNION ALL
         (SELECT id, code, name, 4, lower(code) COLLATE "C" FROM ${table} WHERE lower(name) LIKE $3 ORDER BY (lower(code) COLLATE "C") LIMIT $4)
       ) AS matches ORDER BY id, rank
     ) AS best ORDER BY rank, sort_key, code COLLATE "C" LIMIT $4`;
}
