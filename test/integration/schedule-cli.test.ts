import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTemp } from '../support/fixtures.js';
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

  it('previews a cron in a timezone as UTC instants, one per line (DST-correct)', async () => {
    const spring = await cli('schedule', 'preview', '30 2 * * *', '--tz', 'America/New_York', '--from', '2026-03-07T00:00:00Z', '--next', '3');
    expect(spring).toEqual({ code: 0, stdout: '2026-03-07T07:30:00.000Z\n2026-03-08T07:30:00.000Z\n2026-03-09T06:30:00.000Z', stderr: '' });
    const fall = await cli('schedule', 'preview', '30 2 * * *', '--tz', 'Europe/Berlin', '--from', '2026-10-24T00:00:00Z', '--next', '3');
    expect(fall.stdout.split('\n')).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    expect((await cli('schedule', 'preview', '0 6 * * *', '--tz', 'UTC')).stdout.split('\n')).toHaveLength(5);
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
    });
    expect(view.nextRuns).toHaveLength(3);
    expect(view.nextSyncAt).toBe(view.nextRuns[0]);
    expect(new Date(view.nextRuns[1]).getTime() - new Date(view.nextRuns[0]).getTime()).toBe(3_600_000);

    const text = (await cli('schedule', 'weekdays')).stdout;
    expect(text).toContain('Means      At 06:00, Monday through Friday (America/New_York)');
    expect(text).toContain('Last sync  never');
  });

  it('queues a run for a worker: the execution exists at once, status queued', async () => {
    const queued = JSON.parse((await cli('sync', 'hourly', '--queue', '--json', '--by', 'dana')).stdout);
    expect(queued.queued).toHaveLength(1);
    expect(await app.executions.get(queued.queued[0])).toMatchObject({ status: 'queued', trigger: 'manual', triggeredBy: 'dana' });
    expect((await cli('sync', 'hourly', '--queue')).stdout).toMatch(/^Queued: execution #\d+ \(a worker runs it/);
  });
});
