import { ErrorCode, WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/fake-slack.js';
import { captureSlackLogger } from '../support/slack-requests.js';

/** FakeSlack driven by the real @slack/web-api client, as the app will drive it. */

let slack: FakeSlack;
let slackApiUrl: string;

beforeAll(async () => {
  slack = new FakeSlack();
  slackApiUrl = await slack.start();
});
afterAll(() => slack.stop());
beforeEach(() => slack.reset());

/** No retries unless a test asks: a refused call must surface at once. */
const client = (options: WebClientOptions = {}) =>
  new WebClient('xoxb-test', { slackApiUrl, logger: captureSlackLogger(), retryConfig: { retries: 0 }, ...options });

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  blocks: [section('Loading…')],
  ...extra,
});

async function refusal(promise: Promise<unknown>): Promise<any> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to be refused');
  return error;
}

describe('FakeSlack with the real WebClient', () => {
  it('is reached through slackApiUrl with or without the trailing slash, and answers auth.test', async () => {
    expect(slackApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const withoutSlash = await client({ slackApiUrl: slackApiUrl.replace(/\/$/, '') }).auth.test();
    expect(withoutSlash).toMatchObject({ ok: true, user_id: slack.botUserId, bot_id: slack.botId, team_id: slack.teamId });
    expect(slack.callsTo('auth.test')).toHaveLength(1);
    expect(slack.callsTo('auth.test')[0]).toMatchObject({ token: 'xoxb-test', encoding: 'form', status: 200 });
  });

  it('records chat.postMessage and chat.update, merged per ts into one message with its edit history', async () => {
    const web = client();
    const blocks = [section('*Run 1* queued')];
    const posted = await web.chat.postMessage({ channel: 'C_OPS', text: 'Run 1 queued', blocks });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted).toMatchObject({ ok: true, channel: 'C_OPS', message: { text: 'Run 1 queued', bot_id: slack.botId } });
    await web.chat.update({ channel: 'C_OPS', ts: posted.ts!, text: 'Run 1 running', blocks: [section('*Run 1* running')] });
    await web.chat.update({ channel: 'C_OPS', ts: posted.ts!, text: 'Run 1 succeeded' });
    const other = await web.chat.postMessage({ channel: 'C_OPS', text: 'Run 2 queued' });
    expect(Number(other.ts)).toBeGreaterThan(Number(posted.ts));

    const [first, second] = slack.messages('C_OPS');
    expect(slack.messages('C_OPS')).toHaveLength(2);
    expect(first).toMatchObject({ ts: posted.ts, text: 'Run 1 succeeded', edits: 2, blocks: [section('*Run 1* running')] });
    expect(first!.history.map((v) => [v.via, v.text])).toEqual([
      ['chat.postMessage', 'Run 1 queued'],
      ['chat.update', 'Run 1 running'],
      ['chat.update', 'Run 1 succeeded'],
    ]);
    expect(second).toMatchObject({ ts: other.ts, edits: 0 });
    // The call log has the blocks as objects, parsed out of the form field.
    expect(slack.callsTo('chat.postMessage')[0]!.args.blocks).toEqual(blocks);
    expect(slack.violations).toEqual([]);
  });

  it('keeps thread replies apart from the channel, opens DMs for user ids, and records ephemerals', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'C_OPS', text: 'Run 3 failed' });
    await web.chat.postMessage({ channel: 'C_OPS', thread_ts: parent.ts!, text: '12 records failed: …' });
    expect(slack.messages('C_OPS').map((m) => m.text)).toEqual(['Run 3 failed']);
    expect(slack.replies('C_OPS', parent.ts!).map((m) => [m.text, m.threadTs])).toEqual([['12 records failed: …', parent.ts]]);

    const dm = await web.chat.postMessage({ channel: 'U_ALICE', text: 'your run finished' });
    expect(dm.channel).toBe('D_ALICE');
    expect(slack.messages('U_ALICE')).toEqual(slack.messages('D_ALICE'));
    expect(slack.messages('D_ALICE')).toHaveLength(1);

    const ephemeral = await web.chat.postEphemeral({ channel: 'C_OPS', user: 'U_BOB', text: 'only you can see this' });
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(slack.ephemerals({ user: 'U_BOB' })).toMatchObject([{ channel: 'C_OPS', text: 'only you can see this', via: 'chat.postEphemeral' }]);
    expect(slack.messages('C_OPS')).toHaveLength(1);
  });

  it('answers message_not_found for an update of a ts it never posted', async () => {
    const error = await refusal(client().chat.update({ channel: 'C_OPS', ts: '1700000000.000100', text: 'x' }));
    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.data.error).toBe('message_not_found');
  });

  it('refuses a 51-block message with invalid_blocks and records the violation; 50 blocks pass', async () => {
    const web = client();
    const divider = { type: 'divider' };
    await web.chat.postMessage({ channel: 'C_OPS', text: 'fifty', blocks: Array(50).fill(divider) });
    expect(slack.violations).toEqual([]);

    const error = await refusal(web.chat.postMessage({ channel: 'C_OPS', text: 'fifty-one', blocks: Array(51).fill(divider) }));
    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.data.error).toBe('invalid_blocks');
    expect(error.data.response_metadata.messages[0]).toMatch(/^\[ERROR\] must be less than 51 items .*\[json-pointer:\/blocks\]$/);
    expect(slack.violations).toMatchObject([{ method: 'chat.postMessage', pointer: '/blocks' }]);
    expect(slack.messages('C_OPS')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage')[1]).toMatchObject({ failed: true, error: 'invalid_blocks' });
  });

  it('refuses a 25-character modal title; 24 pass', async () => {
    const web = client();
    await web.views.open({ trigger_id: slack.newTriggerId(), view: modal('x'.repeat(24)) });
    const error = await refusal(web.views.open({ trigger_id: slack.newTriggerId(), view: modal('x'.repeat(25)) }));
    expect(error.data.error).toBe('invalid_arguments');
    expect(slack.violations).toMatchObject([{ method: 'views.open', pointer: '/view/title/text' }]);
  });

  it('refuses message text over 40000 (msg_too_long) and flags text over 4000 without refusing it', async () => {
    const web = client();
    await web.chat.postMessage({ channel: 'C_OPS', text: 'x'.repeat(4001) });
    expect(slack.violations).toMatchObject([{ soft: true, reason: expect.stringContaining('keep under 4000') }]);
    const error = await refusal(web.chat.postMessage({ channel: 'C_OPS', text: 'x'.repeat(40001) }));
    expect(error.data.error).toBe('msg_too_long');
  });

  it('refuses missing required arguments the way Slack does', async () => {
    const web = client();
    expect((await refusal(web.chat.postMessage({ channel: 'C_OPS' } as never))).data.error).toBe('no_text');
    expect((await refusal(web.apiCall('chat.postMessage', { text: 'hi' }))).data.error).toBe('channel_not_found');
    expect((await refusal(web.apiCall('chat.update', { channel: 'C_OPS', text: 'hi' }))).data.error).toBe('invalid_arguments');
    expect((await refusal(web.apiCall('views.open', { view: modal('x') }))).data.error).toBe('invalid_arguments');
    expect((await refusal(web.apiCall('views.update', { view: modal('x') }))).data.error).toBe('invalid_arguments');
    expect((await refusal(web.apiCall('views.publish', { view: { type: 'home', blocks: [] } }))).data.error).toBe('invalid_arguments');
    expect(slack.violations.map((v) => v.pointer)).toEqual(['/text', '/channel', '/ts', '/trigger_id', '/view_id', '/user_id']);
  });

  it('records unescaped text a test forbids, and lets the escaped form through', async () => {
    slack.forbidUnescaped(FakeSlack.SLACK_SYNTAX);
    const web = client();
    await web.chat.postMessage({ channel: 'C_OPS', text: 'SKU &lt;!channel&gt; &amp; &lt;@U123&gt;', blocks: [section('&lt;http://evil|click&gt;')] });
    expect(slack.violations).toEqual([]);
    await web.chat.postMessage({ channel: 'C_OPS', text: 'SKU <!channel>', blocks: [section('<http://evil|click>')] });
    expect(slack.violations.map((v) => v.pointer)).toEqual(['/text', '/blocks/0/text/text']);
  });

  it('opens a modal with a view id and hash, updates it by hash, and refuses a stale hash with hash_conflict', async () => {
    const web = client();
    const opened = await web.views.open({ trigger_id: slack.newTriggerId(), view: modal('Items', { callback_id: 'items_modal' }) });
    const viewId = opened.view!.id!;
    const firstHash = opened.view!.hash!;
    expect(viewId).toMatch(/^V[A-Z0-9]{10}$/);
    const updated = await web.views.update({ view_id: viewId, hash: firstHash, view: modal('Items', { blocks: [section('42 items')] }) });
    expect(updated.view!.hash).not.toBe(firstHash);

    const error = await refusal(web.views.update({ view_id: viewId, hash: firstHash, view: modal('Items', { blocks: [section('stale')] }) }));
    expect(error.data.error).toBe('hash_conflict');
    // An update replaces the whole view, as in Slack: the callback_id it did not repeat is gone.
    expect(slack.view(viewId)).toMatchObject({ updates: 1, hash: updated.view!.hash, view: { blocks: [section('42 items')], callback_id: '' } });

    // Without a hash the update is unconditional; by external_id it finds the view too.
    await web.views.update({ view_id: viewId, view: modal('Items', { external_id: 'items-1' }) });
    await web.views.update({ external_id: 'items-1', view: modal('Items', { external_id: 'items-1', blocks: [section('by external id')] }) });
    expect(slack.view(viewId)!.updates).toBe(3);
    expect((await refusal(web.views.update({ view_id: 'VNOPE', view: modal('x') }))).data.error).toBe('not_found');
  });

  it('refuses an expired, unknown or already used trigger_id', async () => {
    const web = client();
    const late = slack.newTriggerId();
    slack.advanceClock(3_001);
    expect((await refusal(web.views.open({ trigger_id: late, view: modal('x') }))).data.error).toBe('expired_trigger_id');
    expect((await refusal(web.views.open({ trigger_id: '1.2.abc', view: modal('x') }))).data.error).toBe('expired_trigger_id');
    const once = slack.newTriggerId();
    await web.views.open({ trigger_id: once, view: modal('x') });
    expect((await refusal(web.views.open({ trigger_id: once, view: modal('x') }))).data.error).toBe('exchanged_trigger_id');
    expect(slack.violations).toEqual([]);
  });

  it('pushes at most 3 views deep', async () => {
    const web = client();
    const root = await web.views.open({ trigger_id: slack.newTriggerId(), view: modal('Root') });
    const viewId = root.view!.id!;
    const second = await web.views.push({ trigger_id: slack.newTriggerId({ viewId }), view: modal('Second') });
    expect(second.view).toMatchObject({ root_view_id: viewId, previous_view_id: viewId });
    await web.views.push({ trigger_id: slack.newTriggerId({ viewId: second.view!.id! }), view: modal('Third') });
    const error = await refusal(web.views.push({ trigger_id: slack.newTriggerId({ viewId }), view: modal('Fourth') }));
    expect(error.data.error).toBe('push_limit_reached');
    expect(slack.viewStack(viewId).map((v) => v.view.title.text)).toEqual(['Root', 'Second', 'Third']);
  });

  it('publishes a Home tab per user (user_id required), keeping its view id', async () => {
    const web = client();
    const home = { type: 'home' as const, blocks: [section('Integrations')] };
    const first = await web.views.publish({ user_id: 'U_ALICE', view: home });
    const second = await web.views.publish({ user_id: 'U_ALICE', hash: first.view!.hash!, view: { ...home, blocks: [section('Again')] } });
    expect(second.view!.id).toBe(first.view!.id);
    expect((await refusal(web.views.publish({ user_id: 'U_ALICE', hash: first.view!.hash!, view: home }))).data.error).toBe('hash_conflict');
    expect(slack.homeView('U_ALICE')).toMatchObject({ type: 'home', updates: 1, view: { blocks: [section('Again')] } });
    expect(slack.homeView('U_BOB')).toBeUndefined();
  });

  it('answers users.info with configured admin flags and timezone, and conversations.info', async () => {
    const web = client();
    slack.setUser('U_ADMIN', { isAdmin: true, isOwner: true, tz: 'America/New_York' });
    const admin = await web.users.info({ user: 'U_ADMIN' });
    expect(admin.user).toMatchObject({ id: 'U_ADMIN', is_admin: true, is_owner: true, tz: 'America/New_York' });
    expect([-18000, -14400]).toContain(admin.user!.tz_offset);
    expect((await web.users.info({ user: 'U_ALICE' })).user).toMatchObject({ is_admin: false, is_owner: false, tz: 'UTC', tz_offset: 0 });
    const channel = await web.conversations.info({ channel: 'C_OPS' });
    expect(channel.channel).toMatchObject({ id: 'C_OPS', is_member: true, is_archived: false });
  });

  it('answers unknown_method, not_authed, and not_allowed_token_type for an app token', async () => {
    expect((await refusal(client().apiCall('chat.teleport', {}))).data.error).toBe('unknown_method');
    expect((await refusal(new WebClient(undefined, { slackApiUrl, logger: captureSlackLogger() }).auth.test())).data.error).toBe('not_authed');
    expect((await refusal(client().auth.test({ token: 'xapp-1-A-1-x' }))).data.error).toBe('not_allowed_token_type');
  });

  it('accepts JSON bodies with the token as Bearer, as well as a token form field', async () => {
    const response = await fetch(`${slackApiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-json' },
      body: JSON.stringify({ channel: 'C_OPS', text: 'json', blocks: [section('json')] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C_OPS' });
    const form = await fetch(`${slackApiUrl}auth.test`, { method: 'POST', body: new URLSearchParams({ token: 'xoxb-form' }) });
    expect(await form.json()).toMatchObject({ ok: true });
    expect(slack.calls.map((c) => [c.method, c.encoding, c.token, c.args.blocks])).toEqual([
      ['chat.postMessage', 'json', 'xoxb-json', [section('json')]],
      ['auth.test', 'form', 'xoxb-form', undefined],
    ]);
  });

  it('waits for a call that has not happened yet, and explains a timeout', async () => {
    const waiting = slack.waitFor('chat.postMessage', (call) => call.args.text === 'later');
    await client().chat.postMessage({ channel: 'C_OPS', text: 'sooner' });
    await client().chat.postMessage({ channel: 'C_OPS', text: 'later' });
    expect((await waiting).args.text).toBe('later');
    await expect(slack.waitFor('chat.update', undefined, 50)).rejects.toThrow(/no chat.update call matched within 50 ms/);
  });
});

describe('faults', () => {
  it('answers 429 with Retry-After, which the client honours by waiting and retrying', async () => {
    slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 1 });
    const rateLimited: number[] = [];
    const web = client({ retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });
    web.on(WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));
    const posted = await web.chat.postMessage({ channel: 'C_OPS', text: 'eventually' });
    expect(posted.ok).toBe(true);
    const [limited, retried] = slack.callsTo('chat.postMessage');
    expect(limited).toMatchObject({ status: 429, failed: true, injected: true, error: 'ratelimited' });
    expect(retried).toMatchObject({ status: 200 });
    expect(retried!.at.getTime() - limited!.at.getTime()).toBeGreaterThanOrEqual(990);
    expect(rateLimited).toEqual([1]);
    expect(slack.messages('C_OPS')).toHaveLength(1);
  });

  it('surfaces a 429 as a rate-limited error when rejectRateLimitedCalls is set', async () => {
    slack.failNext('chat.update', { error: 'ratelimited', retryAfter: 7 });
    const error = await refusal(client({ rejectRateLimitedCalls: true }).chat.update({ channel: 'C_OPS', ts: '1.2', text: 'x' }));
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(7);
    expect(slack.callsTo('chat.update')).toHaveLength(1);
  });

  it('surfaces not_in_channel as a platform error, injected or from the channel setup', async () => {
    slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const injected = await refusal(client().chat.postMessage({ channel: 'C_OPS', text: 'x' }));
    expect(injected.code).toBe(ErrorCode.PlatformError);
    expect(injected.data.error).toBe('not_in_channel');
    expect(slack.calls[0]).toMatchObject({ failed: true, injected: true, error: 'not_in_channel' });

    slack.setChannel('C_SECRET', { isPrivate: true, isMember: false });
    slack.setChannel('C_PUBLIC', { isMember: false });
    expect((await refusal(client().chat.postMessage({ channel: 'C_PUBLIC', text: 'x' }))).data.error).toBe('not_in_channel');
    expect((await refusal(client().chat.postMessage({ channel: 'C_SECRET', text: 'x' }))).data.error).toBe('channel_not_found');
    // The next call is fine again.
    expect((await client().chat.postMessage({ channel: 'C_OPS', text: 'x' })).ok).toBe(true);
  });

  it('answers 5xx and dropped connections, which the client retries (it retries them by default)', async () => {
    slack.failNext('chat.postMessage', { status: 503, times: 2 });
    const error = await refusal(client().chat.postMessage({ channel: 'C_OPS', text: 'x' }));
    expect(error.code).toBe(ErrorCode.HTTPError);
    expect(error.statusCode).toBe(503);
    expect((await client({ retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } }).chat.postMessage({ channel: 'C_OPS', text: 'x' })).ok).toBe(true);
    expect(slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([503, 503, 200]);

    slack.failNext('auth.test', { kind: 'reset' });
    expect((await refusal(client().auth.test())).code).toBe(ErrorCode.RequestError);
    slack.failNext('auth.test', { kind: 'reset' });
    expect((await client({ retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } }).auth.test()).ok).toBe(true);
    expect(slack.callsTo('auth.test').map((c) => c.error ?? 'ok')).toEqual(['connection_reset', 'connection_reset', 'ok']);
  });

  it('queues faults per method in order, with any method matching *, and can answer slowly', async () => {
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    slack.failNext('chat.postMessage', { error: 'invalid_auth' });
    slack.failNext('*');
    const web = client();
    expect((await refusal(web.auth.test())).data.error).toBe('fatal_error');
    expect((await refusal(web.chat.postMessage({ channel: 'C_OPS', text: 'x' }))).data.error).toBe('channel_not_found');
    expect((await refusal(web.chat.postMessage({ channel: 'C_OPS', text: 'x' }))).data.error).toBe('invalid_auth');
    expect((await web.chat.postMessage({ channel: 'C_OPS', text: 'x' })).ok).toBe(true);

    slack.failNext('auth.test', { kind: 'slow', delayMs: 300 });
    const started = Date.now();
    expect((await web.auth.test()).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('fails every call with 503 while down, until up', async () => {
    slack.down();
    expect((await refusal(client().auth.test())).statusCode).toBe(503);
    expect((await refusal(client().chat.postMessage({ channel: 'C_OPS', text: 'x' }))).statusCode).toBe(503);
    slack.up();
    expect((await client().auth.test()).ok).toBe(true);
    expect(slack.calls.map((c) => !!c.failed)).toEqual([true, true, false]);
  });
});

describe('response_url', () => {
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('takes 5 posts, refuses a 6th with 404 used_too_many_times, and records each', async () => {
    const url = slack.newResponseUrl({ channelId: 'C_OPS', userId: 'U_ALICE' });
    expect(url).toMatch(new RegExp(`^${slack.origin}/response/[0-9a-f]+$`));
    for (let use = 1; use <= 5; use += 1) expect((await post(url, { text: `answer ${use}` })).status).toBe(200);
    const sixth = await post(url, { text: 'answer 6' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toMatchObject({ ok: false, error: 'used_too_many_times' });
    expect(slack.responses(url).map((r) => [r.body.text, r.status])).toEqual([
      ['answer 1', 200],
      ['answer 2', 200],
      ['answer 3', 200],
      ['answer 4', 200],
      ['answer 5', 200],
      ['answer 6', 404],
    ]);
    expect(slack.ephemerals({ user: 'U_ALICE' })).toHaveLength(5);
  });

  it('expires after 30 minutes', async () => {
    const url = slack.newResponseUrl();
    slack.advanceClock(30 * 60_000 + 1);
    const response = await post(url, { text: 'too late' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'expired_url' });
  });

  it('validates blocks like chat.postMessage, and acts on replace_original, delete_original and in_channel', async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: 'C_OPS', text: 'Run 1 failed', blocks: [section('failed')] });
    const url = slack.newResponseUrl({ channelId: 'C_OPS', userId: 'U_ALICE', messageTs: posted.ts! });

    const refused = await post(url, { text: 'x', blocks: Array(51).fill({ type: 'divider' }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(slack.violations).toMatchObject([{ method: 'response_url', pointer: '/blocks' }]);

    expect((await post(url, { replace_original: true, text: 'Run 1 retried' })).status).toBe(200);
    expect(slack.message('C_OPS', posted.ts!)).toMatchObject({ text: 'Run 1 retried', edits: 1, blocks: [section('failed')] });
    expect(slack.message('C_OPS', posted.ts!)!.history.at(-1)!.via).toBe('response_url');

    expect((await post(url, { response_type: 'in_channel', text: 'for everyone' })).status).toBe(200);
    expect(slack.messages('C_OPS').map((m) => m.text)).toEqual(['Run 1 retried', 'for everyone']);

    expect((await post(url, { delete_original: true })).status).toBe(200);
    expect(slack.messages('C_OPS').map((m) => m.text)).toEqual(['for everyone']);
  });
});
