import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, mappingValueBlockIds, VIEWS } from '../../src/slack/ids.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { startSlackHarness, type SlackHarness } from '../support/slack-bot.js';
import { until } from '../support/until.js';

const ALERTS = 'C0ALERTS1';
const USER = 'U0OPSLEAD1';
/** Orders with unmapped SKUs only (every channel is mapped), 10 mapped SKUs. */
const gappy = { orders: 60, page_size: 20, sku_count: 10, unmapped_sku_rate: 0.15, unmapped_channel_rate: 0, invalid_rate: 0 };

const textOf = (value: unknown): string => JSON.stringify(value ?? []);

/** Health alerts in Slack: one per problem, edited, threaded, resolved, muted — and fixed from Slack. */
describe('health alerts and fix-and-retry from Slack', () => {
  let h: SlackHarness;
  const alertMessages = (key: string) =>
    h.app.pool
      .query<{ id: number; ts: string | null; channel: string; alert_id: string }>(
        `SELECT m.id, m.ts, m.posted_channel AS channel, m.payload->>'alertId' AS alert_id FROM slack_message m
         JOIN integration i ON i.id = m.integration_id WHERE m.kind = 'health_alert' AND i.key = $1 ORDER BY m.id`,
        [key],
      )
      .then((result) => result.rows);
  const openAlerts = (key: string) =>
    scalar<number>(h.app.pool, `SELECT count(*)::int FROM health_alert a JOIN integration i ON i.id = a.integration_id WHERE i.key = $1 AND a.resolved_at IS NULL`, [key]);
  const run = async (key: string) => (await h.app.syncs.runNow({ integrationKey: key, actor: 'test' }))[0]!;
  const delivered = async () => {
    await until('the outbox to drain', () => scalar<number>(h.app.pool, 'SELECT count(*)::int FROM slack_message WHERE delivered_version < version AND NOT gave_up'), (n) => n === 0, 20_000);
  };
  const alertOf = async (key: string) => {
    await delivered();
    const [row] = await alertMessages(key);
    return { row: row!, message: h.slack.message(ALERTS, row!.ts!)! };
  };

  beforeAll(async () => {
    h = await startSlackHarness({ worker: true });
    await h.app.integrations.apply(
      ['alerty', 'muted', 'fixme', 'fresh', 'twice'].map((key) =>
        demoSpec({ key, name: key, domains: ['sales_orders'], slackChannel: key === 'fresh' ? null : ALERTS, notify: 'problems', config: gappy }),
      ),
      { actor: 'test' },
    );
    for (const key of ['alerty', 'muted', 'fixme', 'fresh', 'twice']) await seedCatalog(h.app, key);
  });
  afterEach(() => expect(h.slack.violations).toEqual([]));
  afterAll(async () => h?.stop());

  const mapAll = async (key: string) => {
    const unmapped = await h.app.catalog.unmappedValues(key, { kind: 'sku', limit: 100 });
    await h.app.catalog.addMappings(key, unmapped.values.map((v) => ({ kind: 'sku' as const, externalId: v.value, code: 'SKU-0001' })), 'test');
  };

  it('one alert per problem: posted once, edited with the count, follow-ups in its thread, resolved when fixed', async () => {
    await run('alerty');
    const first = await alertOf('alerty');
    expect(textOf(first.message.blocks)).toContain('Unmapped SKUs');
    expect(textOf(first.message.blocks)).toContain(ACTIONS.openMapping);
    await run('alerty');
    await run('alerty');
    const again = await alertOf('alerty');
    expect(await alertMessages('alerty')).toHaveLength(1); // still one alert message
    expect(again.message.edits).toBeGreaterThanOrEqual(1);
    expect(await scalar(h.app.pool, `SELECT occurrences FROM health_alert WHERE id = $1`, [Number(first.row.alert_id)])).toBe(3);
    expect(h.slack.replies(ALERTS, first.row.ts!).length).toBe(2); // one follow-up per later run, in the thread
    expect(textOf(again.message.blocks)).toMatch(/3 runs|3×/);

    await mapAll('alerty');
    await run('alerty');
    const resolved = await alertOf('alerty');
    expect(resolved.message.text).toMatch(/Resolved/);
    expect(textOf(resolved.message.blocks)).not.toContain(ACTIONS.openMapping);
    expect(await openAlerts('alerty')).toBe(0);
    expect(await alertMessages('alerty')).toHaveLength(1);
  });

  it('two workers recording the same problem at the same moment open one alert (database guard)', async () => {
    const execution = await run('twice');
    const alerts = h.app.services.alerts;
    // Start from no alert at all, then three recorders race for the same problem.
    await h.app.pool.query(`DELETE FROM slack_message WHERE integration_id = (SELECT id FROM integration WHERE key = 'twice') AND kind IN ('health_alert', 'alert_followup')`);
    await h.app.pool.query(`DELETE FROM health_alert WHERE integration_id = (SELECT id FROM integration WHERE key = 'twice')`);
    await Promise.all([alerts.afterRun(execution), alerts.afterRun(execution), alerts.afterRun(execution)]);
    expect(await openAlerts('twice')).toBe(1);
    expect(await scalar(h.app.pool, `SELECT count(*)::int FROM slack_message m JOIN integration i ON i.id = m.integration_id WHERE i.key = 'twice' AND m.kind = 'health_alert'`)).toBe(1);
    const [opened] = await h.app.alerts.open('twice');
    expect(opened!.occurrences).toBe(3);
  });

  it('mute 1 h from the alert: no follow-ups while muted, shown on the App Home with Unmute; unmute resumes', async () => {
    await run('muted');
    const { row } = await alertOf('muted');
    await h.http.blockAction({ actionId: ACTIONS.muteHour, channelId: ALERTS, messageTs: row.ts!, userId: USER });
    await until('the mute', () => scalar<number>(h.app.pool, `SELECT count(*)::int FROM alert_mute m JOIN integration i ON i.id = m.integration_id WHERE i.key = 'muted'`), (n) => n === 1);
    expect(await scalar(h.app.pool, `SELECT actor FROM audit_event WHERE action = 'alerts.muted' ORDER BY id DESC LIMIT 1`)).toBe(`slack:${USER}`);
    const muted = await alertOf('muted');
    expect(textOf(muted.message.blocks)).toContain('Muted until');
    expect(textOf(muted.message.blocks)).toContain(ACTIONS.unmute);
    await run('muted');
    await delivered();
    expect(h.slack.replies(ALERTS, row.ts!)).toHaveLength(0);

    await h.http.event('app_home_opened', { user: USER, tab: 'home' });
    const home = await until('the Home tab', async () => h.slack.homeView(USER), (view) => Boolean(view && textOf(view.view.blocks).includes(ACTIONS.unmute)));
    expect(textOf(home!.view.blocks)).toContain('muted');

    await h.http.blockAction({ actionId: ACTIONS.unmute, channelId: ALERTS, messageTs: row.ts!, userId: USER });
    await until('the unmute', () => scalar<number>(h.app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'alerts.unmuted'`), (n) => n === 1);
    await run('muted');
    await delivered();
    expect(h.slack.replies(ALERTS, row.ts!)).toHaveLength(1);

    // The alert offers mute buttons again; lifting a mute that is not there is refused in words.
    expect(textOf((await alertOf('muted')).message.blocks)).toContain(ACTIONS.muteHour);
    await expect(h.app.alerts.unmute('muted', 'test')).rejects.toThrow('Alerts of "muted" are not muted');
  });

  it('the whole fix: alert → Map SKUs → pick Tether SKUs → saved and audited → Retry failed items → those orders are complete, equal to a fresh full sync', async () => {
    const first = await run('fixme');
    const failedIds = (
      await h.app.pool.query<{ external_id: string }>(`SELECT DISTINCT external_id FROM sync_item WHERE execution_id = $1 AND status IN ('failed', 'partial_mapped')`, [first.id])
    ).rows.map((row) => row.external_id);
    expect(failedIds.length).toBeGreaterThan(0);
    const { row } = await alertOf('fixme');

    await h.http.blockAction({ actionId: ACTIONS.openMapping, channelId: ALERTS, messageTs: row.ts!, userId: USER });
    const modal = await until('the mapping modal', async () => h.slack.views({ open: true, type: 'modal' }).find((v) => v.view.callback_id === VIEWS.mapping), Boolean);
    const unmapped = await h.app.catalog.unmappedValues('fixme', { kind: 'sku', limit: 100 });
    expect(unmapped.values.length).toBeGreaterThan(0);
    for (const value of unmapped.values) expect(textOf(modal!.view.blocks)).toContain(value.value);

    const options = await h.http.optionsRequest({ actionId: ACTIONS.mappingTarget, value: 'SKU-000', viewId: modal!.id, blockId: mappingValueBlockIds([unmapped.values[0]!.value])[0]!, userId: USER });
    expect(options.status).toBe(200);
    const codes = (options.body.options as { value: string }[]).map((option) => option.value);
    expect(codes).toContain('SKU-0003');

    const blockIds = mappingValueBlockIds(unmapped.values.map(({ value }) => value));
    const values = Object.fromEntries(
      unmapped.values.map((_, index) => [
        blockIds[index]!,
        { [ACTIONS.mappingTarget]: { type: 'external_select', selected_option: { text: { type: 'plain_text', text: 'SKU-0003' }, value: 'SKU-0003' } } },
      ]),
    );
    const submitted = await h.http.viewSubmission({ viewId: modal!.id, values, userId: USER });
    expect(submitted.ms).toBeLessThan(3000);
    const saved = await until('the saved view', async () => h.slack.view(modal!.id)!, (v) => textOf(v.view.blocks).includes(ACTIONS.retryFailed), 15_000);
    expect(textOf(saved.view.blocks)).toContain('Saved');
    expect(await scalar(h.app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'mappings.added' AND actor = $1`, [`slack:${USER}`])).toBe(unmapped.values.length);

    await h.http.blockAction({ actionId: ACTIONS.retryFailed, viewId: modal!.id, userId: USER });
    const retry = await until(
      'the retry to end',
      () => h.app.pool.query(`SELECT id, status, records_fetched, carried_over_count FROM sync_execution WHERE trigger = 'retry' AND integration_id = (SELECT id FROM integration WHERE key = 'fixme')`).then((r) => r.rows[0]),
      (r) => r !== undefined && ['success', 'partial', 'failed'].includes(r.status),
      30_000,
    );
    expect(retry).toMatchObject({ status: 'success', records_fetched: 0 });
    const items = await h.app.pool.query(`SELECT external_id, status FROM sync_item WHERE execution_id = $1 AND external_id = ANY($2)`, [retry.id, failedIds]);
    expect(items.rows).toHaveLength(failedIds.length);
    expect(items.rows.every((item) => item.status === 'success')).toBe(true);

    // Equal to a fresh full sync with the same mappings.
    await h.app.catalog.addMappings('fresh', unmapped.values.map((v) => ({ kind: 'sku' as const, externalId: v.value, code: 'SKU-0003' })), 'test');
    expect((await run('fresh')).status).toBe('success');
    const orders = (key: string) =>
      h.app.pool
        .query(
          `SELECT o.external_id, o.complete, o.channel_id, (SELECT json_agg(json_build_object('sku', l.sku_id, 'q', l.quantity, 'p', l.unit_price) ORDER BY l.line_no) FROM sales_order_line l WHERE l.order_id = o.id) AS lines
           FROM sales_order o WHERE o.integration_id = (SELECT id FROM integration WHERE key = $1) ORDER BY o.external_id`,
          [key],
        )
        .then((result) => result.rows);
    const repaired = await orders('fixme');
    expect(repaired.every((order) => order.complete)).toBe(true);
    expect(repaired).toEqual(await orders('fresh'));
    await until('the alert resolved', async () => (await alertOf('fixme')).message.text ?? '', (text) => /Resolved/.test(text), 15_000);

    // Nothing left to retry: refused in words.
    const refused = await h.http.blockAction({ actionId: ACTIONS.retryFailed, viewId: modal!.id, userId: USER });
    expect(refused.status).toBe(200);
    await until('the refusal in the modal', async () => h.slack.view(modal!.id)!, (v) => textOf(v.view.blocks).includes('Nothing to retry'));
  });
});
