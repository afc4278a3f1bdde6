import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationSpec } from '../../src/config/integrations-file.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { spawnCli } from '../support/cli-process.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { schedulerBackends } from '../support/scheduler-backends.js';
import { until } from '../support/until.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const tiny = { orders: 6, page_size: 3, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };
const PAIRS = 20;
const RUNS_PER_PAIR = 10;


/** Worker processes (`tether worker`) sharing one database. */
for (const backend of schedulerBackends(process.env)) {
  // A backend with no server here is not registered at all (and says why): never a skipped test.
  if (backend.unavailable) {
    console.warn(`worker suite on ${backend.name} not run: ${backend.unavailable}`);
    continue;
  }

  describe(`worker processes on ${backend.name}`, () => {
    let app: TestApp;
    let scheduler: Scheduler;
    const workerEnv = {
      WORKER_POLL_MS: '200',
      WORKER_LOCK_LIFETIME_MS: '3000',
      WORKER_CONCURRENCY: '4',
      ...(backend.mongoUrl ? { AGENDA_MONGO_URL: backend.mongoUrl } : {}),
    };
    const startWorker = (env: Record<string, string> = {}) => spawnCli(['worker'], app.config.databaseUrl, { ...workerEnv, ...env });
    const statuses = (ids: number[]) =>
      app.pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM sync_execution WHERE id = ANY($1) GROUP BY status`, [ids]).then((r) =>
        Object.fromEntries(r.rows.map((row) => [row.status, row.n])),
      );
    const enqueue = async (key: string, domainType: 'sales_orders' | 'warehouse_inventory' = 'sales_orders') => {
      const integration = (await app.repositories.integrations.findByKey(key))!;
      return scheduler.enqueue({ integrationId: integration.id, integrationKey: key, domainType, requestedBy: 'test', dryRun: false });
    };

    beforeAll(async () => {
      app = await startTestApp();
      const specs: IntegrationSpec[] = [
        ...Array.from({ length: PAIRS }, (_, i) => demoSpec({ key: `shop-${i}`, domains: ['sales_orders'], config: tiny })),
        // Slow runs (20 pages, 150 ms each) to kill or drain mid-run; one per test so each is a full fetch.
        ...['slow-kill', 'slow-drain', 'slow-stop'].map((key) =>
          demoSpec({ key, domains: ['sales_orders'], config: { ...tiny, orders: 60, page_size: 3, page_delay_ms: 150 } }),
        ),
      ];
      await app.integrations.apply(specs, { actor: 'test' });
      for (const spec of specs) await seedCatalog(app, spec.key);
      scheduler = await app.scheduler.get();
    });
    afterAll(async () => {
      await scheduler?.close();
      await app?.destroy();
    });

    it(`two workers run ${PAIRS * RUNS_PER_PAIR} queued runs: each exactly once, never two of a pair at once`, async () => {
      const workers = [startWorker(), startWorker()];
      const ids: number[] = [];
      for (let run = 0; run < RUNS_PER_PAIR; run += 1) for (let pair = 0; pair < PAIRS; pair += 1) ids.push(await enqueue(`shop-${pair}`));
      await until('every queued run to finish', () => statuses(ids), (s) => s.success === ids.length, 90_000);
      for (const worker of workers) worker.kill('SIGTERM');
      const exits = await Promise.all(workers.map((worker) => worker.output));
      expect(exits.map((exit) => exit.code)).toEqual([0, 0]);

      const { rows } = await app.pool.query<{ id: number; integration_id: number; runner: string; started_at: Date; finished_at: Date; records_fetched: number }>(
        `SELECT id, integration_id, runner, started_at, finished_at, records_fetched FROM sync_execution WHERE id = ANY($1) ORDER BY integration_id, started_at`,
        [ids],
      );
      expect(rows).toHaveLength(ids.length);
      // No other execution was created for these pairs: nothing ran twice under another id.
      expect(Number((await app.pool.query(`SELECT count(*) FROM sync_execution`)).rows[0].count)).toBe(ids.length);
      for (let i = 1; i < rows.length; i += 1) {
        if (rows[i]!.integration_id === rows[i - 1]!.integration_id) expect(rows[i]!.started_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.finished_at.getTime());
      }
      expect(new Set(rows.map((row) => row.runner.split(':')[1])).size).toBe(2); // both workers took a share
    }, 120_000);

    it("a SIGKILLed worker's run is picked up by the other after its lock lifetime; the dead run is interrupted", async () => {
      const first = startWorker();
      const id = await enqueue('slow-kill');
      const running = await until('the first worker to start the run', () => app.executions.get(id), (e) => e?.status === 'running');
      expect(running!.recordsFetched).toBeLessThan(63);
      const second = startWorker();
      first.kill('SIGKILL');
      await first.output;
      const retried = await until(
        'the retry by the second worker',
        () => app.pool.query(`SELECT id, status, trigger FROM sync_execution WHERE id > $1 ORDER BY id`, [id]).then((r) => r.rows),
        (rows) => rows.some((row) => row.status === 'success'),
      );
      expect(retried).toEqual([{ id: id + 1, status: 'success', trigger: 'retry' }]);
      expect((await app.executions.get(id))!).toMatchObject({ status: 'interrupted', error: { category: 'interrupted' } });
      second.kill('SIGTERM');
      expect((await second.output).code).toBe(0);
    }, 60_000);

    it('SIGTERM drains: a running sync finishes; past the grace period it ends interrupted', async () => {
      const patient = startWorker({ WORKER_DRAIN_GRACE_MS: '60000' });
      const finishes = await enqueue('slow-drain');
      await until('the run to start', () => app.executions.get(finishes), (e) => e?.status === 'running');
      patient.kill('SIGTERM');
      expect((await patient.output).code).toBe(0);
      expect((await app.executions.get(finishes))!.status).toBe('success');

      const hasty = startWorker({ WORKER_DRAIN_GRACE_MS: '200' });
      const stopped = await enqueue('slow-stop');
      await until('the run to start', () => app.executions.get(stopped), (e) => e?.status === 'running');
      hasty.kill('SIGTERM');
      expect((await hasty.output).code).toBe(0);
      expect((await app.executions.get(stopped))!).toMatchObject({ status: 'interrupted' });
    }, 60_000);
  });
}
