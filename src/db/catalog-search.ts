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
 * Tether SKUs or channels matching a typed text, best first: the exact code (rank 0), codes
 * starting with it (1), names starting with it (2), codes containing it (3), names containing it
 * (4), all case-insensitive; within a rank by lower-case code (by name for the name ranks).
 * At most three reads, each bounded, and each made only while the list has room:
 * 1. exact / code prefix / name prefix: ordered walks of the C-collated btrees on lower(code) and
 *    lower(name) that stop after `limit` rows — enough on their own for most typed text;
 * 2. codes containing it, 3. names containing it: the trigram GIN for a rare term of 3+
 *    characters, or the same ordered walk with the pattern as a filter, stopping at `limit`
 *    matches (a common term stops at once; a rare 1–2 character term reads the catalog once).
 */
export async function searchCatalog(db: Queryable, kind: MappingKind, query: string, limit: number): Promise<CatalogMatch[]> {
  const typed = query.trim();
  const table = TABLE[kind];
  if (!typed) {
    const { rows } = await db.query<CatalogMatch>(
      `SELECT code, name, 1 AS rank FROM ${table} ORDER BY lower(code COLLATE "C"), code COLLATE "C" LIMIT $1`,
      [limit],
    );
    return rows;
  }
  const ascii = isAscii(typed);
  const term = ascii ? typed.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : typed.toLowerCase();
  const [prefixSql, codeContainsSql, nameContainsSql] = catalogSearchSql(kind, ascii ? 'ascii' : 'unicode');
  const [, prefix, contains] = catalogSearchParams(term, limit);
  const found = (await db.query<CatalogMatch & { id: number }>(prefixSql, [term, prefix, limit])).rows;
  for (const sql of [codeContainsSql, nameContainsSql]) {
    if (found.length >= limit) break;
    found.push(...(await db.query<CatalogMatch & { id: number }>(sql, [contains, found.map((row) => row.id), limit - found.length])).rows);
  }
  return found.map(({ code, name, rank }) => ({ code, name, rank }));
}

/** The lower-case term, its prefix pattern, its contains pattern (LIKE wildcards escaped), the limit. */
export const catalogSearchParams = (term: string, limit: number): [string, string, string, number] => [
  term,
  `${escapeLike(term)}%`,
  `%${escapeLike(term)}%`,
  limit,
];

// eslint-disable-next-line no-control-regex
const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text);

/**
 * The three reads: prefix ranks ($1 term, $2 prefix pattern, $3 limit), then codes and names
 * containing it ($1 contains pattern, $2 ids already found, $3 how many more).
 *
 * Case folding: `lower(x COLLATE "C")` folds A–Z only and is ~3× cheaper than a locale-aware
 * lower() (measured: 19 vs 56 ms for one pass over 100,000 codes); it is what the indexes hold.
 * An ASCII term can only match ASCII letters, so it loses nothing; a term with other letters
 * ("über") is compared with the locale-aware lower() on both sides, without the indexes.
 */
export function catalogSearchSql(kind: MappingKind, fold: 'ascii' | 'unicode' = 'ascii'): [string, string, string] {
  const table = TABLE[kind];
  const code = fold === 'ascii' ? `lower(code COLLATE "C")` : `(lower(code) COLLATE "C")`;
  const name = fold === 'ascii' ? `lower(name COLLATE "C")` : `(lower(name) COLLATE "C")`;
  const prefix = `SELECT id, code, name, rank FROM (
       SELECT DISTINCT ON (id) id, code, name, rank, sort_key FROM (
         (SELECT id, code, name, 0 AS rank, ${code} AS sort_key FROM ${table} WHERE ${code} = $1 LIMIT $3)
         UNION ALL
         (SELECT id, code, name, 1, ${code} FROM ${table} WHERE ${code} LIKE $2 ORDER BY ${code} LIMIT $3)
         UNION ALL
         (SELECT id, code, name, 2, ${name} FROM ${table} WHERE ${name} LIKE $2 ORDER BY ${name} LIMIT $3)
       ) AS matches ORDER BY id, rank
     ) AS best ORDER BY rank, sort_key, code COLLATE "C" LIMIT $3`;
  const contains = (column: string, rank: number) =>
    `SELECT id, code, name, ${rank} AS rank FROM ${table} WHERE ${column} LIKE $1 AND id <> ALL($2::int[])
     ORDER BY ${column}, code COLLATE "C" LIMIT $3`;
  return [prefix, contains(code, 3), contains(name, 4)];
}
