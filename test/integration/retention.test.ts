import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { renderItemsModal } from '../../src/slack/items-flow.js';
import type { SlackContext } from '../../src/slack/context.js';
import { writeTemp } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { cliRunner } from '../support/run-cli.js';
import { until } from '../support/until.js';
import { silentLog, startTestApp, testDatabaseUrl, type TestApp } from '../support/test-app.js';

/** Small batches so every purge of an execution takes several transactions. */
const BATCH = 7;

const yaml = `
- key: shop
  name: Shop
  connector: demo
  domains: [sales_orders, warehouse_inventory]
  config: { orders: 60, page_size: 20, warehouses: 2, sku_count: 10 }
- key: other
  name: Other
  connector: demo
  domains: [sales_orders]
  config: { orders: 30, page_size: 10, sku_count: 10 }
`;

interface ExecutionCounts {
  id: number;
  status: string;
  records_fetched: number;
  success_count: number;
  failed_count: number;
  skipped_count: number;
  error_analysis: unknown;
}

/**
 * Retention: `tether purge` deletes the items (and record errors) of executions that ended more
 * than N days ago, in small batches; execution rows, counts, analysis and kept problem records
 * stay; running and recent executions are untouched; a dry run deletes nothing.
 */
describe('item retention (tether purge)', () => {
  const databaseUrl = testDatabaseUrl();
  const env = { TETHER_PURGE_BATCH_SIZE: String(BATCH), TETHER_PURGE_PAUSE_MS: '0' };
  const cli = cliRunner(() => databaseUrl, env);
  let app: TestApp;
  /** Executions backdated 40 days (finished), the recent ones, and an old one still running. */
  let old: number[] = [];
  let recent: number[] = [];
  let running = 0;
  let runLock: { release(): Promise<void> } | null = null;

  const itemsOf = (ids: number[]) => scalar(app.pool, 'SELECT count(*)::int FROM sync_item WHERE execution_id = ANY($1)', [ids]);
  const errorsOf = (ids: number[]) => scalar(app.pool, 'SELECT count(*)::int FROM sync_item_error WHERE execution_id = ANY($1)', [ids]);
  const countsOf = async (ids: number[]) =>
    (
      await app.pool.query<ExecutionCounts>(
        'SELECT id, status, records_fetched, success_count, failed_count, skipped_count, error_analysis FROM sync_execution WHERE id = ANY($1) ORDER BY id',
        [ids],
      )
    ).rows;
  const syncIds = async (key: string): Promise<number[]> => {
    const result = await cli('sync', key, '--json');
    return (JSON.parse(result.stdout) as { id: number }[]).map((execution) => execution.id);
  };

  beforeAll(async () => {
    app = await startTestApp({ config: loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...env }, 'test') });
    expect((await cli('integrations', 'apply', await writeTemp('integrations.yml', yaml))).code).toBe(0);
    // No catalog: every order and warehouse has unmapped SKUs, so there are problem items,
    // record errors (inventory aggregates) and kept problem records.
    old = [...(await syncIds('shop')), ...(await syncIds('other'))];
    recent = await syncIds('shop');
    await app.pool.query(
      `UPDATE sync_execution SET queued_at = queued_at - interval '40 days', started_at = started_at - interval '40 days',
         finished_at = finished_at - interval '40 days' WHERE id = ANY($1)`,
      [old],
    );
    // An old execution still running: its run lock is held (so no orphan sweep interrupts it).
    const other = await scalar(app.pool, `SELECT id FROM integration WHERE key = 'other'`);
    runLock = await app.store.tryLockRun(other, 'sales_orders');
    running = await scalar(
      app.pool,
      `INSERT INTO sync_execution (integration_id, domain_type, status, trigger, dry_run, queued_at, started_at)
       VALUES ($1, 'sales_orders', 'running', 'manual', false, now() - interval '41 days', now() - interval '41 days') RETURNING id`,
      [other],
    );
    await app.pool.query(
      `INSERT INTO sync_item (execution_id, domain_type, external_id, status, fetched_at)
       SELECT $1, 'sales_orders', 'R-' || n, 'success', now() - interval '41 days' FROM generate_series(1, 20) n`,
      [running],
    );
  }, 120_000);
  afterAll(async () => {
    await runLock?.release();
    await app?.destroy();
  });

  it('has old executions with items, record errors and kept problem records to purge', async () => {
    expect(old).toHaveLength(3);
    expect(recent).toHaveLength(2);
    expect(await itemsOf(old)).toBeGreaterThan(3 * BATCH);
    expect(await errorsOf(old)).toBeGreaterThan(0);
    expect(await scalar(app.pool, 'SELECT count(*)::int FROM problem_record')).toBeGreaterThan(0);
  });

  it('dry run says what would go and deletes nothing', async () => {
    const before = { items: await itemsOf(old), errors: await errorsOf(old) };
    const result = await cli('purge', '--dry-run', '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(result.stdout);
    // Kept problem records stay: shop's were seen again by its recent runs, other's has a run going.
    expect(report).toMatchObject({ dryRun: true, olderThanDays: 30, executions: 3, items: before.items, recordErrors: before.errors, problemRecords: 0 });
    expect(report.preview.map((row: { executionId: number }) => row.executionId)).toEqual(old);
    const ended = await scalar<Date>(app.pool, 'SELECT min(finished_at) FROM sync_execution WHERE id = ANY($1)', [old]);
    expect(new Date(report.oldestEndedAt).getTime()).toBe(ended.getTime());
    expect(new Date(report.newestEndedAt).getTime()).toBeGreaterThanOrEqual(ended.getTime());

    const text = await cli('purge', '--dry-run');
    expect(text.stdout).toContain(`Dry run: nothing was deleted. Would purge ${before.items} items, ${before.errors} record errors, 0 kept problem records of 3 executions that ended more than 30 days ago`);
    for (const id of old) expect(text.stdout).toContain(String(id));

    expect(await itemsOf(old)).toBe(before.items);
    expect(await errorsOf(old)).toBe(before.errors);
    expect(await scalar(app.pool, 'SELECT count(*)::int FROM sync_execution WHERE items_purged_at IS NOT NULL')).toBe(0);
    expect(await scalar(app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'items.purged'`)).toBe(0);
    // Nothing is older than 50 days.
    expect(JSON.parse((await cli('purge', '--dry-run', '--json', '--older-than-days', '50')).stdout)).toMatchObject({ executions: 0, items: 0 });
  });

  it('purges old items in batches; counts, analysis, problem records, running and recent executions stay', async () => {
    const before = { counts: await countsOf(old), items: await itemsOf(old), errors: await errorsOf(old) };
    const recentItems = await itemsOf(recent);
    const keptRecords = await scalar(app.pool, 'SELECT count(*)::int FROM problem_record');
    const perExecution = await app.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_item WHERE execution_id = ANY($1) GROUP BY execution_id', [old]);
    const expectedBatches = perExecution.rows.reduce((sum, row) => sum + Math.ceil(row.n / BATCH), 0);

    const result = await cli('purge', '--json', '--by', 'alice');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ dryRun: false, executions: 3, items: before.items, recordErrors: before.errors, problemRecords: 0, batches: expectedBatches, skippedBusy: false });
    expect(report.batches).toBeGreaterThan(3);

    expect(await itemsOf(old)).toBe(0);
    expect(await errorsOf(old)).toBe(0);
    expect(await countsOf(old)).toEqual(before.counts);
    expect(
      (await app.pool.query('SELECT items_purged_after_days AS days, items_purged_at IS NOT NULL AS purged FROM sync_execution WHERE id = ANY($1)', [old])).rows,
    ).toEqual(old.map(() => ({ days: 30, purged: true })));
    expect(await itemsOf(recent)).toBe(recentItems);
    expect(await itemsOf([running])).toBe(20);
    expect(await scalar(app.pool, 'SELECT count(*)::int FROM sync_execution WHERE items_purged_at IS NOT NULL')).toBe(3);
    expect(await scalar(app.pool, 'SELECT count(*)::int FROM problem_record')).toBe(keptRecords);

    const audit = await app.pool.query(`SELECT actor, details FROM audit_event WHERE action = 'items.purged'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor: 'alice', details: { olderThanDays: 30, executions: 3, items: before.items, executionIds: old } });

    // Done once: a second purge finds nothing and records nothing.
    expect((await cli('purge')).stdout).toMatch(/^Nothing to purge: no executions that ended more than 30 days ago/);
    expect(await scalar(app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'items.purged'`)).toBe(1);
  });

  it('says the items were purged in the CLI and the Slack items modal', async () => {
    const [id] = old;
    const text = await cli('items', String(id!));
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toMatch(/^The items of this execution were purged after 30 days \(on \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\); its counts and error analysis are kept\.$/);
    const execution = await cli('execution', String(id!));
    expect(execution.stdout).toMatch(/\n  Items      purged after 30 days \(on [^)]+\); the counts and error analysis above are kept$/);
    expect(execution.stdout).not.toContain('Next       tether items');
    expect((await cli('execution', String(recent[0]!))).stdout).not.toContain('purged');
    const page = JSON.parse((await cli('items', String(id!), '--json', '--status', 'failed')).stdout);
    expect(page).toMatchObject({ items: [], nextCursor: null, purged: { afterDays: 30, at: expect.any(String) } });
    // A recent execution still lists its items.
    const kept = JSON.parse((await cli('items', String(recent[0]!), '--json')).stdout);
    expect(kept.items.length).toBeGreaterThan(0);
    expect(kept.purged).toBeNull();

    const ctx = { services: app.services, log: silentLog } as Pick<SlackContext, 'services' | 'log'> as SlackContext;
    const state = { executionId: id!, status: 'all', domainType: null, search: null, previous: [], after: null } as const;
    const modal = JSON.stringify(await renderItemsModal(ctx, { ...state, previous: [] }));
    expect(modal).toContain('Items of this execution were purged after 30 days');
    expect(modal).not.toContain('No items match');
  });

  it('never runs two purges at once, and skips while another holds the purge', async () => {
    await app.pool.query(`UPDATE sync_execution SET finished_at = finished_at - interval '40 days', queued_at = queued_at - interval '40 days',
      started_at = started_at - interval '40 days' WHERE id = $1`, [recent[0]]);
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('tether:item-purge'))`);
      const busy = JSON.parse((await cli('purge', '--json')).stdout);
      expect(busy).toMatchObject({ skippedBusy: true, items: 0, executions: 0 });
      expect(await itemsOf([recent[0]!])).toBeGreaterThan(0);
      expect((await cli('purge')).stdout).toContain('Another purge is running');
    } finally {
      await holder.end();
    }
    // The worker's round: with the lock free it purges what is past retention.
    const report = await app.services.retention.scheduledPurge();
    expect(report).toMatchObject({ executions: 1, skippedBusy: false });
    expect(await itemsOf([recent[0]!])).toBe(0);
    expect(await scalar(app.pool, `SELECT actor FROM audit_event WHERE action = 'items.purged' ORDER BY id DESC LIMIT 1`)).toBe('retention');
  });

  it('a worker purges on its own timer', async () => {
    const id = recent[1]!;
    await app.pool.query(`UPDATE sync_execution SET finished_at = finished_at - interval '40 days', queued_at = queued_at - interval '40 days',
      started_at = started_at - interval '40 days' WHERE id = $1`, [id]);
    expect(await itemsOf([id])).toBeGreaterThan(0);
    const worker = await app.services.worker.start({ firstPurgeAfterMs: 0 });
    try {
      await until('the worker to purge the execution', () => scalar<boolean>(app.pool, 'SELECT items_purged_at IS NOT NULL FROM sync_execution WHERE id = $1', [id]), (done) => done);
    } finally {
      await worker.stop();
    }
    expect(await itemsOf([id])).toBe(0);
    expect(await itemsOf([running])).toBe(20);
  });

  it('carry-over still re-processes the kept problem records after their first run was purged', async () => {
    // The earlier tests purged every shop run: start again with two runs, purge the first only.
    const [first] = await syncIds('shop');
    await syncIds('shop');
    const keptQuery = `SELECT count(*)::int FROM problem_record p JOIN integration i ON i.id = p.integration_id WHERE i.key = 'shop' AND p.domain_type = 'sales_orders'`;
    const kept = await scalar<number>(app.pool, keptQuery);
    expect(kept).toBeGreaterThan(0);
    await app.pool.query(`UPDATE sync_execution SET finished_at = finished_at - interval '40 days', queued_at = queued_at - interval '40 days',
      started_at = started_at - interval '40 days' WHERE id = $1`, [first]);
    expect(JSON.parse((await cli('purge', '--json')).stdout)).toMatchObject({ executions: 1, problemRecords: 0 });
    expect(await itemsOf([first!])).toBe(0);
    expect(await scalar(app.pool, keptQuery)).toBe(kept);

    const result = await cli('sync', 'shop', '--domain', 'sales_orders', '--json');
    const [execution] = JSON.parse(result.stdout) as { id: number; recordsFetched: number; carriedOver: number; failedCount: number }[];
    expect(execution!.recordsFetched + execution!.carriedOver).toBeGreaterThanOrEqual(kept);
    expect(execution!.failedCount).toBeGreaterThanOrEqual(kept);
    // Every kept record was processed again by this run (fetched again or carried over).
    expect(await scalar(app.pool, 'SELECT count(*)::int FROM problem_record WHERE seen_execution_id = $1', [execution!.id])).toBeGreaterThanOrEqual(kept);
  });

  it('kept problem records no run has seen since an execution past retention go with its items', async () => {
    const idleYaml = `${yaml}- key: idle
  name: Idle
  connector: demo
  domains: [sales_orders]
  config: { orders: 30, page_size: 10, sku_count: 10 }
`;
    expect((await cli('integrations', 'apply', await writeTemp('idle.yml', idleYaml))).code).toBe(0);
    const idle = await syncIds('idle');
    const recordsOf = (key: string) =>
      scalar<number>(app.pool, 'SELECT count(*)::int FROM problem_record p JOIN integration i ON i.id = p.integration_id WHERE i.key = $1', [key]);
    const idleRecords = await recordsOf('idle');
    const shopRecords = await recordsOf('shop');
    expect(idleRecords).toBeGreaterThan(0);
    await app.pool.query(
      `UPDATE sync_execution SET queued_at = queued_at - interval '40 days', started_at = started_at - interval '40 days',
         finished_at = finished_at - interval '40 days' WHERE id = ANY($1)`,
      [idle],
    );

    const dry = JSON.parse((await cli('purge', '--dry-run', '--json')).stdout);
    expect(dry).toMatchObject({ executions: 1, problemRecords: idleRecords });
    expect(dry.preview).toEqual([expect.objectContaining({ executionId: idle[0], problemRecords: idleRecords })]);
    expect(await recordsOf('idle')).toBe(idleRecords);

    const report = JSON.parse((await cli('purge', '--json')).stdout);
    expect(report).toMatchObject({ executions: 1, problemRecords: idleRecords });
    expect(await recordsOf('idle')).toBe(0);
    expect(await recordsOf('shop')).toBe(shopRecords);
    expect(await itemsOf(idle)).toBe(0);
  });

  it('refuses bad flags and settings with clear messages', async () => {
    expect(await cli('purge', '--older-than-days', '0')).toMatchObject({ code: 2, stderr: 'error: --older-than-days must be a whole number from 1 to 36500 (got "0")' });
    expect(await cli('purge', '--older-than-days', 'ten')).toMatchObject({ code: 2, stderr: 'error: --older-than-days must be a whole number from 1 to 36500 (got "ten")' });
    expect(await cli('purge', '--batch-size', '0')).toMatchObject({ code: 2, stderr: 'error: --batch-size must be a whole number from 1 to 100000 (got "0")' });
    expect((await cli('purge', '--dry-rn')).code).toBe(2);
    const zero = cliRunner(() => databaseUrl, { TETHER_ITEM_RETENTION_DAYS: '0' });
    const refused = await zero('purge', '--dry-run');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('TETHER_ITEM_RETENTION_DAYS must be a whole number of days from 1 to 36500, or "off" to keep items forever (default 30) (got "0")');
    const off = cliRunner(() => databaseUrl, { TETHER_ITEM_RETENTION_DAYS: 'off' });
    expect(await off('purge', '--dry-run')).toMatchObject({
      code: 2,
      stderr: 'error: item retention is off (TETHER_ITEM_RETENTION_DAYS=off): pass --older-than-days <n> to purge explicitly',
    });
    expect(JSON.parse((await off('purge', '--dry-run', '--json', '--older-than-days', '30')).stdout)).toMatchObject({ dryRun: true, olderThanDays: 30 });
  });
});
