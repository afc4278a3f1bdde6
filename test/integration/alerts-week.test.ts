import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const clean = { orders: 40, page_size: 20, sku_count: 10, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };
const RUNS_PER_DAY = 4;
const DAYS = 7;

/**
 * A simulated week: four integrations, four runs a day each, three incidents (credentials
 * revoked for two days, SKUs unmapped for two days, the source down for a day). Alerts: one
 * message per integration × problem, however many runs it lasts — compared with one message per
 * failed or partial run.
 */
describe('a simulated week of runs', () => {
  let app: TestApp;
  const setConfig = (key: string, config: Record<string, unknown>) =>
    app.pool.query(`UPDATE integration SET config = $2 WHERE key = $1`, [key, { ...clean, ...config }]);

  beforeAll(async () => {
    app = await startTestApp();
    await app.integrations.apply(
      ['shop-a', 'shop-b', 'shop-c', 'shop-d'].map((key) => demoSpec({ key, domains: ['sales_orders'], slackChannel: 'C0ALERTS1', notify: 'problems', config: clean })),
      { actor: 'test' },
    );
    for (const key of ['shop-a', 'shop-b', 'shop-c', 'shop-d']) await seedCatalog(app, key);
  });
  afterAll(async () => app?.destroy());

  it('produces one alert message per incident instead of one per failed run', async () => {
    let problemRuns = 0;
    for (let day = 1; day <= DAYS; day += 1) {
      // Incidents start and end at the start of a day.
      if (day === 2) await setConfig('shop-a', { fail_at_page: 1, fail_category: 'authentication' });
      if (day === 4) await setConfig('shop-a', {});
      if (day === 4) await setConfig('shop-b', { unmapped_sku_rate: 0.3, seed: 99, start: '2026-11-10T00:00:00.000Z' });
      if (day === 6) await app.catalog.addMappings('shop-b', (await app.catalog.unmappedValues('shop-b', { kind: 'sku', limit: 100 })).values.map((v) => ({ kind: 'sku' as const, externalId: v.value, code: 'SKU-0001' })), 'test');
      if (day === 6) await setConfig('shop-c', { fail_at_page: 1, fail_category: 'connection' });
      if (day === 7) await setConfig('shop-c', {});
      for (let run = 0; run < RUNS_PER_DAY; run += 1) {
        for (const key of ['shop-a', 'shop-b', 'shop-c', 'shop-d']) {
          const [execution] = await app.syncs.runNow({ integrationKey: key, actor: 'scheduler' });
          if (execution!.status === 'failed' || execution!.status === 'partial') problemRuns += 1;
        }
      }
    }
    const alertMessages = await scalar<number>(app.pool, `SELECT count(*)::int FROM slack_message WHERE kind = 'health_alert'`);
    const followups = await scalar<number>(app.pool, `SELECT count(*)::int FROM slack_message WHERE kind = 'alert_followup'`);
    const alerts = await app.pool.query(`SELECT i.key, a.problem_key, a.occurrences, a.resolved_at IS NOT NULL AS resolved FROM health_alert a JOIN integration i ON i.id = a.integration_id ORDER BY a.id`);
    console.log(
      `simulated week: ${DAYS * RUNS_PER_DAY * 4} runs, ${problemRuns} failed or partial; ${alertMessages} alert messages (+${followups} thread replies); ` +
        `alerts: ${alerts.rows.map((a) => `${a.key}/${a.problem_key}×${a.occurrences}${a.resolved ? ' resolved' : ''}`).join(', ')}`,
    );
    // One message per incident problem, each resolved by the end of the week; far fewer than the problem runs.
    expect(problemRuns).toBeGreaterThanOrEqual(20);
    expect(alertMessages).toBe(alerts.rowCount);
    expect(new Set(alerts.rows.map((a) => a.key))).toEqual(new Set(['shop-a', 'shop-b', 'shop-c']));
    expect(alertMessages).toBeLessThanOrEqual(6);
    expect(alerts.rows.every((a) => a.resolved)).toBe(true);
    expect(alertMessages * 4).toBeLessThan(problemRuns);
  });
});
