import { App } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/fake-slack.js';
import { boltOptionsFor, buildCommand, signSlackRequest, SlackHttpDriver, startBoltHttp } from '../support/slack-requests.js';

/**
 * A tiny real Bolt app on its HTTPReceiver (real signature checks), driven by SlackHttpDriver,
 * talking back to FakeSlack through its real WebClient and respond().
 */

const SIGNING_SECRET = 'test-signing-secret';
let slack: FakeSlack;
let app: App;
let driver: SlackHttpDriver;
const seen: { commands: string[]; actions: Record<string, any>[]; submissions: Record<string, any>[]; closed: string[] } = {
  commands: [],
  actions: [],
  submissions: [],
  closed: [],
};

const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...extra });
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const statusOption = (value: string) => ({ text: plain(value), value });
const itemsModal = (note: string) => ({
  type: 'modal' as const,
  callback_id: 'items_modal',
  private_metadata: JSON.stringify({ page: 1 }),
  title: plain('Items'),
  submit: plain('Save'),
  blocks: [
    section(note, { block_id: 'note' }),
    {
      type: 'actions',
      block_id: 'items_filters',
      elements: [{ type: 'static_select', action_id: 'items_status', placeholder: plain('Status'), options: ['failed', 'success'].map(statusOption) }],
    },
    { type: 'input', block_id: 'reason', label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'reason_input' } },
  ],
});

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
  app = new App({ ...boltOptionsFor(slack), signingSecret: SIGNING_SECRET });

  app.command('/tether', async ({ ack, respond, command, client }) => {
    seen.commands.push(`${command.user_id}: ${command.text}`);
    if (command.text === 'items') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: itemsModal('Loading…') });
      return;
    }
    await ack({ text: `on it: ${command.text}` });
    await respond({ text: `done: ${command.text}` });
    if (command.text === 'run') {
      await client.chat.postMessage({
        channel: command.channel_id,
        text: 'Run 7 failed',
        blocks: [
          section('*Run 7* failed'),
          { type: 'actions', block_id: 'run_actions', elements: [{ type: 'button', action_id: 'sync_again', text: plain('Run again'), value: '{"run":7}' }] },
        ],
      });
    }
  });

  app.action('sync_again', async ({ ack, action, body, respond }) => {
    await ack();
    seen.actions.push({ action, container: (body as { container?: unknown }).container });
    await respond({ replace_original: true, text: 'Run 7 queued again' });
  });

  app.action('items_status', async ({ ack, action, body, client }) => {
    await ack();
    seen.actions.push({ action, container: (body as { container?: unknown }).container });
    const view = (body as { view: { id: string; hash: string } }).view;
    await client.views.update({ view_id: view.id, hash: view.hash, view: itemsModal(`Filtered: ${(action as any).selected_option.value}`) });
  });

  app.view('items_modal', async ({ ack, view }) => {
    seen.submissions.push(view);
    const reason = view.state.values.reason?.reason_input?.value;
    if (!reason) await ack({ response_action: 'errors', errors: { reason: 'Say why' } });
    else await ack();
  });
  app.view({ callback_id: 'items_modal', type: 'view_closed' }, async ({ ack, view }) => {
    seen.closed.push(view.id);
    await ack();
  });

  app.options('owner_pick', async ({ ack, options }) => {
    const typed = (options as { value: string }).value;
    await ack({ options: ['alice', 'albert', 'bob'].filter((name) => name.startsWith(typed)).map((name) => ({ text: plain(name), value: name })) });
  });

  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [section(`Hello <@${event.user}>`)] } });
  });

  driver = new SlackHttpDriver(await startBoltHttp(app), SIGNING_SECRET, slack);
});

afterAll(async () => {
  await app.stop();
  await slack.stop();
});

beforeEach(() => {
  slack.reset();
  seen.commands.length = 0;
  seen.actions.length = 0;
  seen.submissions.length = 0;
  seen.closed.length = 0;
});

describe('SlackHttpDriver against a real Bolt HTTPReceiver', () => {
  it('delivers a signed slash command: the ack comes back on the HTTP response, respond() reaches the response_url', async () => {
    const result = await driver.command('status', { userId: 'U_BOB' });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ text: 'on it: status' });
    expect(result.ms).toBeLessThan(3000);
    expect(seen.commands).toEqual(['U_BOB: status']);
    const answer = await slack.waitForResponse(result.responseUrlId);
    expect(answer).toMatchObject({ ok: true, body: { text: 'done: status' } });
    expect(slack.ephemerals({ user: 'U_BOB' }).map((m) => m.text)).toEqual(['done: status']);
    expect(slack.violations).toEqual([]);
  });

  it('refuses unsigned, wrongly signed and stale requests with 401 and never runs the handler', async () => {
    const body = new URLSearchParams(buildCommand(slack, 'reset everything').fields).toString();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const unsigned = await driver.raw(body, form);
    const wrong = await driver.raw(body, signSlackRequest('not-the-secret', body));
    const stale = await driver.raw(body, signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 5 * 60 - 10));
    const tampered = await driver.raw(body.replace('reset', 'erase'), signSlackRequest(SIGNING_SECRET, body));
    expect([unsigned.status, wrong.status, stale.status, tampered.status]).toEqual([401, 401, 401, 401]);
    expect(seen.commands).toEqual([]);
    // The same body, properly signed, goes through: the refusals were about the signature.
    expect((await driver.raw(body, signSlackRequest(SIGNING_SECRET, body))).status).toBe(200);
    expect(seen.commands).toEqual(['U_ALICE: reset everything']);
  });

  it('clicks a button the app really posted: block_id and value come from the message, respond() edits it', async () => {
    await driver.command('run');
    const posted = await slack.waitForOk('chat.postMessage');
    const ts = posted.response!.ts as string;

    const click = await driver.blockAction({ actionId: 'sync_again', messageTs: ts });
    expect(click.status).toBe(200);
    expect(seen.actions).toMatchObject([
      { action: { type: 'button', action_id: 'sync_again', block_id: 'run_actions', value: '{"run":7}' }, container: { type: 'message', message_ts: ts, channel_id: 'C_OPS' } },
    ]);
    await slack.waitForResponse(click.responseUrl);
    expect(slack.messages('C_OPS')).toMatchObject([{ ts, text: 'Run 7 queued again', edits: 1 }]);
    await expect(driver.blockAction({ actionId: 'no_such_button', messageTs: ts })).rejects.toThrow(/no element with action_id "no_such_button"/);
  });

  it('runs a modal: open with the trigger_id, a select updates it by hash, errors keep it open, a good submission closes it', async () => {
    const opened = await driver.command('items');
    expect(opened.body).toBeUndefined();
    const open = await slack.waitForOk('views.open');
    expect(open.args.trigger_id).toBe(opened.triggerId);
    const viewId = open.response!.view.id as string;

    await driver.blockAction({ viewId, actionId: 'items_status', selectedOption: 'failed' });
    await slack.waitForOk('views.update');
    expect(seen.actions[0]).toMatchObject({ action: { type: 'static_select', block_id: 'items_filters', selected_option: { value: 'failed' } }, container: { type: 'view', view_id: viewId } });
    expect(slack.view(viewId)).toMatchObject({ updates: 1, open: true, view: { blocks: [section('Filtered: failed', { block_id: 'note' }), {}, {}] } });

    const refused = await driver.viewSubmission({ viewId, values: { reason: { reason_input: { type: 'plain_text_input', value: null } } } });
    expect(refused.body).toEqual({ response_action: 'errors', errors: { reason: 'Say why' } });
    expect(slack.view(viewId)!.open).toBe(true);
    expect(seen.submissions[0]).toMatchObject({ id: viewId, callback_id: 'items_modal', private_metadata: '{"page":1}', hash: slack.view(viewId)!.hash });

    const accepted = await driver.viewSubmission({ viewId, values: { reason: { reason_input: { type: 'plain_text_input', value: 'cleanup' } } } });
    expect(accepted.status).toBe(200);
    expect(slack.view(viewId)!.open).toBe(false);
    await expect(driver.viewSubmission({ viewId })).rejects.toThrow(/closed/);
    expect(slack.violations).toEqual([]);
  });

  it('delivers view_closed, and closes the modal in the fake', async () => {
    await driver.command('items');
    const viewId = (await slack.waitForOk('views.open')).response!.view.id as string;
    const closed = await driver.viewClosed({ viewId, isCleared: true });
    expect(closed.status).toBe(200);
    expect(seen.closed).toEqual([viewId]);
    expect(slack.view(viewId)!.open).toBe(false);
  });

  it('delivers an options request (block_suggestion) and brings back the options', async () => {
    const result = await driver.optionsRequest({ actionId: 'owner_pick', value: 'al' });
    expect(result.status).toBe(200);
    expect(result.body.options.map((o: { value: string }) => o.value)).toEqual(['alice', 'albert']);
  });

  it('delivers an Events API app_home_opened, and answers url_verification', async () => {
    const event = await driver.event('app_home_opened', { user: 'U_CAROL' });
    expect(event.status).toBe(200);
    expect(event.payload.event).toMatchObject({ type: 'app_home_opened', user: 'U_CAROL', tab: 'home', channel: 'D_CAROL' });
    await slack.waitForOk('views.publish');
    expect(slack.homeView('U_CAROL')!.view.blocks).toEqual([section('Hello <@U_CAROL>')]);

    const verification = await driver.urlVerification('challenge-123');
    expect(verification).toMatchObject({ status: 200, body: { challenge: 'challenge-123' } });
  });
});
