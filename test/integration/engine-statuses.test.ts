import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunRefused } from '../../src/sync/engine-errors.js';
import type { SyncObserver } from '../../src/sync/ports.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { cursorOf, itemStatusCounts, scalar } from '../support/queries.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const clean = { unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };

/** The engine against real PostgreSQL: every execution and item status, counting, cursor rules. */
describe('sync engine', () => {
  let app: TestApp;
  const hooks: SyncObserver = {};
  const observer: SyncObserver = {
    pageStaged: (id, page) => hooks.pageStaged?.(id, page),
    pageCommitted: (id, page, counts) => hooks.pageCommitted?.(id, page, counts),
  };

  beforeAll(async () => {
    app = await startTestApp({ observer });
    await app.integrations.apply(
      [
        demoSpec({ key: 'clean', config: clean }),
        demoSpec({ key: 'messy', config: { orders: 200, unmapped_sku_rate: 0.05, unmapped_channel_rate: 0.05, invalid_rate: 0.05 } }),
        demoSpec({ key: 'broken', config: { ...clean, fail_at_page: 2, fail_category: 'authentication' } }),
        demoSpec({ key: 'unmapped' }),
        demoSpec({ key: 'slow', config: { ...clean, page_delay_ms: 150 } }),
      ], { actor: 'test' });
    for (const key of ['clean', 'messy', 'broken', 'slow']) await seedCatalog(app, key);
  });
  afterAll(async () => app?.destroy());

  it('a clean run succeeds, and its counts follow the counting rule', async () => {
    const execution = await app.engine.run({ integrationKey: 'clean', domainType: 'sales_orders', triggeredBy: 'tester' });
    expect(execution).toMatchObject({ status: 'success', trigger: 'manual', triggeredBy: 'tester', failedCount: 0, error: null });
    expect(execution.recordsFetched).toBe(60 + 2 * 2); // 3 pages, 2 overlap records re-sent on pages 2 and 3
    const statuses = await itemStatusCounts(app.pool, execution.id);
    expect(statuses).toEqual({ success: 60, skipped: 4 });
    expect(execution.successCount + execution.failedCount + execution.skippedCount).toBe(64);
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sales_order o JOIN integration i ON i.id = o.integration_id WHERE i.key = 'clean'`)).toBe(60);
    expect(await cursorOf(app.pool, 'clean', 'sales_orders')).toBe(execution.cursorAfter);
  });

  it('a messy run is partial; items are success, failed, partial_mapped and skipped; analysis names the values', async () => {
    const execution = await app.engine.run({ integrationKey: 'messy', domainType: 'sales_orders' });
    expect(execution.status).toBe('partial');
    const statuses = await itemStatusCounts(app.pool, execution.id);
    expect(Object.keys(statuses).sort()).toEqual(['failed', 'partial_mapped', 'skipped', 'success']);
    expect(execution.successCount).toBe(statuses.success);
    expect(execution.failedCount).toBe(statuses.failed! + statuses.partial_mapped!);
    expect(execution.skippedCount).toBe(statuses.skipped);
    const analysis = execution.errorAnalysis!;
    expect(analysis.unmappedSkus.length).toBeGreaterThan(0);
    expect(analysis.unmappedChannels.map((c) => c.value).every((v) => ['amazon-de', 'tiktok-shop'].includes(v))).toBe(true);
    // The counts in the analysis are the counts in the items, computed independently here.
    const skuCount = await scalar(
      app.pool,
      `SELECT count(*)::int FROM sync_item, unnest(unmapped_skus) s WHERE execution_id = $1 AND s = $2`,
      [execution.id, analysis.unmappedSkus[0]!.value],
    );
    expect(analysis.unmappedSkus[0]!.count).toBe(skuCount);
    expect(analysis.topErrors.some((e) => e.message.startsWith('Invalid field'))).toBe(true);
    expect(analysis.topErrors.some((e) => e.message.startsWith('Unmapped channel "'))).toBe(true);
  });

  it('a fatal source error fails the run with its category and hint, and leaves the cursor', async () => {
    const execution = await app.engine.run({ integrationKey: 'broken', domainType: 'sales_orders' });
    expect(execution.status).toBe('failed');
    expect(execution.error).toEqual({
      category: 'authentication',
      message: 'Demo source failed on page 2 (fail_at_page is set)',
      hint: 'Authentication failed: update the integration credentials.',
    });
    expect(execution.successCount).toBe(20); // page 1 was committed before page 2 failed
    expect(await cursorOf(app.pool, 'broken', 'sales_orders')).toBeNull();
  });

  it('a run where every item fails is failed, and says so in its error', async () => {
    const execution = await app.engine.run({ integrationKey: 'unmapped', domainType: 'sales_orders' });
    expect(execution).toMatchObject({ status: 'failed', successCount: 0, skippedCount: 0 });
    expect(execution.error).toMatchObject({ category: 'items_failed', message: `Every one of the ${execution.failedCount} items failed; nothing was saved` });
    expect(execution.failedCount).toBe(execution.recordsFetched);
  });

  it('a dry run records mapped items, writes no domain rows, and leaves the cursor', async () => {
    await app.admin.reset('clean', { domainType: 'warehouse_inventory', actor: 'tester' });
    const before = await scalar(app.pool, 'SELECT count(*)::int FROM inventory_level');
    const execution = await app.engine.run({ integrationKey: 'clean', domainType: 'warehouse_inventory', dryRun: true });
    expect(execution).toMatchObject({ status: 'success', dryRun: true, trigger: 'full_resync' });
    expect(await itemStatusCounts(app.pool, execution.id)).toEqual({ mapped: 2 });
    expect(await scalar(app.pool, 'SELECT count(*)::int FROM inventory_level')).toBe(before);
    expect(await cursorOf(app.pool, 'clean', 'warehouse_inventory')).toBeNull();
  });

  it('shows aggregate items as processing while their page is in flight', async () => {
    let seen: Record<string, number> = {};
    hooks.pageStaged = async (id) => {
      seen = await itemStatusCounts(app.pool, id);
      hooks.pageStaged = undefined;
    };
    const execution = await app.engine.run({ integrationKey: 'clean', domainType: 'warehouse_inventory' });
    expect(seen).toEqual({ processing: 2 });
    expect(await itemStatusCounts(app.pool, execution.id)).toEqual({ success: 2 });
  });

  it('a person can cancel a running sync: it stops after the page and keeps the cursor', async () => {
    hooks.pageCommitted = async (id, page) => {
      if (page === 1) await app.syncs.cancel(id, 'ops-lead');
    };
    const execution = await app.engine.run({ integrationKey: 'slow', domainType: 'sales_orders' });
    hooks.pageCommitted = undefined;
    expect(execution.status).toBe('cancelled');
    expect(execution.recordsFetched).toBeLessThan(64);
    expect(await cursorOf(app.pool, 'slow', 'sales_orders')).toBeNull();
    expect(await scalar(app.pool, `SELECT actor FROM audit_event WHERE action = 'execution.cancel'`)).toBe('ops-lead');
  });

  it('a queued run that has not started is cancelled outright', async () => {
    const integration = (await app.repositories.integrations.findByKey('clean'))!;
    const id = await app.store.createExecution({ integrationId: integration.id, domainType: 'sales_orders', trigger: 'manual', dryRun: false, triggeredBy: null });
    expect((await app.executions.get(id)).status).toBe('queued');
    expect(await app.syncs.cancel(id, 'ops')).toMatchObject({ outcome: 'cancelled', execution: { status: 'cancelled' } });
    // Once it has ended there is nothing to cancel: refused, and not audited again.
    const audited = await scalar(app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'execution.cancel'`);
    await expect(app.syncs.cancel(id, 'ops')).rejects.toMatchObject({ code: 'not_cancellable', details: { status: 'cancelled' } });
    await expect(app.syncs.cancel(999_999, 'ops')).rejects.toMatchObject({ code: 'unknown_execution' });
    expect(await scalar(app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'execution.cancel'`)).toBe(audited);
  });

  it('an aborted run (process stopping) ends interrupted', async () => {
    const controller = new AbortController();
    hooks.pageCommitted = () => controller.abort();
    const execution = await app.engine.run({ integrationKey: 'slow', domainType: 'sales_orders', signal: controller.signal });
    hooks.pageCommitted = undefined;
    expect(execution.status).toBe('interrupted');
    expect(execution.error?.category).toBe('interrupted');
    expect(await cursorOf(app.pool, 'slow', 'sales_orders')).toBeNull();
  });

  it('refuses a second concurrent run of the same integration and domain, naming the running one', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runningId = 0;
    hooks.pageCommitted = async (id) => {
      if (runningId && id !== runningId) return;
      runningId = id;
      await gate;
    };
    const first = app.engine.run({ integrationKey: 'slow', domainType: 'sales_orders' });
    while (!runningId) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = app.engine.run({ integrationKey: 'slow', domainType: 'sales_orders' });
    await expect(second).rejects.toThrow(RunRefused);
    await expect(second).rejects.toThrow(`already running (execution #${runningId}`);
    // Another domain type of the same integration is not blocked.
    await expect(app.engine.run({ integrationKey: 'slow', domainType: 'warehouse_inventory' })).resolves.toMatchObject({ status: 'success' });
    hooks.pageCommitted = undefined;
    release();
    expect((await first).status).toBe('success');
  });
});
