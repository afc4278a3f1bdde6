import { App, SocketModeReceiver } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/fake-slack.js';
import { FakeSocketMode } from '../fakes/fake-socket-mode.js';
import { boltOptionsFor, buildCommand, captureSlackLogger, SlackSocketDriver } from '../support/slack-requests.js';
import { until } from '../support/until.js';

/** Real Bolt apps in Socket Mode (the real @slack/socket-mode client) against FakeSocketMode mounted on FakeSlack. */

const APP_TOKEN = 'xapp-1-A_TETHER-1-test';
let slack: FakeSlack;
let socket: FakeSocketMode;
const apps: App[] = [];

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** A bot process: handlers record which process ran them. */
function botProcess(name: string, handled: string[], receiver?: SocketModeReceiver): App {
  const app = receiver
    ? new App({ ...boltOptionsFor(slack), receiver })
    : new App({ ...boltOptionsFor(slack), socketMode: true, appToken: APP_TOKEN });
  app.command('/tether', async ({ ack, respond, command, client }) => {
    handled.push(`${name}: ${command.text}`);
    if (command.text === 'items') {
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: { type: 'modal', callback_id: 'items_modal', title: plain('Items'), submit: plain('Next'), blocks: [section('Page 1')] },
      });
      return;
    }
    await ack({ text: `${name} on it` });
    await respond({ text: `${name} done: ${command.text}` });
  });
  app.view('items_modal', async ({ ack }) => {
    handled.push(`${name}: submitted`);
    await ack({ response_action: 'update', view: { type: 'modal', callback_id: 'items_modal', title: plain('Items'), blocks: [section('Page 2')] } });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    handled.push(`${name}: home ${event.user}`);
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [section('Home')] } });
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  slack = new FakeSlack();
  socket = new FakeSocketMode({ slack, appToken: APP_TOKEN });
  await slack.start();
});

afterEach(async () => {
  // Apps first: a socket-mode client whose server vanishes keeps reconnecting.
  for (const app of apps.splice(0)) await app.stop();
  await socket.waitForAllClosed();
});

afterAll(async () => {
  await socket.stop();
  await slack.stop();
});

beforeEach(() => slack.reset());

describe('FakeSocketMode with real Bolt apps', () => {
  it('is reached through the same slackApiUrl: apps.connections.open with the app token, then hello', async () => {
    const handled: string[] = [];
    await botProcess('bot', handled).start();
    const open = slack.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ token: APP_TOKEN, status: 200, response: { ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/) } });
    expect(socket.openConnections()).toHaveLength(1);
    expect(socket.openConnections()[0]!.appToken).toBe(APP_TOKEN);
  });

  it('delivers a slash command envelope to app.command and brings the ack back on the socket', async () => {
    const handled: string[] = [];
    await botProcess('bot', handled).start();
    const command = buildCommand(slack, 'status');
    const sent = await socket.send('slash_commands', command.fields);
    expect(sent.ack).toEqual({ payload: { text: 'bot on it' } });
    expect(sent.ackedInMs).toBeLessThan(3000);
    expect(handled).toEqual(['bot: status']);
    expect(socket.envelopes.at(-1)).toMatchObject({ envelopeId: sent.envelopeId, type: 'slash_commands', acceptsResponsePayload: true, ack: { payload: { text: 'bot on it' } } });
    expect((await slack.waitForResponse(command.responseUrlId)).body).toEqual({ text: 'bot done: status' });
  });

  it('drives commands, view submissions and events with SlackSocketDriver', async () => {
    const handled: string[] = [];
    await botProcess('bot', handled).start();
    const driver = new SlackSocketDriver(socket);

    const items = await driver.command('items');
    expect(items.body).toBeUndefined();
    const viewId = (await slack.waitForOk('views.open')).response!.view.id as string;
    const submitted = await driver.viewSubmission({ viewId });
    expect(submitted.body).toMatchObject({ response_action: 'update' });
    // The fake applied the response_action: same view, new content and hash, still open.
    expect(slack.view(viewId)).toMatchObject({ open: true, updates: 1, view: { blocks: [section('Page 2')] } });

    const home = await driver.event('app_home_opened', { user: 'U_DAVE' });
    expect(home.status).toBe(200);
    await slack.waitForOk('views.publish');
    expect(handled).toEqual(['bot: items', 'bot: submitted', 'bot: home U_DAVE']);
    expect(slack.homeView('U_DAVE')).toBeDefined();
    expect(slack.violations).toEqual([]);
  });

  it('spreads envelopes over two bot processes, or sends to the one a test picks', async () => {
    const handled: string[] = [];
    await botProcess('one', handled).start();
    await botProcess('two', handled).start();
    const [first, second] = await socket.waitForConnections(2);
    for (const text of ['a', 'b', 'c', 'd']) await socket.send('slash_commands', buildCommand(slack, text).fields);
    expect(handled.filter((h) => h.startsWith('one:'))).toHaveLength(2);
    expect(handled.filter((h) => h.startsWith('two:'))).toHaveLength(2);

    handled.length = 0;
    await socket.send('slash_commands', buildCommand(slack, 'only-second').fields, { connection: second! });
    await socket.send('slash_commands', buildCommand(slack, 'only-first').fields, { connection: first! });
    expect(handled.map((h) => h.split(': ')[1])).toEqual(['only-second', 'only-first']);
    expect(new Set(handled.map((h) => h.split(':')[0])).size).toBe(2);
  });

  it('lets the app reconnect after a refresh or a dropped connection, and delivers on the new one', async () => {
    const handled: string[] = [];
    // clientPingTimeout also sets the reconnect delay (timeout × consecutive failures): keep it short.
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN,
      clientPingTimeout: 1000,
      logger: captureSlackLogger(),
      installerOptions: { clientOptions: { slackApiUrl: slack.url } },
    });
    await botProcess('bot', handled, receiver).start();
    const [original] = await socket.waitForConnections(1);

    await socket.disconnect(original!);
    expect(original!.open).toBe(false);
    const [refreshed] = await socket.waitForConnections(1);
    expect(refreshed!.id).not.toBe(original!.id);
    expect((await socket.send('slash_commands', buildCommand(slack, 'after refresh').fields)).connection.id).toBe(refreshed!.id);

    await socket.disconnect(refreshed!, { how: 'terminate' });
    const [redialled] = await socket.waitForConnections(1);
    expect(redialled!.id).not.toBe(refreshed!.id);
    await socket.send('slash_commands', buildCommand(slack, 'after drop').fields);
    expect(handled).toEqual(['bot: after refresh', 'bot: after drop']);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(3);
  });

  it('refuses another app token: the client gives up with invalid_auth', async () => {
    const app = new App({ ...boltOptionsFor(slack), socketMode: true, appToken: 'xapp-1-someone-else' });
    await expect(app.start()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    expect(socket.openConnections()).toHaveLength(0);
  });

  it('fails a send that is not acked in time, or whose connection closes first', async () => {
    const app = botProcess('bot', []);
    const slowSeen: string[] = [];
    app.command('/slow', async ({ command }) => {
      slowSeen.push(command.text); // and never acks
    });
    await app.start();
    await expect(socket.send('slash_commands', buildCommand(slack, 'x', { command: '/slow' }).fields, { timeoutMs: 100 })).rejects.toThrow(
      /was not acked within 100 ms/,
    );
    const [connection] = socket.openConnections();
    const unanswered = expect(
      socket.send('slash_commands', buildCommand(slack, 'y', { command: '/slow' }).fields, { connection: connection! }),
    ).rejects.toThrow(/closed before envelope .* was acked/);
    await until('the app to get the envelope', async () => slowSeen, (seen) => seen.includes('y'), 5_000);
    await socket.disconnect(connection!, { how: 'terminate' });
    await unanswered;
  });
});
