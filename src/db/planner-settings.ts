import type pg from 'pg';
import { inTransaction, type Queryable } from './pool.js';

/**
 * Plans that do not depend on planner statistics. Right after a big run sync_item has none (or
 * stale ones: autovacuum may be off or behind), and PostgreSQL then believes an execution has a
 * few hundred items: it reads all 1,000,000 through a bitmap and sorts them for a page of 25.
 * Without sequential scans and with sorts priced out, an item page has one way left: walk an index
 * in id order. (Bitmap scans stay allowed for the trigram index, whose few hits are sorted inside a
 * MATERIALIZED CTE: there every plan must sort, so the price does not change the choice.)
 */
export const INDEX_ORDER = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off; SET LOCAL jit = off';

/** Runs `work` in a read-only transaction that starts with `settings` (one round trip). */
export function withPlannerSettings<T>(pool: pg.Pool, settings: string, work: (db: Queryable) => Promise<T>): Promise<T> {
  return inTransaction(pool, work, { readOnly: true, settings });
}
