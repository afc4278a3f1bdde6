import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { databaseExists, dropDatabase } from '../../src/db/database.js';
import { sweepLostQueuedRuns } from '../../src/scheduler/queued-runs.js';
import { spawnCli } from '../support/cli-process.js';
import { seedCatalog, writeTemp } from '../support/fixtures.js';
import { cursorOf, scalar } from '../support/queries.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, testDatabaseUrl, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

const clean = 'unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0, sku_count: 10';

/** Answers the CLI gives that scripts and people rely on: refusals, exit codes, what a run did to the cursor. */
describe('tether CLI answers', () => {
  let app: TestApp;
  const cli = cliRunner(() => app.config.databaseUrl);
  const audits = (action: string) => scalar<number>(app.pool, `SELECT count(*)::int FROM audit_event WHERE action = $1`, [action]);
  const statusOf = (id: number) => scalar<string>(app.pool, 'SELECT status FROM sync_execution WHERE id = $1', [id]);

  beforeAll(async () => {
    app = await startTestApp();
    const file = await writeTemp(
      'integrations.yml',
      `
- { key: shop, name: Shop, connector: demo, domains: [sales_orders], config: { orders: 40, page_size: 20, ${clean} } }
- { key: slow, name: Slow, connector: demo, domains: [sales_orders], config: { orders: 400, page_size: 10, page_delay_ms: 300, ${clean} } }
- { key: broken, name: Broken, connector: demo, domains: [sales_orders], config: { fail_at_page: 2, orders: 60, page_size: 20, ${clean} } }
- { key: off, name: Off, connector: demo, domains: [sales_orders], enabled: false, config: { orders: 5 } }
`,
    );
    expect((await cli('integrations', 'apply', file)).code).toBe(0);
    for (const key of ['shop', 'slow', 'broken']) await seedCatalog(app, key);
  });
  afterAll(async () => app?.destroy());

  it('a disabled integration does not run, now or queued; nothing is recorded', async () => {
    for (const argv of [['sync', 'off'], ['sync', 'off', '--queue']]) {
      const result = await cli(...argv);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toContain('error: Integration "off" is disabled (enabled: false)');
      expect(result.stderr).toContain('set enabled: true');
    }
    expect(await scalar(app.pool, `SELECT count(*)::int FROM sync_execution e JOIN integration i ON i.id = e.integration_id WHERE i.key = 'off'`)).toBe(0);
  });

  it('a mistyped database name is refused, not created; only migrate creates it', async () => {
    const missing = testDatabaseUrl();
    const onMissing = cliRunner(() => missing);
    const result = await onMissing('integrations', 'list');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Database "tether_test_\w+" does not exist on 127\.0\.0\.1:5432: check DATABASE_URL for a typo/);
    expect(result.stderr).toContain('tether migrate');
    expect(await databaseExists(missing)).toBe(false);
    try {
      expect((await onMissing('migrate')).stdout).toMatch(/^Applied: /);
      expect(await databaseExists(missing)).toBe(true);
      expect(await onMissing('integrations', 'list')).toMatchObject({ code: 0 });
    } finally {
      await dropDatabase(missing);
    }
  });

  it('the cursor line shows an advance only when the cursor moved: not for failed or dry runs', async () => {
    const dry = await cli('sync', 'shop', '--dry-run');
    expect(dry.stdout).toContain('Cursor     (empty: full fetch) (unchanged: dry run)');
    const failed = await cli('sync', 'broken');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Cursor     (empty: full fetch) (unchanged: run failed)');
    expect(JSON.parse((await cli('execution', failed.stdout.match(/Execution #(\d+)/)![1]!, '--json')).stdout)).toMatchObject({ status: 'failed' });
    const live = await cli('sync', 'shop');
    const cursor = await cursorOf(app.pool, 'shop', 'sales_orders');
    expect(live.stdout).toContain(`Cursor     (empty: full fetch) → ${cursor}`);
  });

  it('cancel: a finished run is refused without an audit entry; an unknown one too', async () => {
    const [run] = JSON.parse((await cli('sync', 'shop', '--json')).stdout);
    const before = await audits('execution.cancel');
    const finished = await cli('cancel', String(run.id), '--by', 'ops');
    expect(finished).toMatchObject({ code: 2, stderr: `error: Execution #${run.id} already ended (success); there is nothing to cancel` });
    expect(await cli('cancel', '999999', '--by', 'ops')).toMatchObject({ code: 2, stderr: 'error: No execution #999999' });
    expect(await audits('execution.cancel')).toBe(before);
  });

  it('sync --queue writes the execution and its job together; cancel of the queued run cancels it at once', async () => {
    const queued = JSON.parse((await cli('sync', 'shop', '--queue', '--json', '--by', 'dana')).stdout);
    expect(queued.queued).toHaveLength(1);
    const [id] = queued.queued as number[];
    expect(await scalar(app.pool, `SELECT count(*)::int FROM agenda_jobs WHERE (data->>'executionId')::int = $1`, [id])).toBe(1);
    expect(await cli('cancel', String(id), '--by', 'dana')).toMatchObject({ code: 0, stdout: `Execution #${id} was queued and is now cancelled.` });
    expect(await statusOf(id!)).toBe('cancelled');
  });

  it('a queued execution whose job was lost is marked failed by the sweep, with the reason; one with a job is left alone', async () => {
    const scheduler = await app.scheduler.get();
    const [withJob] = JSON.parse((await cli('sync', 'shop', '--queue', '--json')).stdout).queued as number[];
    const lost = await app.store.createExecution({
      integrationId: (await app.repositories.integrations.findByKey('shop'))!.id,
      domainType: 'sales_orders',
      trigger: 'manual',
      dryRun: false,
      triggeredBy: 'test',
    });
    await app.pool.query(`UPDATE sync_execution SET queued_at = now() - interval '5 minutes' WHERE id = ANY($1)`, [[lost, withJob]]);
    expect(await sweepLostQueuedRuns(scheduler.agenda, app.repositories.executions)).toEqual([lost]);
    expect(await statusOf(lost)).toBe('failed');
    expect(await scalar(app.pool, 'SELECT error_message FROM sync_execution WHERE id = $1', [lost])).toMatch(/^The queued run never started: its job was never handed to a worker/);
    expect(await statusOf(withJob!)).toBe('queued');
    expect(await audits('execution.queue_lost')).toBe(1);
    await cli('cancel', String(withJob), '--by', 'test');
  });

  it('exit codes: 3 when a run is interrupted (Ctrl-C), 4 when a person cancels it; reset is refused while it runs', async () => {
    const stopped = spawnCli(['sync', 'slow'], app.config.databaseUrl);
    const running = await until('a running slow sync', () => scalar<number | null>(app.pool, `SELECT max(id) FROM sync_execution WHERE status = 'running'`), (id) => id !== null);
    const reset = await cli('reset', 'slow', '--by', 'ops');
    expect(reset.code).toBe(2);
    expect(reset.stderr).toContain('error: A sales_orders sync of "slow" is running: wait for it or cancel it, then reset');
    stopped.kill('SIGINT');
    const interrupted = await stopped.output;
    expect(interrupted.code).toBe(3);
    expect(interrupted.stdout).toContain('Status     INTERRUPTED');
    expect(await statusOf(running!)).toBe('interrupted');

    const cancelled = spawnCli(['sync', 'slow'], app.config.databaseUrl);
    const id = await until('the next running slow sync', () => scalar<number | null>(app.pool, `SELECT max(id) FROM sync_execution WHERE status = 'running'`), (value) => value !== null && value !== running);
    expect((await cli('cancel', String(id), '--by', 'ops')).stdout).toBe(`Cancel requested: execution #${id} stops after its current page.`);
    const result = await cancelled.output;
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('Status     CANCELLED');
  });

  it('a foreground sync shows progress on a terminal, and none with --json or without a terminal', async () => {
    const lines: (string | null)[] = [];
    const env = { DATABASE_URL: app.config.databaseUrl, TETHER_MODE: 'test', LOG_LEVEL: 'silent' };
    const io = { out: () => {}, err: () => {}, progress: (line: string | null) => lines.push(line) };
    expect(await runCli(['sync', 'shop', '--dry-run'], env, io)).toBe(0);
    expect(lines.some((line) => line !== null && /^shop · sales_orders \(dry run\): /.test(line))).toBe(true);
    expect(lines.at(-1)).toBeNull(); // the line is cleared before the summary
    lines.length = 0;
    expect(await runCli(['sync', 'shop', '--dry-run', '--json'], env, io)).toBe(0);
    expect(lines.filter((line) => line !== null)).toEqual([]);
  });
});
