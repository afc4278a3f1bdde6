import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/fake-slack.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { SIGNING_SECRET } from '../support/slack-bot.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const clean = { unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };

/** `npm start` as a real process (the program itself, or through npm); its JSON log lines and the port it serves /healthz on. */
function startMain(env: Record<string, string>, { throughNpm = false } = {}) {
  const childEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TETHER_MODE: 'test', LOG_LEVEL: 'info', PORT: '0', WORKER_POLL_MS: '200', ...env };
  const child = throughNpm
    ? spawn('npm', ['start', '--silent'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--import', 'tsx', MAIN], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const port = async () => {
    const running = await until('the process to start', async () => lines().find((line) => String(line.msg).startsWith('tether running')), Boolean, 90_000);
    return running!.port as number;
  };
  return { child, exited, lines, port, output: () => output };
}

describe('graceful shutdown of npm start (a real process)', () => {
  let app: TestApp;
  let slack: FakeSlack;

  beforeAll(async () => {
    app = await startTestApp();
    slack = new FakeSlack();
    await slack.start();
    await app.integrations.apply(
      [
        // ~20 pages of 300 ms: a run that is still going when SIGTERM arrives.
        demoSpec({ key: 'steady', domains: ['sales_orders'], schedule: null, slackChannel: 'C0OPS0001', notify: 'always', config: { orders: 60, page_size: 3, page_delay_ms: 300, ...clean } }),
        demoSpec({ key: 'endless', domains: ['sales_orders'], schedule: null, config: { orders: 600, page_size: 3, page_delay_ms: 1000, ...clean } }),
      ],
      { actor: 'test' },
    );
    await seedCatalog(app, 'steady');
    await seedCatalog(app, 'endless');
  });
  afterAll(async () => {
    await slack?.stop();
    await app?.destroy();
  });

  const status = (id: number) => scalar<string>(app.pool, `SELECT status FROM sync_execution WHERE id = $1`, [id]);

  it('SIGTERM: /healthz turns 503, no new jobs are taken, the running sync finishes, its summary reaches Slack, then the process exits 0', { timeout: 180_000 }, async () => {
    const main = startMain({ DATABASE_URL: app.config.databaseUrl, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, WORKER_DRAIN_GRACE_MS: '60000' });
    const port = await main.port();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const [run] = await app.syncs.queue({ integrationKey: 'steady', actor: 'test' });
    await until('the run to start', () => status(run!.executionId), (s) => s === 'running', 30_000);

    main.child.kill('SIGTERM');
    const draining = await until('/healthz to say it is stopping', async () => fetch(`http://127.0.0.1:${port}/healthz`).then(async (r) => ({ status: r.status, body: await r.json() })), (r) => r.status === 503, 20_000);
    expect(draining.body).toMatchObject({ stopping: true, problems: ['shutting down'] });
    // Queued after SIGTERM: left for another worker.
    const [late] = await app.syncs.queue({ integrationKey: 'steady', actor: 'test' });

    expect(await main.exited).toBe(0);
    expect(await status(run!.executionId)).toBe('success');
    expect(await status(late!.executionId)).toBe('queued');
    // The outbox was flushed before the exit: the run's message in Slack shows the summary.
    const undelivered = await scalar<number>(app.pool, `SELECT count(*)::int FROM slack_message WHERE execution_id = $1 AND delivered_version < version`, [run!.executionId]);
    expect(undelivered).toBe(0);
    expect(slack.messages('C0OPS0001').some((m) => (m.text ?? '').includes(`#${run!.executionId}`) && /^:white_check_mark:/.test(m.text ?? ''))).toBe(true);
    const stoppedAt = await scalar<Date | null>(app.pool, `SELECT max(stopped_at) FROM worker_heartbeat`);
    expect(stoppedAt).not.toBeNull();
    expect(main.lines().map((line) => line.msg)).toEqual(expect.arrayContaining(['worker stopped', 'stopped']));
    // Log lines of the run carry its execution id, integration and domain type.
    const runLines = main.lines().filter((line) => line.executionId === run!.executionId);
    expect(runLines.length).toBeGreaterThanOrEqual(2);
    for (const line of runLines) expect(line).toMatchObject({ integration: 'steady', domainType: 'sales_orders' });
    // Take the late run off the queue for the next test.
    await app.pool.query(`UPDATE sync_execution SET status = 'cancelled', finished_at = now() WHERE id = $1`, [late!.executionId]);
  });

  it('SIGTERM with a sync longer than WORKER_DRAIN_GRACE_MS: it ends interrupted and the process still exits 0 (worker role)', { timeout: 180_000 }, async () => {
    const main = startMain({ DATABASE_URL: app.config.databaseUrl, TETHER_ROLE: 'worker', WORKER_DRAIN_GRACE_MS: '500' });
    await main.port();
    const [run] = await app.syncs.queue({ integrationKey: 'endless', actor: 'test' });
    await until('the run to start', () => status(run!.executionId), (s) => s === 'running', 30_000);
    const sent = Date.now();
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    expect(Date.now() - sent).toBeLessThan(15_000);
    expect(await status(run!.executionId)).toBe('interrupted');
  });

  it('SIGTERM sent to `npm start` itself (what a process manager does) stops the program too, cleanly', { timeout: 180_000 }, async () => {
    const main = startMain({ DATABASE_URL: app.config.databaseUrl, TETHER_ROLE: 'worker' }, { throughNpm: true });
    const port = await main.port();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const program = main.lines().find((line) => typeof line.pid === 'number')!.pid as number;
    const npmExited = new Promise((resolve) => main.child.once('exit', resolve));
    main.child.kill('SIGTERM');
    await npmExited;
    try {
      // npm used to exit at once and leave the program running (its shell did not pass the signal on).
      const refused = await until(
        'the program to stop',
        async () => fetch(`http://127.0.0.1:${port}/healthz`).then(() => false, () => true),
        Boolean,
        15_000,
      );
      expect(refused).toBe(true);
      await main.exited;
      expect(main.lines().some((line) => line.msg === 'stopped' && line.signal === 'SIGTERM')).toBe(true);
    } finally {
      try {
        process.kill(program, 'SIGKILL'); // only if it outlived the test
      } catch {
        // already gone
      }
    }
  });
});
