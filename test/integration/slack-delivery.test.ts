import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/fake-slack.js';
import { FakeFeed, MemorySource } from '../fakes/fake-feed.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { startSlackHarness, type SlackHarness } from '../support/slack-bot.js';
import { until } from '../support/until.js';

const clean = { unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };
const ALERTS = 'C0ALERTS1';
const LOCKED = 'C0LOCKED1';

/** What a run must post reaches Slack exactly once, whatever Slack or our processes do meanwhile. */
describe('Slack delivery: never lost, never doubled', () => {
  let h: SlackHarness;
  const runMessages = (channel: string) => h.slack.messages(channel).filter((message) => /sync #\d+/.test(message.text ?? ''));
  const pending = () => scalar<number>(h.app.pool, 'SELECT count(*)::int FROM slack_message WHERE delivered_version < version AND NOT gave_up');
  const run = async (key: string) => (await h.app.syncs.runNow({ integrationKey: key, actor: 'test' }))[0]!;

  beforeAll(async () => {
    h = await startSlackHarness({ startBot: false });
    await h.app.integrations.apply(
      [
        demoSpec({ key: 'loud', domains: ['sales_orders'], slackChannel: ALERTS, notify: 'always', config: { orders: 10, page_size: 5, ...clean } }),
        demoSpec({ key: 'locked', domains: ['sales_orders'], slackChannel: LOCKED, notify: 'always', config: { orders: 5, ...clean } }),
        demoSpec({ key: 'quiet', domains: ['sales_orders'], slackChannel: ALERTS, notify: 'problems', config: { orders: 5, ...clean } }),
        demoSpec({ key: 'silent', domains: ['sales_orders'], slackChannel: ALERTS, notify: 'never', config: { orders: 5, unmapped_sku_rate: 0.5 } }),
      ],
      { actor: 'test' },
    );
    for (const key of ['loud', 'locked', 'quiet', 'silent']) await seedCatalog(h.app, key);
  });
  afterEach(() => expect(h.slack.violations).toEqual([]));
  afterAll(async () => h?.stop());

  it('a run that ended while no bot was running (killed before delivery) is delivered when one starts, once', async () => {
    const execution = await run('loud');
    expect(await pending()).toBe(1);
    expect(runMessages(ALERTS)).toHaveLength(0);
    await h.bot.start();
    await until('the summary', async () => runMessages(ALERTS).filter((m) => m.text!.includes(`#${execution.id}`)), (m) => m.length === 1);
    await h.bot.delivery.idle();
    expect(await pending()).toBe(0);
    expect(runMessages(ALERTS).filter((m) => m.text!.includes(`#${execution.id}`))).toHaveLength(1);
  });

  it('notify: problems posts nothing for a good run; never posts nothing at all', async () => {
    const before = h.slack.callsTo('chat.postMessage').length;
    await run('quiet');
    await run('silent');
    expect(await scalar(h.app.pool, `SELECT count(*)::int FROM slack_message m JOIN integration i ON i.id = m.integration_id WHERE i.key IN ('quiet', 'silent')`)).toBe(0);
    expect(h.slack.callsTo('chat.postMessage').length).toBe(before);
  });

  it('a message claimed by a bot that died is delivered by a live one once the dead one\'s lease runs out', async () => {
    await h.bot.delivery.stop();
    const execution = await run('loud');
    await h.app.pool.query(`UPDATE slack_message SET lease_owner = 'dead-bot', lease_until = now() + interval '1 second' WHERE execution_id = $1`, [execution.id]);
    await h.bot.delivery.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runMessages(ALERTS).filter((m) => m.text!.includes(`#${execution.id}`))).toHaveLength(0); // still the dead bot's
    await until('the summary', async () => runMessages(ALERTS).filter((m) => m.text!.includes(`#${execution.id}`)), (m) => m.length === 1, 10_000);
    await h.bot.delivery.idle();
    expect(runMessages(ALERTS).filter((m) => m.text!.includes(`#${execution.id}`))).toHaveLength(1);
  });

  it('Slack down, then rate-limiting: the sync is unaffected; the messages arrive later, none doubled', async () => {
    h.slack.down();
    const down = await run('loud');
    expect(down.status).toBe('success');
    await until('a failed attempt', async () => h.slack.callsTo('chat.postMessage').filter((c) => c.failed).length, (n) => n > 0);
    h.slack.up();
    h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 1 });
    const limited = await run('loud');
    await until('both summaries', async () => runMessages(ALERTS).filter((m) => [down.id, limited.id].some((id) => m.text!.includes(`#${id}`))), (m) => m.length === 2, 20_000);
    for (const id of [down.id, limited.id]) expect(runMessages(ALERTS).filter((m) => m.text!.includes(`#${id}`))).toHaveLength(1);
    // The 429's Retry-After (1 s) was waited for before that message was tried again.
    const calls = h.slack.callsTo('chat.postMessage');
    const rejected = calls.find((c) => c.status === 429)!;
    const id = /sync #(\d+)/.exec(String(rejected.args.text))![1];
    const retried = calls.find((c) => c.at > rejected.at && !c.failed && String(c.args.text).includes(`sync #${id}`))!;
    expect(retried.at.getTime() - rejected.at.getTime()).toBeGreaterThanOrEqual(900);
  });

  it('not_in_channel: logged once with the fix, shown on the App Home, delivered once the bot is invited', async () => {
    h.slack.setChannel(LOCKED, { name: 'locked', isMember: false });
    const first = await run('locked');
    const second = await run('locked');
    await until('a refused attempt', async () => h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === LOCKED && c.failed).length, (n) => n >= 3, 10_000);
    const logged = h.log.lines.filter((line) => line.level === 'error' && String(line.msg).includes('not_in_channel'));
    expect(logged).toHaveLength(1);
    expect(String(logged[0]!.msg)).toContain(`invite the bot to ${LOCKED}`);
    await h.http.event('app_home_opened', { user: 'U0VIEWER1', tab: 'home' });
    const home = await until('the Home tab', async () => h.slack.homeView('U0VIEWER1'), Boolean);
    expect(JSON.stringify(home!.view.blocks)).toContain('not_in_channel');
    expect(first.status).toBe('success');

    h.slack.setChannel(LOCKED, { name: 'locked', isMember: true });
    await until('both messages', async () => runMessages(LOCKED), (m) => m.length === 2, 15_000);
    for (const id of [first.id, second.id]) expect(runMessages(LOCKED).filter((m) => m.text!.includes(`#${id}`))).toHaveLength(1);
  });

  it('two bot processes deliver each message exactly once', async () => {
    const other = await h.startSecondBot();
    const before = runMessages(ALERTS).length;
    const ids: number[] = [];
    for (let i = 0; i < 12; i += 1) ids.push((await run('loud')).id);
    await until('every summary', async () => runMessages(ALERTS).length - before, (n) => n >= ids.length, 30_000);
    await Promise.all([h.bot.delivery.idle(), other.delivery.idle()]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const id of ids) expect(runMessages(ALERTS).filter((m) => m.text!.includes(`#${id}`)), `execution ${id}`).toHaveLength(1);
    expect(runMessages(ALERTS).length - before).toBe(ids.length);
  });
});

describe('hostile source data is escaped on every surface', () => {
  let h: SlackHarness;
  let feed: FakeFeed;
  const hostile = '<!channel> <@U0TARGET1> <https://evil.example|click me> & <#C0SECRET1>';

  beforeAll(async () => {
    h = await startSlackHarness({ worker: true });
    const source = new MemorySource();
    const order = (id: string, sku: string, channel: string) => ({
      id,
      updated_at: '2026-11-01T00:00:00Z',
      ordered_at: '2026-11-01T00:00:00Z',
      channel,
      status: 'paid',
      currency: 'USD',
      lines: [{ sku, quantity: 1, unit_price: '1.00' }],
    });
    source.put('sales_orders', order(`A ${hostile}`, `SKU ${hostile}`, 'web-store'), order('B-1', 'DEMO-0001', `chan ${hostile}`));
    feed = new FakeFeed(source, 'tok');
    const baseUrl = await feed.start();
    await h.app.integrations.apply(
      [
        {
          ...demoSpec({ key: 'evil', name: `Evil ${hostile}`, domains: ['sales_orders'], slackChannel: 'C0OPS0001', notify: 'always' }),
          connector: 'http-json',
          config: { base_url: baseUrl },
          credentials: { token: 'tok' },
        },
      ],
      { actor: 'test' },
    );
    await seedCatalog(h.app, 'evil');
    h.slack.forbidUnescaped(FakeSlack.SLACK_SYNTAX);
  });
  afterAll(async () => {
    await feed?.stop();
    await h?.stop();
  });

  it('summary, alert, items modal, status and App Home never let source data ping or link', async () => {
    const queued = await h.http.command('sync evil', { channelId: 'C0OPS0001' });
    await h.slack.waitForResponse(queued.responseUrlId);
    const executionId = await scalar<number>(h.app.pool, 'SELECT max(id) FROM sync_execution');
    await until('the run to end', () => scalar<string>(h.app.pool, 'SELECT status FROM sync_execution WHERE id = $1', [executionId]), (s) => s === 'partial');
    const summary = await until('the summary', async () => h.slack.messages('C0OPS0001').find((m) => /partial/i.test(m.text ?? '')), Boolean, 15_000);
    await until('the alert', async () => h.slack.replies('C0OPS0001', summary!.ts), (r) => r.length > 0, 15_000);
    await h.http.command(`items ${executionId} problems`);
    await until('the items modal', async () => h.slack.views({ type: 'modal' }).find((v) => v.updates > 0), Boolean);
    const status = await h.http.command('status evil');
    await h.slack.waitForResponse(status.responseUrlId);
    await h.http.event('app_home_opened', { user: 'U0VIEWER2', tab: 'home' });
    await until('the Home tab', async () => h.slack.homeView('U0VIEWER2'), Boolean);

    // The fake checks every mrkdwn text and message fallback for unescaped Slack syntax.
    expect(h.slack.violations).toEqual([]);
    const everything = JSON.stringify([h.slack.calls.map((c) => c.args), h.slack.responses().map((r) => r.body)]);
    expect(everything).toContain('&lt;!channel&gt; &lt;@U0TARGET1&gt; &lt;https://evil.example|click me&gt; &amp;');
  });
});
