import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog, writeTemp } from '../support/fixtures.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('tether schedule, sync --queue', () => {
  let app: TestApp;
  const cli = cliRunner(() => app.config.databaseUrl);

  beforeAll(async () => {
    app = await startTestApp();
    const file = await writeTemp(
      'integrations.yml',
      `
- key: hourly
  name: Hourly
  connector: demo
  domains: [sales_orders]
  config: { orders: 5, page_size: 5, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 }
  schedule: { cron: "0 * * * *", timezone: Europe/Berlin }
- key: weekdays
  name: Weekdays
  connector: demo
  domains: [sales_orders]
  schedule: { cron: "0 6 * * 1-5", timezone: America/New_York }
`,
    );
    expect((await cli('integrations', 'apply', file)).stdout).toContain('Schedules: hourly/sales_orders, weekdays/sales_orders');
  });
  afterAll(async () => app?.destroy());

  it('previews a cron in its timezone, the UTC instant alongside, one run a line (DST-correct); --json gives UTC instants', async () => {
    const spring = await cli('schedule', 'preview', '30 2 * * *', '--tz', 'America/New_York', '--from', '2026-03-07T00:00:00Z', '--next', '3');
    expect(spring).toEqual({
      code: 0,
      stdout: ['2026-03-07 02:30 EST (07:30 UTC)', '2026-03-08 03:30 EDT (07:30 UTC)', '2026-03-09 02:30 EDT (06:30 UTC)'].join('\n'),
      stderr: '',
    });
    const fall = await cli('schedule', 'preview', '30 2 * * *', '--tz', 'Europe/Berlin', '--from', '2026-10-24T00:00:00Z', '--next', '3');
    expect(fall.stdout.split('\n')).toEqual(['2026-10-24 02:30 CEST (00:30 UTC)', '2026-10-25 02:30 CEST (00:30 UTC)', '2026-10-26 02:30 CET (01:30 UTC)']);
    const json = await cli('schedule', 'preview', '30 2 * * *', '--tz', 'Europe/Berlin', '--from', '2026-10-24T00:00:00Z', '--next', '3', '--json');
    expect(JSON.parse(json.stdout)).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    const utc = (await cli('schedule', 'preview', '0 6 * * *', '--tz', 'UTC')).stdout.split('\n');
    expect(utc).toHaveLength(5);
    for (const line of utc) expect(line).toMatch(/^\d{4}-\d\d-\d\d 06:00 UTC$/);
  });

  it('rejects a bad cron or timezone with the reason, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['schedule', 'preview', '61 * * * *', '--tz', 'UTC'], /Cannot preview: invalid cron "61 \* \* \* \*"/],
      [['schedule', 'preview', '0 6 * * *', '--tz', 'Mars/Olympus'], /unknown timezone "Mars\/Olympus"/],
      [['schedule', 'preview', '0 6 * *', '--tz', 'UTC'], /needs 5 fields/],
      [['schedule', 'preview'], /Give the cron expression to preview/],
      [['schedule', 'preview', '0 6 * * *', '--from', 'yesterday'], /--from must be an ISO-8601 instant/],
      [['schedule', 'nope'], /Unknown integration "nope"/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(...argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toMatch(message);
    }
    const badFile = await writeTemp('bad.yml', '- { key: x, name: X, connector: demo, domains: [sales_orders], schedule: { cron: "0 25 * * *", timezone: UTC } }');
    const applied = await cli('integrations', 'apply', badFile);
    expect(applied.code).toBe(2);
    expect(applied.stderr).toMatch(/schedule invalid cron "0 25 \* \* \*"/);
  });

  it('shows an integration schedule: description, last/next sync, and why it is stale', async () => {
    await app.pool.query(`UPDATE integration SET updated_at = now() - interval '1 day' WHERE key = 'hourly'`);
    const view = JSON.parse((await cli('schedule', 'hourly', '--next', '3', '--json')).stdout);
    expect(view).toMatchObject({
      integration: 'hourly',
      cron: '0 * * * *',
      timezone: 'Europe/Berlin',
      description: 'Every hour (Europe/Berlin)',
      lastSyncAt: null,
      stale: true,
      reasons: ['no worker has ever run: start one with tether worker'],
      reasonCodes: ['no_worker'],
      warnings: [],
      warningCodes: [],
      worker: { state: 'never', lastSeenAt: null, stoppedAt: null },
    });
    expect(view.nextRuns).toHaveLength(3);
    expect(view.nextSyncAt).toBe(view.nextRuns[0]);
    expect(new Date(view.nextRuns[1]).getTime() - new Date(view.nextRuns[0]).getTime()).toBe(3_600_000);

    const text = (await cli('schedule', 'weekdays')).stdout;
    expect(text).toContain('Means      At 06:00, Monday through Friday (America/New_York)');
    expect(text).toContain('Last sync  never');
    expect(text).toContain('Workers    none has ever run');
    // Times in the integration's zone, the UTC instant alongside: 06:00 New York is 11:00 UTC (EST) or 10:00 UTC (EDT).
    const weekdays = JSON.parse((await cli('schedule', 'weekdays', '--json')).stdout);
    const nextLine = text.split('\n').find((line) => line.startsWith('  Next sync  '));
    const [utcDate, utcTime] = [weekdays.nextSyncAt.slice(0, 10), weekdays.nextSyncAt.slice(11, 16)];
    expect(nextLine).toBe(`  Next sync  ${utcDate} 06:00 ${utcTime === '11:00' ? 'EST' : 'EDT'} (${utcTime} UTC)`);
    expect(['10:00', '11:00']).toContain(utcTime);
  });

  it('after a worker ran and stopped cleanly: "stopped at", not "never"; a fresh schedule has no reasons, only warnings', async () => {
    const scheduler = await app.scheduler.get();
    try {
      await seedCatalog(app, 'hourly');
      const worker = await scheduler.startWorker();
      expect(await cli('sync', 'hourly')).toMatchObject({ code: 0, stderr: '' });
      const running = JSON.parse((await cli('schedule', 'hourly', '--json')).stdout);
      expect(running).toMatchObject({ stale: false, reasons: [], warnings: [], worker: { state: 'alive', stoppedAt: null } });
      expect(Date.now() - new Date(running.lastSyncAt).getTime()).toBeLessThan(60_000);
      expect((await cli('schedule', 'hourly')).stdout).toMatch(/\n {2}Workers {4}alive \(last heartbeat \d{4}-\d\d-\d\d \d\d:\d\d CES?T \((\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\)\)$/m);
      await worker.stop();

      const stoppedAt: Date = (await app.pool.query(`SELECT stopped_at FROM worker_heartbeat WHERE id = $1`, [worker.id])).rows[0].stopped_at;
      expect(stoppedAt).toBeInstanceOf(Date);
      const view = JSON.parse((await cli('schedule', 'hourly', '--json')).stdout);
      expect(view).toMatchObject({
        stale: false,
        reasons: [],
        reasonCodes: [],
        warnings: [`no worker alive, the last one stopped at ${stoppedAt.toISOString()}: start one with tether worker`],
        warningCodes: ['no_worker'],
        worker: { state: 'down', stoppedAt: stoppedAt.toISOString() },
      });
      const text = (await cli('schedule', 'hourly')).stdout;
      expect(text).not.toContain('never');
      expect(text).not.toContain('STALE');
      expect(text).toMatch(/\n {2}Workers {4}none alive; the last one stopped at \d{4}-\d\d-\d\d \d\d:\d\d CES?T \((\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\)$/m);
      expect(text).toMatch(/\n {2}Warnings {3}no worker alive, the last one stopped at .+ CES?T \(.+ UTC\): start one with tether worker$/);

      // A newer worker that vanished without stopping (killed) five minutes ago, after the clean stop (moved back ten):
      // "last seen", "did not stop cleanly".
      await app.pool.query(`UPDATE worker_heartbeat SET last_seen_at = last_seen_at - interval '10 minutes', stopped_at = stopped_at - interval '10 minutes'`);
      const killedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000);
      await scheduler.heartbeats.beat('killed-worker', 'host', 1, killedAt);
      const vanished = JSON.parse((await cli('schedule', 'hourly', '--json')).stdout);
      expect(vanished.worker).toEqual({ state: 'down', lastSeenAt: killedAt.toISOString(), stoppedAt: null });
      expect(vanished.warnings).toEqual([`no worker alive, the last one was last seen at ${killedAt.toISOString()} and did not stop cleanly: start one with tether worker`]);
    } finally {
      await scheduler.close();
    }
  });

  it('queues a run for a worker: the execution exists at once, status queued', async () => {
    const queued = JSON.parse((await cli('sync', 'hourly', '--queue', '--json', '--by', 'dana')).stdout);
    expect(queued.queued).toHaveLength(1);
    expect(await app.executions.get(queued.queued[0])).toMatchObject({ status: 'queued', trigger: 'manual', triggeredBy: 'dana' });
    expect((await cli('sync', 'hourly', '--queue')).stdout).toMatch(/^Queued: execution #\d+ \(a worker runs it/);
  });
});
