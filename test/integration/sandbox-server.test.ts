import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackSandbox } from '../../src/sandbox/sandbox-server.js';
import type { Worker } from '../../src/scheduler/scheduler.js';
import { createSlackBot, type SlackBot } from '../../src/slack/bot.js';
import { ACTIONS, VIEWS } from '../../src/slack/ids.js';
import { captureLog } from '../support/capture-log.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { FAST_BACKOFF, SIGNING_SECRET, slackConfigFor } from '../support/slack-bot.js';
import { captureSlackLogger } from '../support/slack-requests.js';
import { startTestApp, testConfig, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

const CHANNEL = 'C0SANDBOX1';

/**
 * The sandbox server without a browser: its page and its requests (what the page's script
 * sends), the signed requests it forwards to the real bot, and its Slack Web API as the bot sees it.
 */
describe('the local Slack sandbox server', () => {
  let app: TestApp;
  let sandbox: SlackSandbox;
  let bot: SlackBot;
  let worker: Worker;
  let apiUrl: string;
  let origin: string;

  const post = async (kind: string, body: unknown) => {
    const response = await fetch(`${origin}/sandbox/${kind}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const state = async () => (await fetch(`${origin}/sandbox/state?channel=${CHANNEL}`).then((r) => r.json())) as any;

  beforeAll(async () => {
    const base = testConfig();
    app = await startTestApp({ config: { ...base, scheduler: { ...base.scheduler, pollMs: 200 } } });
    worker = await app.services.worker.start();
    await app.integrations.apply([demoSpec({ key: 'shop', name: 'Shop', domains: ['sales_orders'], slackChannel: CHANNEL, config: { orders: 120, page_size: 40, sku_count: 10, unmapped_sku_rate: 0.2, unmapped_channel_rate: 0, invalid_rate: 0 } })], { actor: 'test' });
    await seedCatalog(app, 'shop');
    sandbox = new SlackSandbox({ port: 0, signingSecret: SIGNING_SECRET, channels: [{ id: CHANNEL, name: 'ops' }] });
    ({ apiUrl } = await sandbox.start());
    origin = sandbox.slack.origin;
    bot = createSlackBot(app.services, slackConfigFor(apiUrl, { admins: [sandbox.userId] }), captureLog(), { backoff: FAST_BACKOFF });
    await bot.start();
    sandbox.botUrl = `http://127.0.0.1:${bot.address!.port}/slack/events`;
  });
  afterAll(async () => {
    await worker?.stop();
    await bot?.stop();
    await sandbox?.stop();
    await app?.destroy();
  });

  it('serves its page, labelled as a sandbox, with its script and styles; unknown paths are 404', async () => {
    const page = await fetch(`${origin}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Local Slack sandbox');
    expect(html).toContain('this is not Slack');
    const script = await fetch(`${origin}/sandbox.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('function renderBlocks');
    expect((await fetch(`${origin}/sandbox.css`)).status).toBe(200);
    expect((await fetch(`${origin}/nothing-here`)).status).toBe(404);
    // The Web API on the same port is not shadowed by the page.
    const auth = await new WebClient('xoxb-any', { slackApiUrl: apiUrl, logger: captureSlackLogger() }).auth.test();
    expect(auth.ok).toBe(true);
  });

  it('forwards /tether with a real signature; an ack body becomes an ephemeral answer, a respond() one too', async () => {
    const help = await post('command', { channel: CHANNEL, text: '/tether help' });
    expect(help.body.status).toBe(200);
    const synced = await post('command', { channel: CHANNEL, text: '/tether sync shop' });
    expect(synced.body.status).toBe(200);
    const seen = await until('both answers', state, (s) => s.channel.ephemerals.length >= 2, 15_000);
    const texts = seen.channel.ephemerals.map((e: { text: string }) => e.text).join('\n');
    expect(texts).toContain('/tether');
    expect(texts).toMatch(/Queued a sync of `shop`: #\d+/);
    // The run is posted in the channel and edited into its summary.
    const run = await until('the run summary', state, (s) => s.channel.messages.some((m: { text: string }) => /Partial|Success/.test(m.text)), 20_000);
    expect(run.channel.messages.find((m: { text: string }) => /Partial|Success/.test(m.text)).edits).toBeGreaterThan(0);
  });

  it('a sandbox signing with another secret is refused by the bot (401): the signature is checked, not assumed', async () => {
    const stranger = new SlackSandbox({ port: 0, signingSecret: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    await stranger.start();
    try {
      // Before the bot listens, the page is told to wait.
      const early = await fetch(`${stranger.slack.origin}/sandbox/command`, { method: 'POST', body: JSON.stringify({ channel: CHANNEL, text: '/tether help' }) });
      expect(early.status).toBe(503);
      expect(await early.json()).toEqual({ error: 'the bot is still starting: try again in a moment' });
      stranger.botUrl = sandbox.botUrl;
      const answer = await stranger.command(CHANNEL, '/tether help');
      expect(answer.status).toBe(401);
    } finally {
      await stranger.stop();
    }
  });

  it('opens a modal from a button (block_actions → views.open within the trigger_id’s 3 s) and closes it', async () => {
    const before = await until('a run message with its buttons', state, (s) => s.channel.messages.some((m: any) => JSON.stringify(m.blocks ?? []).includes(ACTIONS.openItems)), 20_000);
    const run = before.channel.messages.find((m: any) => JSON.stringify(m.blocks ?? []).includes(ACTIONS.openItems));
    const clicked = await post('action', { channel: CHANNEL, messageTs: run.ts, actionId: ACTIONS.openItems });
    expect(clicked.body.status).toBe(200);
    const opened = await until('the items modal', state, (s) => s.modals.length === 1 && s.modals[0].callback_id === VIEWS.items, 15_000);
    const view = opened.modals[0];
    expect(sandbox.slack.callsTo('views.open').every((call) => !call.failed)).toBe(true);

    const closed = await post('close', { viewId: view.id, isCleared: true });
    expect(closed.status).toBe(200);
    expect((await state()).modals).toEqual([]);
  });

  it('publishes the App Home when the page opens the tab (app_home_opened)', async () => {
    const opened = await post('home', {});
    expect(opened.body.status).toBe(200);
    const seen = await until('the Home tab', state, (s) => s.home !== null, 15_000);
    expect(JSON.stringify(seen.home.blocks)).toContain('shop');
  });

  it('streams a change event to the page after each change, and a refused event when Slack would refuse a call', async () => {
    const controller = new AbortController();
    const response = await fetch(`${origin}/sandbox/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    let received = '';
    const read = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) break;
        received += new TextDecoder().decode(value);
      }
      return received;
    };
    await read(/event: change/);
    const client = new WebClient('xoxb-any', { slackApiUrl: apiUrl, logger: captureSlackLogger(), retryConfig: { retries: 0 } });
    const header = { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } };
    await expect(client.chat.postMessage({ channel: CHANNEL, text: 'too long', blocks: [header] })).rejects.toThrow(/invalid_blocks/);
    expect(await read(/event: refused/)).toMatch(/"method":"chat.postMessage","error":"invalid_blocks"/);
    controller.abort();
  });

  it('says what is wrong with a bad page request', async () => {
    expect(await post('command', { text: '/tether help' })).toEqual({ status: 400, body: { error: 'channel and text are required' } });
    expect(await post('action', { channel: CHANNEL })).toEqual({ status: 400, body: { error: 'actionId is required' } });
    expect(await post('submit', {})).toEqual({ status: 400, body: { error: 'viewId is required' } });
    expect(await post('command', 'not json')).toEqual({ status: 400, body: { error: 'the body must be JSON' } });
    expect(await post('teleport', {})).toEqual({ status: 404, body: { error: 'no such sandbox request: teleport' } });
  });
});
