import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WEB_API_METHODS } from '../../src/slack/api-methods.js';
import { ACTIONS, VIEWS } from '../../src/slack/ids.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { ADMIN, SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../support/slack-bot.js';
import { signSlackRequest } from '../support/slack-requests.js';
import { until } from '../support/until.js';

const clean = { unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };
const CHANNEL = 'C_OPS';
const BOB = 'U0BOB0001';
const OWNER = 'U0OWNER01';

/** Text of every block of a message or view, flattened: what a person would read. */
const textOf = (blocks: unknown): string => JSON.stringify(blocks ?? []);

/** The real Slack app over HTTP (signed requests, Bolt's receiver) against a fake Slack Web API. */
describe('the Slack app', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness({ worker: true });
    await h.app.integrations.apply(
      [
        demoSpec({ key: 'shop', name: 'Shop', domains: ['sales_orders'], slackChannel: '#ops-sync', config: { orders: 60, page_size: 20, ...clean } }),
        demoSpec({
          key: 'gappy',
          name: 'Gappy',
          slackChannel: '#ops-sync',
          config: { orders: 80, page_size: 20, unmapped_sku_rate: 0.2, unmapped_channel_rate: 0.1, invalid_rate: 0.02 },
        }),
        demoSpec({ key: 'slow', name: 'Slow', domains: ['sales_orders'], config: { orders: 80, page_size: 10, page_delay_ms: 500, ...clean } }),
        demoSpec({ key: 'off', name: 'Off', domains: ['sales_orders'], enabled: false }),
      ],
      { actor: 'test' },
    );
    for (const key of ['shop', 'gappy', 'slow']) await seedCatalog(h.app, key);
    h.slack.setUser(ADMIN, { isAdmin: false });
    h.slack.setUser(OWNER, { isOwner: true });
    h.slack.setUser(BOB, {});
  });
  afterEach(() => {
    // Nothing the app sent may break Slack's limits, or call a method the manifest does not cover.
    expect(h.slack.violations).toEqual([]);
    for (const call of h.slack.calls) expect(Object.keys(WEB_API_METHODS), call.method).toContain(call.method);
  });
  afterAll(async () => h?.stop());

  const ephemeralText = async (responseUrlId: string) => {
    const post = await h.slack.waitForResponse(responseUrlId);
    expect(post.body.response_type ?? 'ephemeral').toBe('ephemeral');
    return `${post.body.text} ${textOf(post.body.blocks)}`;
  };

  it('acks every command within Slack’s 3 s, with help and bad input answered in the ack itself', async () => {
    const help = await h.http.command('help');
    expect(help.status).toBe(200);
    expect(help.ms).toBeLessThan(3000);
    expect(help.body.response_type).toBe('ephemeral');
    for (const sub of ['sync &lt;integration&gt;', 'status', 'history', 'items &lt;execution-id&gt;', 'reset &lt;integration&gt;', 'schedule &lt;integration&gt;']) {
      expect(textOf(help.body.blocks)).toContain(sub);
    }
    const typo = await h.http.command('histroy shop');
    expect(typo.body.response_type).toBe('ephemeral');
    expect(`${typo.body.text}`).toContain('Unknown subcommand');
    expect(textOf(typo.body.blocks)).toContain('/tether history');

    const badId = await h.http.command('items abc');
    expect(textOf(badId.body.blocks)).toContain('is not an execution id');
    expect(textOf(badId.body.blocks)).toContain('/tether items &lt;execution-id&gt;');
  });

  it('refuses unknown integrations, domains and disabled integrations in words, with did-you-mean', async () => {
    const unknown = await h.http.command('sync shpo');
    expect(unknown.ms).toBeLessThan(3000);
    const text = await ephemeralText(unknown.responseUrlId);
    expect(text).toContain('Unknown integration `shpo`');
    expect(text).toContain('/tether sync shop');
    expect(await ephemeralText((await h.http.command('sync shop orders')).responseUrlId)).toContain('Unknown domain type `orders`');
    expect(await ephemeralText((await h.http.command('sync shop warehouse_inventory')).responseUrlId)).toContain('does not sync warehouse_inventory');
    expect(await ephemeralText((await h.http.command('sync off')).responseUrlId)).toContain('is disabled');
    expect(await ephemeralText((await h.http.command('history nope')).responseUrlId)).toContain('Unknown integration `nope`');
  });

  it('sync: queued through the worker; one live message in the channel, edited as pages commit, ending as the summary', async () => {
    const result = await h.http.command('sync slow', { userId: BOB });
    expect(result.ms).toBeLessThan(3000);
    expect(await ephemeralText(result.responseUrlId)).toContain('Queued a sync of `slow`');
    const executionId = await scalar<number>(h.app.pool, `SELECT max(id) FROM sync_execution WHERE triggered_by = 'slack:${BOB}'`);
    const [posted] = await until('the run message', async () => h.slack.messages(CHANNEL).filter((m) => (m.text ?? '').includes(`#${executionId}`)), (m) => m.length > 0);
    await until('the run to end', () => scalar<string>(h.app.pool, 'SELECT status FROM sync_execution WHERE id = $1', [executionId]), (s) => s === 'success');
    const message = await until('the summary', async () => h.slack.message(CHANNEL, posted!.ts)!, (m) => /^:white_check_mark:/.test(m.text ?? ''), 20_000);
    // One message, edited in place (never more than one edit per 3 s), ending as the summary.
    expect(h.slack.messages(CHANNEL).filter((m) => (m.text ?? '').includes(`#${executionId}`))).toHaveLength(1);
    expect(message.edits).toBeGreaterThanOrEqual(2);
    const times = message.history.map((version) => version.at.getTime());
    for (let i = 2; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(2900);
    const running = message.history.find((version) => textOf(version.blocks).includes('unning'));
    expect(running).toBeDefined();
    expect(textOf(message.blocks)).toContain(`<@${BOB}>`);
    expect(textOf(message.blocks)).toContain(ACTIONS.syncAgain);
    expect(textOf(message.blocks)).toContain('<!date^');
  });

  it('a run with unmapped SKUs posts its summary and the unmapped alert in its thread; the buttons open the items modal', async () => {
    const run = await h.http.command('sync gappy sales_orders');
    await ephemeralText(run.responseUrlId);
    const executionId = await scalar<number>(h.app.pool, `SELECT max(e.id) FROM sync_execution e JOIN integration i ON i.id = e.integration_id WHERE i.key = 'gappy'`);
    const summary = await until('the partial summary', async () => h.slack.messages(CHANNEL).find((m) => (m.text ?? '').includes(`#${executionId}`) && /partial/i.test(m.text ?? '')), Boolean, 30_000);
    const [alert] = await until('the alert in the thread', async () => h.slack.replies(CHANNEL, summary!.ts), (r) => r.length > 0, 15_000);
    const analysis = (await h.app.executions.get(executionId)).errorAnalysis!;
    const top = analysis.unmappedSkus[0]!;
    expect(textOf(alert!.blocks)).toContain(top.value);
    expect(textOf(alert!.blocks)).toContain(String(top.count));
    expect(textOf(summary!.blocks)).toContain(ACTIONS.openItems);

    const opened = await h.http.blockAction({ actionId: ACTIONS.openItems, channelId: CHANNEL, messageTs: summary!.ts });
    expect(opened.ms).toBeLessThan(3000);
    const modal = await until('the items modal', async () => h.slack.views({ open: true, type: 'modal' }).find((v) => v.view.callback_id === VIEWS.items), Boolean);
    const problems = await scalar<number>(h.app.pool, `SELECT count(*)::int FROM sync_item WHERE execution_id = $1 AND status IN ('failed','partial_mapped')`, [executionId]);
    expect(textOf(modal!.view.blocks)).toMatch(/Failed|Partly mapped|partial/i);
    expect(problems).toBeGreaterThan(0);
  });

  it('items modal: filters re-query in place, Next pages to the last page and Previous comes back; keyset', async () => {
    const [run] = await h.app.syncs.runNow({ integrationKey: 'gappy', domainType: 'sales_orders', actor: 'test' });
    const total = await scalar<number>(h.app.pool, 'SELECT count(*)::int FROM sync_item WHERE execution_id = $1', [run!.id]);
    const opened = await h.http.command(`items ${run!.id}`);
    expect(opened.ms).toBeLessThan(3000);
    const modal = await until('the items modal', async () => h.slack.views({ open: true, type: 'modal' }).find((v) => v.view.callback_id === VIEWS.items && v.updates > 0), Boolean);
    const seen = new Set<string>();
    let pages = 0;
    let view = h.slack.view(modal!.id)!;
    for (;;) {
      pages += 1;
      for (const match of textOf(view.view.blocks).matchAll(/DEMO-ORD-\d{7}/g)) seen.add(match[0]);
      if (!textOf(view.view.blocks).includes(ACTIONS.itemsNext)) break;
      const updates = view.updates;
      await h.http.blockAction({ actionId: ACTIONS.itemsNext, viewId: view.id });
      view = await until('the next page', async () => h.slack.view(modal!.id)!, (v) => v.updates > updates);
    }
    expect(pages).toBe(Math.ceil(total / 25));
    expect(seen.size).toBeGreaterThan(total - 10); // each order once (a re-sent copy is skipped, same id)
    const updates = view.updates;
    await h.http.blockAction({ actionId: ACTIONS.itemsPrevious, viewId: view.id });
    view = await until('the page before', async () => h.slack.view(modal!.id)!, (v) => v.updates > updates);
    expect(textOf(view.view.blocks)).toContain(ACTIONS.itemsNext);

    const before = view.updates;
    await h.http.blockAction({ actionId: ACTIONS.itemsStatus, viewId: view.id, selectedOption: 'failed' });
    view = await until('the filtered page', async () => h.slack.view(modal!.id)!, (v) => v.updates > before);
    const failed = await scalar<number>(h.app.pool, `SELECT count(*)::int FROM sync_item WHERE execution_id = $1 AND status = 'failed'`, [run!.id]);
    expect(failed).toBeGreaterThan(0);
    const lines = [...textOf(view.view.blocks).matchAll(/\*`DEMO-ORD-\d{7}`\*  ([^·]+)·/g)].map((match) => match[1]!.trim());
    expect(lines.length).toBe(Math.min(failed, 25));
    expect(new Set(lines)).toEqual(new Set([':x: failed']));
  });

  it('an aggregate item opens its per-record breakdown (views.push)', async () => {
    const [inventory] = await h.app.syncs.runNow({ integrationKey: 'gappy', domainType: 'warehouse_inventory', actor: 'test' });
    expect(inventory!.failedCount).toBeGreaterThan(0);
    await h.http.command(`items ${inventory!.id} problems`);
    const modal = await until('the items modal', async () => h.slack.views({ open: true, type: 'modal' }).find((v) => v.view.callback_id === VIEWS.items && textOf(v.view.blocks).includes(ACTIONS.itemOpen)), Boolean);
    await h.http.blockAction({ actionId: ACTIONS.itemOpen, viewId: modal!.id });
    const breakdown = await until('the breakdown', async () => h.slack.views({ open: true, type: 'modal' }).find((v) => v.view.callback_id === VIEWS.itemBreakdown), Boolean);
    expect(breakdown!.rootViewId).toBe(modal!.rootViewId);
    expect(textOf(breakdown!.view.blocks)).toContain('Unmapped SKU');
  });

  it('status, history and schedule answer ephemerally', async () => {
    expect(await ephemeralText((await h.http.command('status')).responseUrlId)).toContain('shop');
    expect(await ephemeralText((await h.http.command('history gappy')).responseUrlId)).toMatch(/#\d+/);
    expect(await ephemeralText((await h.http.command('schedule shop')).responseUrlId)).toMatch(/schedule|cron/i);
  });

  it('reset: a non-admin is refused and told who can; an admin confirms, it is audited and announced', async () => {
    const refused = await h.http.command('reset shop', { userId: BOB });
    const text = await ephemeralText(refused.responseUrlId);
    expect(text).toContain(`<@${ADMIN}>`);
    expect(text).toMatch(/admin/i);
    expect(h.slack.views({ type: 'modal', open: true }).some((v) => v.view.callback_id === VIEWS.resetConfirm)).toBe(false);

    // A forged submission by a non-admin is refused on the server too.
    const before = await scalar<number>(h.app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'sync_state.reset'`);
    await h.http.command('reset shop', { userId: ADMIN });
    const confirm = await until('the confirmation', async () => h.slack.views({ type: 'modal', open: true }).find((v) => v.view.callback_id === VIEWS.resetConfirm), Boolean);
    const forged = await h.http.viewSubmission({ viewId: confirm!.id, userId: BOB });
    expect(forged.ms).toBeLessThan(3000);
    await until('the refusal in the modal', async () => h.slack.view(confirm!.id)!, (v) => textOf(v.view.blocks).includes('admin'));
    expect(await scalar<number>(h.app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'sync_state.reset'`)).toBe(before);

    await h.http.command('reset shop', { userId: OWNER }); // a workspace owner is an admin too
    const again = await until('the confirmation', async () => h.slack.views({ type: 'modal', open: true }).find((v) => v.view.callback_id === VIEWS.resetConfirm && v.id !== confirm!.id), Boolean);
    await h.http.viewSubmission({ viewId: again!.id, userId: OWNER });
    await until('the reset', () => scalar<string | null>(h.app.pool, `SELECT actor FROM audit_event WHERE action = 'sync_state.reset' ORDER BY id DESC LIMIT 1`), (a) => a === `slack:${OWNER}`);
    const notice = await until('the announcement', async () => h.slack.messages('#ops-sync').find((m) => textOf(m.blocks).includes('reset') && textOf(m.blocks).includes(`<@${OWNER}>`)), Boolean);
    expect(notice).toBeDefined();
    // The modal ends on the outcome, never stuck on "Resetting…".
    await until('the outcome in the modal', async () => h.slack.view(again!.id)!, (v) => textOf(v.view.blocks).includes('the next sync fetches everything'));
  });

  it('App Home: published on app_home_opened with a card per integration', async () => {
    const opened = await h.http.event('app_home_opened', { user: BOB, tab: 'home' });
    expect(opened.status).toBe(200);
    const home = await until('the Home tab', async () => h.slack.homeView(BOB), Boolean);
    const text = textOf(home!.view.blocks);
    for (const key of ['Shop', 'Gappy', 'Slow']) expect(text).toContain(key);
    expect(text).toContain(ACTIONS.homeSync);
  });

  it('refuses unsigned, wrongly signed and stale requests with 401', async () => {
    const body = 'command=%2Ftether&text=help';
    expect((await h.http.raw(body, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(401);
    expect(
      (await h.http.raw(body, { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': 'v0=deadbeef', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) })).status,
    ).toBe(401);
    const stale = signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 600);
    expect((await h.http.raw(body, stale)).status).toBe(401);
  });
});

