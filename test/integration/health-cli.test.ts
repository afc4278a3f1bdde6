import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog, writeTemp } from '../support/fixtures.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CLEAN = 'sku_count: 10, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0';

const integrationsYaml = (warehouses: number) => `
- key: stock
  name: Stock
  connector: demo
  domains: [warehouse_inventory]
  config: { warehouses: ${warehouses}, page_size: 100, ${CLEAN} }
- key: locked
  name: Locked
  connector: demo
  domains: [sales_orders]
  config: { orders: 5, fail_at_page: 1, fail_category: authentication }
- key: flaky
  name: Flaky
  connector: demo
  domains: [sales_orders]
  config: { orders: 5, fail_at_page: 1, fail_category: connection }
- key: shop
  name: Shop
  connector: demo
  domains: [sales_orders]
  config: { orders: 60, page_size: 20, unmapped_sku_rate: 0.1, unmapped_channel_rate: 0.1, invalid_rate: 0 }
- key: hourly
  name: Hourly
  connector: demo
  domains: [sales_orders]
  config: { orders: 5, ${CLEAN} }
  schedule: { cron: "0 * * * *", timezone: Europe/Berlin }
- key: longhaul
  name: Long haul
  connector: demo
  domains: [sales_orders]
  config: { orders: 5, ${CLEAN} }
`;

const INDICATORS = ['duration', 'failed', 'fetched', 'schedule', 'status'];

describe('tether health', () => {
  let app: TestApp;
  const cli = cliRunner(() => app.config.databaseUrl);
  const health = async (...argv: string[]) => {
    const result = await cli('health', ...argv, '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout) as any[];
  };
  const pairOf = async (key: string) => {
    const [pair, ...rest] = await health(key);
    expect(rest).toEqual([]);
    return pair;
  };
  const sync = async (key: string, expectedCode = 0) => {
    const result = await cli('sync', key);
    expect({ key, code: result.code }).toEqual({ key, code: expectedCode });
  };
  const apply = async (warehouses: number) => {
    const file = await writeTemp('integrations.yml', integrationsYaml(warehouses));
    expect(await cli('integrations', 'apply', file)).toMatchObject({ code: 0 });
  };

  beforeAll(async () => {
    app = await startTestApp();
    await apply(5);
    for (const key of ['stock', 'shop', 'hourly', 'longhaul']) await seedCatalog(app, key);
  });
  afterAll(async () => app?.destroy());

  it('before any run: not enough history, empty trends, never an alarm', async () => {
    const pair = await pairOf('stock');
    expect(pair).toEqual({
      integration: 'stock',
      domainType: 'warehouse_inventory',
      overall: 'not_enough_history',
      indicators: {
        status: { state: 'not_enough_history', value: null, baseline: null, reason: 'No finished runs yet.' },
        failed: { state: 'not_enough_history', value: null, baseline: null, reason: 'No completed runs so far: 5 are needed to compare.' },
        fetched: { state: 'not_enough_history', value: null, baseline: null, reason: 'No completed runs so far: 5 are needed to compare.' },
        duration: { state: 'not_enough_history', value: null, baseline: null, reason: 'No completed runs so far: 5 are needed to compare.' },
        schedule: { state: 'healthy', value: null, baseline: null, reason: 'No schedule: it runs only when asked.' },
      },
      problems: [],
      trends: { recordsFetched: [], failed: [], durationMs: [] },
    });
  });

  it('real runs: not enough history until 5, then healthy; trends are the runs, oldest first', async () => {
    await sync('stock');
    await sync('stock');
    const early = await pairOf('stock');
    expect(early.overall).toBe('not_enough_history');
    expect(early.indicators.fetched.reason).toBe('2 completed runs so far: 5 are needed to compare.');
    expect(early.indicators.status).toMatchObject({ state: 'healthy', value: 0, reason: 'No failures in a row: the last run succeeded.' });

    for (let i = 0; i < 3; i += 1) await sync('stock');
    const pair = await pairOf('stock');
    expect(pair).toMatchObject({ overall: 'healthy', problems: [] });
    expect(pair.indicators.fetched).toEqual({
      state: 'healthy',
      value: 50,
      baseline: { runs: 4, median: 50, mad: 0, min: 50, max: 50 },
      reason: 'The last run fetched 50 records; the previous 4 runs fetched 50.',
    });
    expect(pair.indicators.duration.state).toBe('healthy');
    expect(pair.indicators.failed).toMatchObject({ state: 'healthy', value: 0, reason: 'The last 3 runs had 0, 0 and 0 failed items; the previous 2 runs had 0.' });
    const executions = JSON.parse((await cli('executions', 'stock', '--json')).stdout) as any[];
    expect(pair.trends).toEqual({
      recordsFetched: executions.map((e) => e.recordsFetched).reverse(),
      failed: executions.map((e) => e.failedCount).reverse(),
      durationMs: executions.map((e) => e.durationMs).reverse(),
    });
  });

  it('records fetched dropping sharply is flagged with the numbers, and the trend shows it', async () => {
    await apply(1);
    await sync('stock');
    const pair = await pairOf('stock');
    const reason = 'The last run fetched 10 records; the previous 5 runs fetched 50.';
    expect(pair.overall).toBe('attention');
    expect(pair.indicators.fetched).toEqual({ state: 'attention', value: 10, baseline: { runs: 5, median: 50, mad: 0, min: 50, max: 50 }, reason });
    expect(pair.problems).toEqual([
      { key: 'fetched_drop', category: 'fetched_drop', reason, fix: 'Check the source and the date range: a filter, a cursor ahead of the data or an outage at the source can hide records.' },
    ]);
    expect(pair.trends.recordsFetched).toEqual([50, 50, 50, 50, 50, 10]);

    const text = await cli('health', 'stock');
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('stock · warehouse_inventory  ATTENTION');
    expect(lines[1]).toMatch(/^ {2}indicator +state +last 6 runs +why$/);
    expect(lines.find((line) => line.startsWith('  fetched'))).toMatch(/^ {2}fetched +ATTENTION +█████▁ +The last run fetched 10 records; the previous 5 runs fetched 50\.$/);
    expect(lines.find((line) => line.startsWith('  status'))).toMatch(/^ {2}status +healthy +No failures in a row: the last run succeeded\.$/);
    expect(text.stdout).toContain('  ! Records fetched dropped: The last run fetched 10 records; the previous 5 runs fetched 50.');
    expect(text.stdout).toContain('    Fix: Check the source and the date range: a filter, a cursor ahead of the data or an outage at the source can hide records. (compare the runs: tether executions stock --domain warehouse_inventory)');
  });

  it('authentication failed: flagged at the first failure as "authentication", with the update-credentials fix', async () => {
    await sync('locked', 1);
    const pair = await pairOf('locked');
    const reason = 'The last run failed with an authentication error, which a retry does not fix.';
    expect(pair).toMatchObject({
      overall: 'attention',
      indicators: { status: { state: 'attention', value: 1, baseline: null, reason } },
      problems: [{ key: 'authentication', category: 'authentication', reason, fix: 'Update the integration credentials, then sync again.' }],
    });
    // A failed run went through no items: the statistics have nothing to judge yet.
    expect(pair.indicators.fetched.state).toBe('not_enough_history');
    expect(pair.trends.recordsFetched).toEqual([0]);
    expect((await cli('health', 'locked')).stdout).toContain(
      '    Fix: Update the integration credentials, then sync again. (put the new credentials in the integrations file, then tether integrations apply <file.yml> and tether sync locked --domain sales_orders)',
    );
  });

  it('connection failures: said but quiet at 2 in a row, "failing" from 3 (HEALTH_FAILURES_IN_A_ROW)', async () => {
    await sync('flaky', 1);
    await sync('flaky', 1);
    const two = await pairOf('flaky');
    expect(two.indicators.status).toEqual({ state: 'healthy', value: 2, baseline: null, reason: 'The last 2 runs failed, the newest with a connection error; attention from 3 in a row.' });
    expect(two.problems).toEqual([]);
    expect((await cli('health', 'flaky', '--json', ...[])).code).toBe(0);
    const stricter = cliRunner(() => app.config.databaseUrl, { HEALTH_FAILURES_IN_A_ROW: '2' });
    expect(JSON.parse((await stricter('health', 'flaky', '--json')).stdout)[0].indicators.status.state).toBe('attention');

    await sync('flaky', 1);
    const three = await pairOf('flaky');
    const reason = 'The last 3 runs failed in a row, the newest with a connection error.';
    expect(three.indicators.status).toEqual({ state: 'attention', value: 3, baseline: null, reason });
    expect(three.problems).toEqual([
      { key: 'failing', category: 'connection', reason, fix: 'Could not reach the source: check the base URL and the platform status, then retry.' },
    ]);
    const [newest] = JSON.parse((await cli('executions', 'flaky', '--json')).stdout);
    expect((await cli('health', 'flaky')).stdout).toContain(`  ! Failing runs (connection): ${reason}\n    Fix: Could not reach the source: check the base URL and the platform status, then retry. (the error in full: tether execution ${newest.id})`);
  });

  it('unmapped SKUs and channels are recognised, counted as the run\'s error analysis counts them', async () => {
    await sync('shop');
    const [execution] = JSON.parse((await cli('executions', 'shop', '--json')).stdout);
    const { unmappedSkus, unmappedChannels } = execution.errorAnalysis;
    expect(unmappedSkus.length).toBeGreaterThan(0);
    expect(unmappedChannels.length).toBeGreaterThan(0);
    const records = (list: { count: number }[]) => list.reduce((sum, value) => sum + value.count, 0);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const pair = await pairOf('shop');
    expect(pair.problems).toEqual([
      {
        key: 'unmapped_skus',
        category: 'unmapped_skus',
        reason: `The last run found ${plural(unmappedSkus.length, 'unmapped SKU')} in ${plural(records(unmappedSkus), 'record')}.`,
        fix: 'Configure SKU external-ID mappings, then sync again.',
      },
      {
        key: 'unmapped_channels',
        category: 'unmapped_channels',
        reason: `The last run found ${plural(unmappedChannels.length, 'unmapped channel')} in ${plural(records(unmappedChannels), 'record')}.`,
        fix: 'Verify the channel mapping, then sync again.',
      },
    ]);
    expect(pair.overall).toBe('attention');
    expect((await cli('health', 'shop')).stdout).toContain(
      `(see them with tether execution ${execution.id}; add them with tether mappings import <file.csv>, then tether sync shop --domain sales_orders)`,
    );
  });

  it('a stale schedule is flagged with no runs at all (checked on read, not after a run), naming the cause', async () => {
    await app.pool.query(`UPDATE integration SET updated_at = now() - interval '1 day' WHERE key = 'hourly'`);
    const pair = await pairOf('hourly');
    expect(pair.overall).toBe('attention');
    expect(pair.indicators.schedule.state).toBe('attention');
    expect(pair.indicators.schedule.value).toBeNull();
    expect(pair.indicators.schedule.reason).toMatch(
      /^Never synced: 2[34] scheduled runs \(every hour, Europe\/Berlin\) have passed since the schedule was set 24 h ago; no worker has ever run\.$/,
    );
    expect(pair.problems).toEqual([{ key: 'stale', category: 'stale', reason: pair.indicators.schedule.reason, fix: 'Start a worker, so the schedule runs again.' }]);
    expect((await cli('health', 'hourly')).stdout).toContain('(tether schedule hourly; start one with tether worker)');

    // A sync (any trigger) brings it back within the schedule.
    await sync('hourly');
    const fresh = await pairOf('hourly');
    expect(fresh.indicators.schedule).toMatchObject({ state: 'healthy', reason: expect.stringMatching(/^Last sync (under a minute|1 min) ago, within the schedule \(every hour, Europe\/Berlin\)\.$/) });
    expect(fresh.problems).toEqual([]);
  });

  it('long histories (rows with realistic values): duration far above usual, then failed items rising', async () => {
    const { rows } = await app.pool.query<{ id: number }>(`SELECT id FROM integration WHERE key = 'longhaul'`);
    const integrationId = rows[0]!.id;
    const insert = (runs: { durationMs: number; fetched: number; failed: number; status?: string }[]) =>
      app.pool.query(
        `INSERT INTO sync_execution (integration_id, domain_type, status, trigger, dry_run, queued_at, started_at, finished_at, duration_ms,
                                     records_fetched, success_count, failed_count, skipped_count, error_analysis)
         SELECT $1, 'sales_orders', r.status, 'scheduled', false, r.at, r.at, r.at + r.duration_ms * interval '1 millisecond', r.duration_ms,
                r.fetched, r.fetched - r.failed, r.failed, 0, '{"unmappedSkus": [], "unmappedChannels": [], "topErrors": []}'::jsonb
           FROM jsonb_to_recordset($2::jsonb) AS r(status text, at timestamptz, duration_ms int, fetched int, failed int)
          ORDER BY r.at`,
        [integrationId, JSON.stringify(runs.map((run, i) => ({ status: run.status ?? (run.failed ? 'partial' : 'success'), at: new Date(Date.now() - (runs.length - i) * 3600_000), duration_ms: run.durationMs, fetched: run.fetched, failed: run.failed })))],
      );
    // 20 hourly runs: 950–1,100 records, 0–3 failed, 50–70 s.
    const usual = Array.from({ length: 20 }, (_, i) => ({ durationMs: 50_000 + ((i * 7919) % 20_001), fetched: 950 + ((i * 37) % 151), failed: (i * 5) % 4 }));
    await insert([...usual, { durationMs: 725_000, fetched: 1_020, failed: 1 }]);
    const slow = await pairOf('longhaul');
    const took = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `1 min${Math.round(ms / 1000) % 60 ? ` ${Math.round(ms / 1000) % 60} s` : ''}`);
    const [low, high] = [Math.min(...usual.map((u) => u.durationMs)), Math.max(...usual.map((u) => u.durationMs))];
    expect(slow.indicators.duration).toEqual({
      state: 'attention',
      value: 725_000,
      baseline: { runs: 20, median: expect.any(Number), mad: expect.any(Number), min: low, max: high },
      reason: `The last run took 12 min 5 s; the previous 20 runs took ${took(low)}–${took(high)}.`,
    });
    expect(slow.problems.map((p: any) => p.key)).toEqual(['duration']);
    expect(slow.indicators.fetched.state).toBe('healthy');
    expect(slow.indicators.fetched.reason).toMatch(/^The last run fetched 1,020 records; the previous 20 runs fetched 9\d\d–1,\d{3}\.$/);
    expect(slow.trends.durationMs).toHaveLength(20);
    expect(slow.trends.durationMs.at(-1)).toBe(725_000);

    await insert([
      { durationMs: 61_000, fetched: 1_000, failed: 40, status: 'partial' },
      { durationMs: 62_000, fetched: 1_010, failed: 52, status: 'partial' },
      { durationMs: 59_000, fetched: 990, failed: 47, status: 'partial' },
    ]);
    const rising = await pairOf('longhaul');
    expect(rising.indicators.failed).toMatchObject({ state: 'attention', value: 47, baseline: { runs: 20, min: 0, max: 3 } });
    expect(rising.indicators.failed.reason).toBe('The last 3 runs had 47, 52 and 40 failed items; the previous 20 runs had 0–3.');
    expect(rising.problems.map((p: any) => p.key)).toEqual(['failed_rising']);
    expect(rising.indicators.duration.state).toBe('healthy');
    const [newest] = JSON.parse((await cli('executions', 'longhaul', '--json', '--limit', '1')).stdout);
    expect((await cli('health', 'longhaul')).stdout).toContain(`(tether items ${newest.id} --status failed,partial_mapped)`);
  });

  it('--json: one object per integration × domain type in overview order, each indicator { state, value, baseline, reason }', async () => {
    const all = await health();
    expect(all.map((pair) => `${pair.integration}/${pair.domainType}`)).toEqual([
      'flaky/sales_orders',
      'hourly/sales_orders',
      'locked/sales_orders',
      'longhaul/sales_orders',
      'shop/sales_orders',
      'stock/warehouse_inventory',
    ]);
    for (const pair of all) {
      expect(Object.keys(pair).sort()).toEqual(['domainType', 'indicators', 'integration', 'overall', 'problems', 'trends']);
      expect(['healthy', 'attention', 'not_enough_history']).toContain(pair.overall);
      expect(Object.keys(pair.indicators).sort()).toEqual(INDICATORS);
      for (const name of INDICATORS) {
        const indicator = pair.indicators[name];
        expect(Object.keys(indicator).sort()).toEqual(['baseline', 'reason', 'state', 'value']);
        expect(['healthy', 'attention', 'not_enough_history']).toContain(indicator.state);
        expect(indicator.value === null || typeof indicator.value === 'number').toBe(true);
        if (indicator.baseline !== null) expect(Object.keys(indicator.baseline).sort()).toEqual(['mad', 'max', 'median', 'min', 'runs']);
        expect(indicator.reason).toMatch(/^[A-Z0-9].*\.$/);
        // Reasons never name a command: front ends add their own words.
        expect(indicator.reason).not.toMatch(/tether|\/tether/);
      }
      for (const problem of pair.problems) {
        expect(Object.keys(problem).sort()).toEqual(['category', 'fix', 'key', 'reason']);
        expect(problem.fix).not.toMatch(/tether/);
      }
      expect(Object.keys(pair.trends).sort()).toEqual(['durationMs', 'failed', 'recordsFetched']);
      expect(pair.trends.failed).toHaveLength(pair.trends.recordsFetched.length);
      expect(pair.trends.durationMs).toHaveLength(pair.trends.recordsFetched.length);
    }
    // --domain narrows it; the text form of everything is one block per pair.
    expect((await health('--domain', 'warehouse_inventory')).map((pair) => pair.integration)).toEqual(['stock']);
    expect((await health('stock', '--domain', 'warehouse_inventory')).map((pair) => pair.integration)).toEqual(['stock']);
    const text = (await cli('health')).stdout;
    expect(text.match(/^\S+ · \S+ {2}(healthy|ATTENTION|not enough history)$/gm)).toHaveLength(6);
  });

  it('the service: limit and "more", one pair, the same refusals', async () => {
    const page = await app.health.all({ limit: 2 });
    expect(page.pairs.map((pair) => pair.integration.key)).toEqual(['flaky', 'hourly']);
    expect(page.more).toBe(4);
    const one = await app.health.pair('stock', 'warehouse_inventory');
    expect(one).toMatchObject({ integration: { key: 'stock', enabled: true }, domainType: 'warehouse_inventory', overall: 'attention' });
    expect(one.lastExecutionId).toEqual(expect.any(Number));
    await expect(app.health.pair('stok', 'warehouse_inventory')).rejects.toMatchObject({ code: 'unknown_integration', details: { suggestion: 'stock' } });
  });

  it('bad input: exit 2 with one line, "did you mean" where it fits', async () => {
    const cases: [string[], RegExp][] = [
      [['health', 'stok'], /^error: Unknown integration "stok" \(did you mean "stock"\?\)\. Known: /],
      [['health', 'nope', '--json'], /^error: Unknown integration "nope"\. Known: /],
      [['health', 'stock', '--domain', 'sales_orders'], /^error: Integration "stock" does not sync sales_orders \(it syncs: warehouse_inventory\)$/],
      [['health', '--domain', 'warehouse_inventry'], /^error: --domain must be one of sales_orders, warehouse_inventory \(got "warehouse_inventry"\) \(did you mean "warehouse_inventory"\?\)$/],
      [['health', 'stock', 'extra'], /too many arguments/],
      [['health', '--bogus'], /unknown option '--bogus'/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(...argv);
      expect({ argv, code: result.code, stdout: result.stdout }).toEqual({ argv, code: 2, stdout: '' });
      expect(result.stderr).toMatch(message);
      expect(result.stderr.split('\n')).toHaveLength(1);
    }
  });
});
