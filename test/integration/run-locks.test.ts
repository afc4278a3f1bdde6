import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar } from '../support/queries.js';
import { startTestApp, testConfig, type TestApp } from '../support/test-app.js';

/**
 * Run locks (src/db/run-locks.ts): all of a process's locks on one kept connection. Two apps on one
 * database stand for two processes.
 */
describe('run locks on one kept connection', () => {
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    const config = testConfig();
    one = await startTestApp({ config });
    two = await startTestApp({ config });
  });
  afterAll(async () => {
    await two?.close();
    await one?.destroy();
  });

  /** pg_locks covers the whole server: only this test's database counts. */
  const THIS_DATABASE = `locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
  const advisoryLocks = () => scalar<number>(one.pool, `SELECT count(*)::int FROM pg_locks WHERE ${THIS_DATABASE}`);

  it('one holder per pair, in this process and across processes; released locks can be taken again', async () => {
    const held = await one.store.tryLockRun(1, 'sales_orders');
    expect(held).not.toBeNull();
    // The same session could take it again: the process refuses it itself.
    expect(await one.store.tryLockRun(1, 'sales_orders')).toBeNull();
    expect(await two.store.tryLockRun(1, 'sales_orders')).toBeNull();
    const other = await one.store.tryLockRun(1, 'warehouse_inventory');
    expect(other).not.toBeNull();
    expect(await advisoryLocks()).toBe(2);

    await held!.release();
    const taken = await two.store.tryLockRun(1, 'sales_orders');
    expect(taken).not.toBeNull();
    expect(await one.store.tryLockRun(1, 'sales_orders')).toBeNull();
    await taken!.release();
    await other!.release();
    expect(await advisoryLocks()).toBe(0);
  });

  it('many locks of one process share one connection', async () => {
    const locks = await Promise.all(Array.from({ length: 20 }, (_, i) => one.store.tryLockRun(100 + i, 'sales_orders')));
    expect(locks.every((lock) => lock !== null)).toBe(true);
    const holders = await scalar<number>(one.pool, `SELECT count(DISTINCT pid)::int FROM pg_locks WHERE ${THIS_DATABASE}`);
    expect(holders).toBe(1);
    await Promise.all(locks.map((lock) => lock!.release()));
    expect(await advisoryLocks()).toBe(0);
  });

  it('a lock released and taken again at once in the same process is held afterwards', async () => {
    const first = await one.store.tryLockRun(7, 'sales_orders');
    const release = first!.release();
    const again = await one.store.tryLockRun(7, 'sales_orders');
    await release;
    expect(again).not.toBeNull();
    expect(await two.store.tryLockRun(7, 'sales_orders')).toBeNull();
    await again!.release();
    expect(await advisoryLocks()).toBe(0);
  });
});
