import type pg from 'pg';
import type { Queryable } from './pool.js';

/**
 * Plans that do not depend on planner statistics. Right after a big run sync_item has none (or
 * stale ones: autovacuum may be off or behind), and PostgreSQL then believes an execution has a
 * few hundred items: it reads all 1,000,000 through a bitmap and sorts them for a page of 25.
 * These settings leave it one way to answer an item page: walk an index in id order.
 */
export const INDEX_ORDER = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off; SET LOCAL jit = off';

/**
 * For the trigram index: a bitmap scan and a sort of its (few) hits. The statement itself keeps
 * every other condition unindexable, so the trigram index is the only way in.
 */
export const BITMAP_ONLY = 'SET LOCAL enable_bitmapscan = on; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; SET LOCAL enable_sort = on';

/** Runs `work` in a read-only transaction that starts with `settings` (one round trip). */
export async function withPlannerSettings<T>(pool: pg.Pool, settings: string, work: (db: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN READ ONLY; ${settings}`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
