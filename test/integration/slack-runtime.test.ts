import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackBot } from '../../src/slack/bot.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { captureLog } from '../support/capture-log.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { SIGNING_SECRET, slackConfigFor, startSlackHarness } from '../support/slack-bot.js';
import { SlackHttpDriver } from '../support/slack-requests.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const clean = { unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };

/** `npm start` (src/main.ts) as a process: what it needs, what it says. */
function start(env: Record<string, string>, waitFor: RegExp | null, timeoutMs = 30_000) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TETHER_MODE: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const ready = waitFor
    ? until('the process to say it runs', async () => output, (text) => waitFor.test(text), timeoutMs)
    : Promise.resolve(output);
  return { child, exited, ready, output: () => output };
}

describe('the Slack bot at start-up and over Socket Mode', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
    await app.integrations.apply(
      [demoSpec({ key: 'shop', domains: ['sales_orders'], slackChannel: 'C0OPS0001', notify: 'always', schedule: null, config: { orders: 40, page_size: 10, ...clean } })],
      { actor: 'test' },
    );
    await seedCatalog(app, 'shop');
  });
  afterAll(async () => app?.destroy());

  it('npm start names a missing SLACK_BOT_TOKEN or signing secret, and exits 2; TETHER_ROLE=worker needs neither', async () => {
    const noToken = start({ DATABASE_URL: app.config.databaseUrl }, null);
    expect(await noToken.exited).toBe(2);
    expect(noToken.output()).toContain('SLACK_BOT_TOKEN is required');
    const noSecret = start({ DATABASE_URL: app.config.databaseUrl, SLACK_BOT_TOKEN: 'xoxb-1' }, null);
    expect(await noSecret.exited).toBe(2);
    expect(noSecret.output()).toContain('SLACK_SIGNING_SECRET is required for HTTP mode');
    const badRole = start({ DATABASE_URL: app.config.databaseUrl, TETHER_ROLE: 'everything' }, null);
    expect(await badRole.exited).toBe(2);
    expect(badRole.output()).toContain('TETHER_ROLE must be one of all, bot, worker');

    const worker = start({ DATABASE_URL: app.config.databaseUrl, TETHER_ROLE: 'worker', PORT: '0' }, /tether running \(worker\)/);
    await worker.ready;
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });

  it('npm start with a bad bot token keeps serving, and says so once, clearly', async () => {
    const slack = new FakeSlack({ botToken: 'xoxb-the-real-one' });
    const slackUrl = await slack.start();
    try {
      const bot = start(
        { DATABASE_URL: app.config.databaseUrl, TETHER_ROLE: 'bot', SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slackUrl, PORT: '0' },
        /Slack rejects SLACK_BOT_TOKEN/,
      );
      await bot.ready;
      expect(bot.output().match(/Slack rejects SLACK_BOT_TOKEN \(invalid_auth\)/g)).toHaveLength(1);
      expect(bot.output()).not.toContain('xoxb-revoked');
      expect(bot.child.exitCode).toBeNull(); // still running
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      await slack.stop();
    }
  });

  it('a scheduled run of an integration that announces every run gets a live message when it starts; the App Home of recent viewers is republished after', async () => {
    const slack = new FakeSlack();
    const slackUrl = await slack.start();
    const log = captureLog();
    const bot = createSlackBot(app.services, slackConfigFor(slackUrl), log, { backoff: { transientStartMs: 100 } });
    await bot.start();
    try {
      const http = new SlackHttpDriver(`http://127.0.0.1:${bot.address!.port}`, SIGNING_SECRET, slack);
      await http.event('app_home_opened', { user: 'U0VIEWER1', tab: 'home' });
      await until('the Home tab', async () => slack.homeView('U0VIEWER1'), Boolean);
      const published = slack.callsTo('views.publish').length;

      let started: number | null = null;
      const execution = await app.engine.run({
        integrationKey: 'shop',
        domainType: 'sales_orders',
        trigger: 'scheduled',
        triggeredBy: 'scheduler',
        observer: { pageCommitted: async (id) => void (started ??= await scalar<number>(app.pool, `SELECT count(*)::int FROM slack_message WHERE execution_id = $1`, [id])) },
      });
      expect(started).toBe(1); // the live message existed while the run was going
      const message = await until('the summary', async () => slack.messages('C0OPS0001').find((m) => (m.text ?? '').includes(`#${execution.id}`) && /^:white_check_mark:/.test(m.text ?? '')), Boolean, 15_000);
      expect(message).toBeDefined();
      await until('the Home republished', async () => slack.callsTo('views.publish').filter((c) => c.args.user_id === 'U0VIEWER1').length, (n) => n > published, 10_000);
    } finally {
      await bot.stop();
      await slack.stop();
    }
  });
});

describe('Socket Mode', () => {
  it('a slash command over the socket reaches /tether and its ack comes back on the socket', async () => {
    const h = await startSlackHarness({ socketMode: true });
    try {
      await h.socket!.waitForConnections(1);
      const help = await h.sdriver!.command('help');
      expect(help.ms).toBeLessThan(3000);
      expect(JSON.stringify(help.body)).toContain('/tether sync');
      const bad = await h.sdriver!.command('frobnicate');
      expect(JSON.stringify(bad.body)).toContain('Unknown subcommand');
      expect(h.slack.violations).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});

describe('the bot survives and recovers', () => {
  it('with the real logger, an unsigned request gets 401 and the bot keeps answering (Bolt warnings go through our logger)', async () => {
    const { createLogger } = await import('../../src/logging.js');
    const { Writable } = await import('node:stream');
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const h = await startSlackHarness();
    const bot = createSlackBot(h.app.services, slackConfigFor(h.slack.url), createLogger('debug', sink));
    await bot.start();
    try {
      const http = new SlackHttpDriver(`http://127.0.0.1:${bot.address!.port}`, SIGNING_SECRET, h.slack);
      expect((await http.raw('command=%2Ftether&text=help', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(401);
      expect((await http.command('help')).status).toBe(200);
      expect(lines.some((line) => line.includes('"source":"bolt"'))).toBe(true);
    } finally {
      await bot.stop();
      await h.stop();
    }
  });

  it('a message that could not be rendered (database trouble) is delivered on a later attempt', async () => {
    const h = await startSlackHarness();
    try {
      await h.app.integrations.apply([demoSpec({ key: 'shop', domains: ['sales_orders'], slackChannel: 'C0OPS0001', notify: 'always', config: { orders: 5, ...clean } })], { actor: 'test' });
      await seedCatalog(h.app, 'shop');
      const original = h.app.services.executions.get.bind(h.app.services.executions);
      let failures = 2;
      h.app.services.executions.get = async (id: number) => {
        if (failures-- > 0) throw new Error('connection terminated unexpectedly');
        return original(id);
      };
      const [execution] = await h.app.syncs.runNow({ integrationKey: 'shop', actor: 'test' });
      const message = await until('the summary', async () => h.slack.messages('C0OPS0001').find((m) => (m.text ?? '').includes(`#${execution!.id}`)), Boolean, 15_000);
      expect(message).toBeDefined();
      expect(failures).toBeLessThan(0);
      const retried = h.log.lines.filter((line) => line.msg === 'could not render a Slack message; retrying');
      expect(retried.length).toBeGreaterThan(0);
      // The line names the run whose message waits (jq 'select(.executionId == N)' finds it).
      expect(retried[0]!.fields.executionId).toBe(execution!.id);
    } finally {
      await h.stop();
    }
  });

  it('a run asked from a channel the bot cannot post in: the person is told privately and the run goes to the integration channel', async () => {
    const h = await startSlackHarness({ worker: true });
    try {
      await h.app.integrations.apply([demoSpec({ key: 'shop', domains: ['sales_orders'], slackChannel: 'C0OPS0001', config: { orders: 5, ...clean } })], { actor: 'test' });
      await seedCatalog(h.app, 'shop');
      h.slack.setChannel('G0PRIVATE', { isPrivate: true, isMember: false });
      const queued = await h.http.command('sync shop', { channelId: 'G0PRIVATE' });
      const told = await h.slack.waitForResponse(queued.responseUrlId, (post) => String(post.body.text).includes('cannot post'));
      expect(told.body.text).toContain('channel_not_found');
      const moved = await until('the run message in the integration channel', async () => h.slack.messages('C0OPS0001').find((m) => /sync #\d+/.test(m.text ?? '')), Boolean, 15_000);
      expect(moved).toBeDefined();
      expect(h.slack.violations).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it('a mistyped domain type is suggested in place; the App Home refreshes after a run that posts nothing', async () => {
    const h = await startSlackHarness();
    try {
      await h.app.integrations.apply([demoSpec({ key: 'shop', domains: ['sales_orders'], config: { orders: 5, ...clean } })], { actor: 'test' });
      await seedCatalog(h.app, 'shop');
      const typo = await h.http.command('sync shop sales_ordrs');
      const answer = await h.slack.waitForResponse(typo.responseUrlId);
      expect(JSON.stringify(answer.body)).toContain('/tether sync shop sales_orders');

      await h.http.event('app_home_opened', { user: 'U0VIEWER1', tab: 'home' });
      await until('the Home tab', async () => h.slack.homeView('U0VIEWER1'), Boolean);
      const published = h.slack.callsTo('views.publish').length;
      await h.app.syncs.runNow({ integrationKey: 'shop', actor: 'test' }); // no channel: posts nothing
      await until('the Home republished', async () => h.slack.callsTo('views.publish').length, (n) => n > published, 10_000);
    } finally {
      await h.stop();
    }
  });
});
