import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationSpec } from '../../src/config/integrations-file.js';
import { nextRuns } from '../../src/domain/schedule.js';
import { Scheduler, type Worker } from '../../src/scheduler/scheduler.js';
import { SYNC_JOB, type SyncJobData } from '../../src/scheduler/sync-job.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { schedulerBackends } from '../support/scheduler-backends.js';
import { scalar } from '../support/queries.js';
import { until } from '../support/until.js';
import { startTestApp, testConfig, type TestApp } from '../support/test-app.js';

const tiny = { orders: 5, page_size: 5, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };


for (const backend of schedulerBackends(process.env)) {
  // A backend with no server here is not registered at all (and says why): never a skipped test.
  if (backend.unavailable) {
    console.warn(`scheduler suite on ${backend.name} not run: ${backend.unavailable}`);
    continue;
  }

  describe(`scheduler on ${backend.name}`, () => {
    let app: TestApp;
    let scheduler: Scheduler;
    let worker: Worker | null = null;
    const specs: IntegrationSpec[] = [
      demoSpec({ key: 'berlin', domains: ['sales_orders'], config: tiny, schedule: { cron: '0 6 * * 1-5', timezone: 'Europe/Berlin' } }),
      demoSpec({ key: 'newyork', config: tiny, schedule: { cron: '30 2 * * *', timezone: 'America/New_York' } }),
      demoSpec({ key: 'manual-only', domains: ['sales_orders'], config: tiny }),
    ];

    beforeAll(async () => {
      const base = testConfig();
      app = await startTestApp({ config: { ...base, scheduler: { ...base.scheduler, mongoUrl: backend.mongoUrl, pollMs: 200 } } });
      await app.integrations.apply(specs, { actor: 'test' });
      for (const spec of specs) await seedCatalog(app, spec.key);
      scheduler = await app.scheduler.get();
    });
    afterAll(async () => {
      await worker?.stop();
      await scheduler?.close();
      await app?.destroy();
    });

    const scheduleJobs = async () =>
      (await scheduler.agenda.queryJobs({ name: SYNC_JOB, data: { kind: 'schedule' } })).jobs
        .map((job) => ({ ...(job.data as SyncJobData), cron: job.repeatInterval, timezone: job.repeatTimezone, nextRunAt: job.nextRunAt }))
        .sort((a, b) => `${a.integrationKey}/${a.domainType}`.localeCompare(`${b.integrationKey}/${b.domainType}`));

    it('keeps one repeating job per integration x domain type, in its own timezone', async () => {
      const result = await scheduler.reconcile();
      expect(result.scheduled).toEqual(['berlin/sales_orders', 'newyork/sales_orders', 'newyork/warehouse_inventory']);
      const jobs = await scheduleJobs();
      expect(jobs.map((job) => [job.integrationKey, job.domainType, job.cron, job.timezone])).toEqual([
        ['berlin', 'sales_orders', '0 6 * * 1-5', 'Europe/Berlin'],
        ['newyork', 'sales_orders', '30 2 * * *', 'America/New_York'],
        ['newyork', 'warehouse_inventory', '30 2 * * *', 'America/New_York'],
      ]);
      const [expected] = nextRuns('0 6 * * 1-5', 'Europe/Berlin', new Date(), 1);
      expect(new Date(jobs[0]!.nextRunAt!).toISOString()).toBe(expected!.toISOString());
      // Reconciling again changes nothing.
      await scheduler.reconcile();
      expect(await scheduleJobs()).toHaveLength(3);
    });

    it('applies schedule changes without a restart, and disabling removes the job', async () => {
      const changed = specs.map((spec) =>
        spec.key === 'berlin' ? { ...spec, schedule: { cron: '15 7 * * *', timezone: 'Asia/Tokyo' } } : spec.key === 'newyork' ? { ...spec, enabled: false } : spec,
      );
      // The apply pipeline reconciles the schedules itself.
      expect((await app.integrations.apply(changed, { actor: 'test' })).schedules).toEqual(['berlin/sales_orders']);
      expect(await scheduler.reconcile()).toEqual({ scheduled: ['berlin/sales_orders'], removed: 0 });
      expect(await scheduleJobs()).toHaveLength(1);
      const [berlin] = await scheduleJobs();
      expect([berlin!.cron, berlin!.timezone]).toEqual(['15 7 * * *', 'Asia/Tokyo']);
      expect(new Date(berlin!.nextRunAt!).toISOString()).toBe(nextRuns('15 7 * * *', 'Asia/Tokyo', new Date(), 1)[0]!.toISOString());
      await app.integrations.apply(specs, { actor: 'test' });
      await scheduler.reconcile();
    });

    it('a worker runs a due scheduled job as `scheduled`, and the first run after a reset as `full_resync`', async () => {
      worker = await scheduler.startWorker();
      const fire = () =>
        scheduler.agenda
          .create<SyncJobData>(SYNC_JOB, { integrationKey: 'berlin', domainType: 'sales_orders', kind: 'schedule' })
          .repeatEvery('0 6 * * 1-5', { timezone: 'Europe/Berlin' })
          .unique({ 'data.integrationKey': 'berlin', 'data.domainType': 'sales_orders', 'data.kind': 'schedule' })
          .schedule(new Date())
          .save();
      const count = () => scalar(app.pool, `SELECT count(*)::int FROM sync_execution e JOIN integration i ON i.id = e.integration_id WHERE i.key = 'berlin' AND e.status = 'success'`);
      await fire();
      await until('the scheduled run', count, (n) => n === 1);
      await app.admin.reset('berlin', { domainType: 'sales_orders', actor: 'tester' });
      await fire();
      await until('the run after the reset', count, (n) => n === 2);
      const { rows } = await app.pool.query(
        `SELECT e.trigger, e.triggered_by FROM sync_execution e JOIN integration i ON i.id = e.integration_id WHERE i.key = 'berlin' ORDER BY e.id`,
      );
      expect(rows).toEqual([
        { trigger: 'scheduled', triggered_by: 'scheduler' },
        { trigger: 'full_resync', triggered_by: 'scheduler' },
      ]);
      // After running, the job is due again at the cron's next instant.
      const [berlin] = await scheduleJobs();
      expect(new Date(berlin!.nextRunAt!).toISOString()).toBe(nextRuns('0 6 * * 1-5', 'Europe/Berlin', new Date(), 1)[0]!.toISOString());
    });

    it('runs queued runs on the worker with the execution created when they were asked for; a busy pair waits', async () => {
      const integration = (await app.repositories.integrations.findByKey('manual-only'))!;
      const ids: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        ids.push(await scheduler.enqueue({ integrationId: integration.id, integrationKey: 'manual-only', domainType: 'sales_orders', requestedBy: 'ops', dryRun: false }));
      }
      const statuses = await until(
        'the queued runs',
        async () => Promise.all(ids.map(async (id) => (await app.executions.get(id))!.status)),
        (all) => all.every((status) => status === 'success'),
      );
      expect(statuses).toEqual(['success', 'success', 'success']);
      const { rows } = await app.pool.query(`SELECT id, trigger, triggered_by, started_at, finished_at FROM sync_execution WHERE id = ANY($1) ORDER BY started_at`, [ids]);
      expect(rows.map((row) => [row.trigger, row.triggered_by])).toEqual([['manual', 'ops'], ['manual', 'ops'], ['manual', 'ops']]);
      for (let i = 1; i < rows.length; i += 1) expect(rows[i].started_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1].finished_at.getTime());
    });

    it('a queued run cancelled before a worker takes it never runs', async () => {
      await worker!.stop();
      worker = null;
      const integration = (await app.repositories.integrations.findByKey('manual-only'))!;
      const id = await scheduler.enqueue({ integrationId: integration.id, integrationKey: 'manual-only', domainType: 'sales_orders', requestedBy: 'ops', dryRun: false });
      await app.syncs.cancel(id, 'ops');
      worker = await scheduler.startWorker();
      await until('the queue to empty', async () => (await scheduler.agenda.queryJobs({ name: SYNC_JOB, data: { kind: 'queued' } })).total, (n) => n === 0);
      expect((await app.executions.get(id))!).toMatchObject({ status: 'cancelled', startedAt: null });
    });
  });
}
