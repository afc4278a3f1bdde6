import { describe, expect, it } from 'vitest';
import {
  assessHealth,
  baselineOf,
  DEFAULT_HEALTH_THRESHOLDS,
  median,
  problemAlertKey,
  scaledMad,
  type HealthInput,
  type HealthRun,
  type PairHealth,
} from '../../src/domain/health.js';
import { formatAge, formatCount, formatDurationMs, formatRange } from '../../src/domain/health-text.js';

const T = DEFAULT_HEALTH_THRESHOLDS;
const NOW = new Date('2026-12-01T12:00:00Z');

/** A deterministic PRNG (mulberry32), so "random" histories are the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let nextId = 1000;
function run(overrides: Partial<HealthRun> = {}): HealthRun {
  return {
    id: nextId++,
    status: 'success',
    trigger: 'scheduled',
    errorCategory: null,
    recordsFetched: 1000,
    failedCount: 0,
    durationMs: 60_000,
    unmappedSkus: 0,
    unmappedSkuRecords: 0,
    unmappedChannels: 0,
    unmappedChannelRecords: 0,
    ...overrides,
  };
}

/** n normal runs, newest first: fetched 950–1,100, 0–3 failed, 50–70 s. */
function normalHistory(n: number, seed = 7): HealthRun[] {
  const random = prng(seed);
  return Array.from({ length: n }, () =>
    run({
      recordsFetched: 950 + Math.round(random() * 150),
      failedCount: Math.floor(random() * 4),
      durationMs: 50_000 + Math.round(random() * 20_000),
    }),
  );
}

const assess = (runs: HealthRun[], extra: Partial<HealthInput> = {}): PairHealth =>
  assessHealth({ runs, schedule: null, thresholds: T, ...extra });

const keys = (health: PairHealth) => health.problems.map((problem) => problem.key);

describe('robust statistics', () => {
  it('median and MAD (scaled 1.4826), and a baseline with its range', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(scaledMad([1, 1, 2, 2, 4, 6, 9])).toBeCloseTo(1.4826, 6);
    expect(scaledMad([5, 5, 5])).toBe(0);
    expect(baselineOf([1000, 950, 1100, 1020])).toEqual({ runs: 4, median: 1010, mad: expect.any(Number), min: 950, max: 1100 });
    expect(() => median([])).toThrow(RangeError);
  });

  it('numbers in words: thousands separators, en-dash ranges, durations', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1020.5)).toBe('1,021');
    expect(formatRange(950, 1100)).toBe('950–1,100');
    expect(formatRange(7, 7)).toBe('7');
    expect(formatDurationMs(850)).toBe('850 ms');
    expect(formatDurationMs(4200)).toBe('4.2 s');
    expect(formatDurationMs(42_000)).toBe('42 s');
    expect(formatDurationMs(725_000)).toBe('12 min 5 s');
    expect(formatDurationMs(7_500_000)).toBe('2 h 5 min');
    expect(formatDurationMs(4 * 86_400_000)).toBe('4 days');
    expect(formatAge(237)).toBe('under a minute');
    expect(formatAge(29 * 60_000 + 40_000)).toBe('30 min');
    expect(formatAge((5 * 60 + 12) * 60_000 + 5_000)).toBe('5 h 12 min');
  });
});

describe('health on normal noise', () => {
  it('20 runs fetching 950–1,100 with 0–3 failed items and 50–70 s: healthy everywhere, reasons with the numbers', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      const health = assess(normalHistory(23, seed));
      expect({ seed, overall: health.overall, problems: health.problems }).toEqual({ seed, overall: 'healthy', problems: [] });
    }
    const health = assess(normalHistory(23));
    expect(health.indicators.fetched).toMatchObject({ state: 'healthy', baseline: { runs: 20 } });
    expect(health.indicators.fetched.reason).toMatch(/^The last run fetched [\d,]+ records; the previous 20 runs fetched \d{3}–1,\d{3}\.$/);
    expect(health.indicators.duration.reason).toMatch(/^The last run took (\d+ s|1 min( \d+ s)?); the previous 20 runs took 5\d s–1 min( \d+ s)?\.$/);
    expect(health.indicators.failed.reason).toMatch(/^The last 3 runs had \d, \d and \d failed items; the previous 20 runs had 0–3\.$/);
    expect(health.indicators.status).toEqual({ state: 'healthy', value: 0, baseline: null, reason: 'No failures in a row: the last run succeeded.' });
    expect(health.indicators.schedule).toEqual({ state: 'healthy', value: null, baseline: null, reason: 'No schedule: it runs only when asked.' });
  });

  it('one noisy run in the baseline changes nothing; one noisy failed count is not "rising"', () => {
    const history = normalHistory(23);
    history[6] = run({ recordsFetched: 40, failedCount: 300, durationMs: 900_000 });
    expect(assess(history)).toMatchObject({ overall: 'healthy', problems: [] });
    const newestNoisy = normalHistory(23);
    newestNoisy[0] = run({ recordsFetched: 1000, failedCount: 200, durationMs: 60_000 });
    const health = assess(newestNoisy);
    expect(health.indicators.failed.state).toBe('healthy');
    expect(health.problems).toEqual([]);
  });

  it('a run fetching a bit less than usual (60% of the median) is not a drop', () => {
    const history = normalHistory(23);
    history[0] = run({ recordsFetched: 620 });
    expect(assess(history).indicators.fetched.state).toBe('healthy');
  });
});

describe('records fetched', () => {
  it('a sharp drop is flagged with the numbers ("fetched 12 records; the previous 20 runs fetched 950–1,100")', () => {
    const history = normalHistory(23);
    history[0] = run({ recordsFetched: 12 });
    const health = assess(history);
    const { min, max } = health.indicators.fetched.baseline!;
    const reason = `The last run fetched 12 records; the previous 20 runs fetched ${formatRange(min, max)}.`;
    expect(health.indicators.fetched).toMatchObject({ state: 'attention', value: 12, reason });
    expect(health.overall).toBe('attention');
    expect(health.problems).toEqual([{ key: 'fetched_drop', category: 'fetched_drop', reason, fix: expect.stringMatching(/^Check the source/), executionId: history[0]!.id }]);
  });

  it('zero where the baseline is not zero → no_records with the date-range fix; zero where zero is usual → quiet', () => {
    const history = normalHistory(23);
    history[0] = run({ recordsFetched: 0 });
    const health = assess(history);
    expect(health.indicators.fetched).toMatchObject({ state: 'attention', value: 0 });
    expect(health.indicators.fetched.reason).toMatch(/^The last run fetched no records; the previous 20 runs fetched 9\d\d–1,\d{3}\.$/);
    expect(health.problems).toEqual([expect.objectContaining({ key: 'no_records', category: 'no_records', fix: expect.stringContaining('date range') })]);

    // An hourly incremental sync that often fetches nothing at night.
    const random = prng(3);
    const quiet = Array.from({ length: 23 }, (_, i) => run({ recordsFetched: i === 0 || random() < 0.3 ? 0 : Math.round(random() * 40) }));
    expect(assess(quiet).indicators.fetched.state).toBe('healthy');
    // Always zero: nothing unusual.
    expect(assess(Array.from({ length: 10 }, () => run({ recordsFetched: 0 }))).indicators.fetched.state).toBe('healthy');
  });

  it('a full re-sync is no baseline; one fetching less than the usual incremental run is still a drop', () => {
    const history = normalHistory(23);
    history.splice(4, 0, run({ trigger: 'full_resync', recordsFetched: 250_000, durationMs: 3_600_000 }));
    const health = assess(history);
    expect(health.indicators.fetched.baseline!.max).toBeLessThanOrEqual(1100);
    expect(health.overall).toBe('healthy');
    const full = normalHistory(23);
    full[0] = run({ trigger: 'full_resync', recordsFetched: 3 });
    expect(keys(assess(full))).toEqual(['fetched_drop']);
  });
});

describe('duration', () => {
  it('far above usual is flagged; a full re-sync taking long is not', () => {
    const history = normalHistory(23);
    history[0] = run({ durationMs: 725_000 });
    const health = assess(history);
    expect(health.indicators.duration).toMatchObject({ state: 'attention', value: 725_000 });
    expect(health.indicators.duration.reason).toMatch(/^The last run took 12 min 5 s; the previous 20 runs took 5\d s–1 min( \d+ s)?\.$/);
    expect(keys(health)).toEqual(['duration']);

    const resync = normalHistory(23);
    resync[0] = run({ durationMs: 725_000, trigger: 'full_resync', recordsFetched: 90_000 });
    expect(assess(resync).indicators.duration).toMatchObject({ state: 'healthy', reason: expect.stringMatching(/^The last run was a full re-sync and took 12 min 5 s/) });
  });

  it('says when the slow run also fetched far more than usual', () => {
    const history = normalHistory(23);
    history[0] = run({ durationMs: 600_000, recordsFetched: 12_000 });
    expect(assess(history).indicators.duration.reason).toMatch(/^The last run took 10 min \(it fetched 12,000 records against 9\d\d–1,\d{3}\); the previous 20 runs/);
  });

  it('tiny runs never flap: 3 s after a baseline of 200–400 ms is below the 30 s floor', () => {
    const random = prng(11);
    const history = Array.from({ length: 23 }, () => run({ durationMs: 200 + Math.round(random() * 200) }));
    history[0] = run({ durationMs: 3000 });
    expect(assess(history).indicators.duration.state).toBe('healthy');
  });

  it('must be above the median + k·MAD and twice the median: 1.5× a steady median is not enough', () => {
    const history = Array.from({ length: 23 }, () => run({ durationMs: 100_000 }));
    history[0] = run({ durationMs: 150_000 });
    expect(assess(history).indicators.duration.state).toBe('healthy');
    history[0] = run({ durationMs: 210_000 });
    expect(assess(history).indicators.duration.state).toBe('attention');
  });
});

describe('failed count', () => {
  it('rising over the recent runs is flagged, with each recent count and the usual range', () => {
    const history = normalHistory(23);
    history[0] = run({ status: 'partial', failedCount: 47 });
    history[1] = run({ status: 'partial', failedCount: 52 });
    history[2] = run({ status: 'partial', failedCount: 40 });
    const health = assess(history);
    expect(health.indicators.failed).toMatchObject({ state: 'attention', value: 47, baseline: { runs: 20, min: 0, max: 3 } });
    expect(health.indicators.failed.reason).toBe('The last 3 runs had 47, 52 and 40 failed items; the previous 20 runs had 0–3.');
    expect(keys(health)).toEqual(['failed_rising']);
  });

  it('one noisy run out of the last three is not a trend, two are; 0 → 2 a run is below the minimum rise', () => {
    const history = normalHistory(23);
    history[0] = run({ failedCount: 80 });
    history[1] = run({ failedCount: 1 });
    history[2] = run({ failedCount: 2 });
    expect(assess(history).indicators.failed.state).toBe('healthy');
    history[2] = run({ failedCount: 90 });
    expect(assess(history).indicators.failed).toMatchObject({ state: 'attention', value: 80 });
    const zeros = Array.from({ length: 23 }, (_, i) => run({ failedCount: i < 3 ? 2 : 0 }));
    expect(assess(zeros).indicators.failed.state).toBe('healthy');
    const more = Array.from({ length: 23 }, (_, i) => run({ failedCount: i < 3 ? 6 : 0 }));
    expect(assess(more).indicators.failed.state).toBe('attention');
  });
});

describe('execution status', () => {
  it('N failures in a row (default 3) need attention, naming the category; fewer only say so', () => {
    const history = normalHistory(10);
    history.unshift(run({ status: 'failed', errorCategory: 'connection', recordsFetched: 0 }), run({ status: 'failed', errorCategory: 'connection' }));
    const two = assess(history);
    expect(two.indicators.status).toEqual({
      state: 'healthy',
      value: 2,
      baseline: null,
      reason: 'The last 2 runs failed, the newest with a connection error; attention from 3 in a row.',
    });
    expect(two.problems).toEqual([]);
    // A failed run is not a "processed" run: fetched is judged on the newest run that went through its items.
    expect(two.indicators.fetched.state).toBe('healthy');

    history.unshift(run({ status: 'failed', errorCategory: 'source_data' }));
    const three = assess(history);
    expect(three.indicators.status).toMatchObject({ state: 'attention', value: 3, reason: 'The last 3 runs failed in a row, the newest with source data Tether cannot read.' });
    expect(three.problems).toEqual([
      { key: 'failing', category: 'source_data', reason: three.indicators.status.reason, fix: expect.stringContaining('check the connector configuration'), executionId: history[0]!.id },
    ]);
  });

  it('interrupted runs neither break nor extend a streak; a success ends it', () => {
    const failed = () => run({ status: 'failed', errorCategory: 'connection' });
    expect(assess([failed(), run({ status: 'interrupted' }), failed(), failed(), ...normalHistory(5)]).indicators.status.value).toBe(3);
    expect(assess([failed(), failed(), run(), failed(), failed()]).indicators.status.value).toBe(2);
  });

  it('authentication failed → the "authentication" problem with "update credentials", at the first failure (a retry cannot fix it)', () => {
    const health = assess([run({ status: 'failed', errorCategory: 'authentication' }), ...normalHistory(10)]);
    expect(health.indicators.status).toMatchObject({ state: 'attention', value: 1, reason: 'The last run failed with an authentication error, which a retry does not fix.' });
    expect(health.problems).toEqual([expect.objectContaining({ key: 'authentication', category: 'authentication', fix: 'Update the integration credentials, then sync again.' })]);
    // The key stays the same while it lasts: one alert, not one per run.
    const later = assess([run({ status: 'failed', errorCategory: 'authentication' }), run({ status: 'failed', errorCategory: 'authentication' }), ...normalHistory(10)]);
    expect(keys(later)).toEqual(['authentication']);
  });

  it('status and stale flag even with fewer than 5 runs; statistics say "not enough history", never an alarm', () => {
    const failing = Array.from({ length: 3 }, () => run({ status: 'failed', errorCategory: 'connection' }));
    const health = assess(failing);
    expect(health.overall).toBe('attention');
    expect(health.indicators.status.state).toBe('attention');
    for (const name of ['failed', 'fetched', 'duration'] as const) expect(health.indicators[name].state).toBe('not_enough_history');
    expect(health.indicators.fetched.reason).toBe('No completed runs so far: 5 are needed to compare.');

    const short = [run({ recordsFetched: 0, durationMs: 9_000_000, failedCount: 900 }), run(), run(), run()];
    const quiet = assess(short);
    expect(quiet).toMatchObject({ overall: 'not_enough_history', problems: [] });
    expect(quiet.indicators.fetched).toEqual({ state: 'not_enough_history', value: null, baseline: null, reason: '4 completed runs so far: 5 are needed to compare.' });
    expect(assess([]).indicators.status).toEqual({ state: 'not_enough_history', value: null, baseline: null, reason: 'No finished runs yet.' });
    // Five runs are enough.
    expect(assess([run({ recordsFetched: 3 }), run(), run(), run(), run()]).indicators.fetched.state).toBe('attention');
  });

  it('cancelled runs are ignored', () => {
    const history = normalHistory(23);
    history.unshift(run({ status: 'cancelled', recordsFetched: 3, durationMs: 1000 }));
    expect(assess(history)).toMatchObject({ overall: 'healthy', problems: [] });
  });
});

describe('recognised causes', () => {
  it('unmapped SKUs and channels of the newest processed run: each a problem with its fix', () => {
    const history = normalHistory(10);
    history[0] = run({ status: 'partial', failedCount: 3, unmappedSkus: 2, unmappedSkuRecords: 340, unmappedChannels: 1, unmappedChannelRecords: 1 });
    const health = assess(history);
    expect(health.problems).toEqual([
      { key: 'unmapped_skus', category: 'unmapped_skus', reason: 'The last run found 2 unmapped SKUs in 340 records.', fix: 'Configure SKU external-ID mappings, then sync again.', executionId: history[0]!.id },
      { key: 'unmapped_channels', category: 'unmapped_channels', reason: 'The last run found 1 unmapped channel in 1 record.', fix: 'Verify the channel mapping, then sync again.', executionId: history[0]!.id },
    ]);
    expect(health.overall).toBe('attention');
    // Capped lists say so.
    history[0] = run({ unmappedSkus: 50, unmappedSkuRecords: 1234 });
    expect(assess(history).problems[0]!.reason).toBe('The last run found 50 or more unmapped SKUs in 1,234 records.');
    // Fixed: the next run has none.
    expect(assess([run(), ...history]).problems).toEqual([]);
  });

  it('a problem keeps its alert identity while it lasts, whatever its numbers', () => {
    const first = assess([run({ status: 'partial', unmappedSkus: 2, unmappedSkuRecords: 5 }), ...normalHistory(10)]);
    const later = assess([run({ status: 'partial', unmappedSkus: 7, unmappedSkuRecords: 90 }), ...normalHistory(10)]);
    const identity = (health: PairHealth) => health.problems.map((problem) => problemAlertKey('shop', 'sales_orders', problem.key));
    expect(identity(first)).toEqual(['health:shop:sales_orders:unmapped_skus']);
    expect(identity(later)).toEqual(identity(first));
    expect(first.problems[0]!.reason).not.toBe(later.problems[0]!.reason);
  });

  it('every item failing because of unmapped SKUs is one problem (unmapped), not also "failing"', () => {
    const allFailed = () => run({ status: 'failed', errorCategory: 'items_failed', failedCount: 60, unmappedSkus: 4, unmappedSkuRecords: 60 });
    const health = assess([allFailed(), allFailed(), allFailed(), ...normalHistory(10)]);
    expect(health.indicators.status.state).toBe('attention');
    expect(keys(health)).toEqual(['unmapped_skus', 'failed_rising']);
    const invalid = () => run({ status: 'failed', errorCategory: 'items_failed', failedCount: 60 });
    expect(keys(assess([invalid(), invalid(), invalid(), ...normalHistory(10)]))).toEqual(['failing', 'failed_rising']);
  });
});

describe('stale schedule', () => {
  const hourly = (overrides: Partial<NonNullable<HealthInput['schedule']>> = {}): NonNullable<HealthInput['schedule']> => ({
    cron: '0 * * * *',
    timezone: 'Europe/Berlin',
    enabled: true,
    lastSyncAt: new Date(NOW.getTime() - 30 * 60_000),
    scheduledSince: new Date('2026-11-01T00:00:00Z'),
    workers: { runningSeenAt: new Date(NOW.getTime() - 5_000), lastSeenAt: new Date(NOW.getTime() - 5_000), lastStoppedAt: null },
    now: NOW,
    ...overrides,
  });

  it('within the schedule: healthy, with the age of the last sync', () => {
    expect(assess(normalHistory(23), { schedule: hourly() }).indicators.schedule).toEqual({
      state: 'healthy',
      value: 30 * 60_000,
      baseline: null,
      reason: 'Last sync 30 min ago, within the schedule (every hour, Europe/Berlin).',
    });
  });

  it('older than the cron allows: attention, how long and how many runs were missed, and why (no worker)', () => {
    const schedule = hourly({ lastSyncAt: new Date(NOW.getTime() - (5 * 60 + 12) * 60_000), workers: { runningSeenAt: null, lastSeenAt: new Date('2026-11-30T00:00:00Z'), lastStoppedAt: new Date('2026-11-30T00:00:00Z') } });
    const health = assess(normalHistory(23), { schedule });
    expect(health.indicators.schedule).toEqual({
      state: 'attention',
      value: (5 * 60 + 12) * 60_000,
      baseline: null,
      reason: 'No sync for 5 h 12 min: 5 scheduled runs (every hour, Europe/Berlin) have passed since the last one; no worker is running.',
    });
    expect(health.problems).toEqual([
      { key: 'stale', category: 'stale', reason: health.indicators.schedule.reason, fix: 'Start a worker, so the schedule runs again.', executionId: null },
    ]);
    expect(health.overall).toBe('attention');
  });

  it('never synced, schedule set long ago, no runs at all: stale, with no history needed', () => {
    const health = assess([], { schedule: hourly({ lastSyncAt: null, scheduledSince: new Date(NOW.getTime() - 3 * 3600_000 - 60_000), workers: { runningSeenAt: null, lastSeenAt: null, lastStoppedAt: null } }) });
    expect(health.indicators.schedule.reason).toBe(
      'Never synced: 3 scheduled runs (every hour, Europe/Berlin) have passed since the schedule was set 3 h 1 min ago; no worker has ever run.',
    );
    expect(health.overall).toBe('attention');
  });

  it('failing runs and a worker alive: the cause is the failures', () => {
    const failed = () => run({ status: 'failed', errorCategory: 'connection' });
    const health = assess([failed(), failed(), failed(), ...normalHistory(5)], { schedule: hourly({ lastSyncAt: new Date(NOW.getTime() - 26 * 3600_000) }) });
    expect(health.indicators.schedule.reason).toBe('No sync for 26 h: 25 scheduled runs (every hour, Europe/Berlin) have passed since the last one; the last 3 runs failed.');
    expect(keys(health)).toEqual(['failing', 'stale']);
    expect(health.problems[1]!.fix).toBe('Fix the cause of the failing runs, so the schedule runs again.');
  });

  it('a disabled integration is not nagged about; no cron → nothing to be late for', () => {
    const disabled = assess(normalHistory(23), { schedule: hourly({ enabled: false, lastSyncAt: new Date('2026-10-01T00:00:00Z') }) });
    expect(disabled.indicators.schedule).toMatchObject({ state: 'healthy', reason: 'The integration is disabled, so its schedule does not run.' });
    expect(disabled.overall).toBe('healthy');
    expect(assess(normalHistory(23), { schedule: hourly({ cron: null }) }).indicators.schedule.reason).toBe('No schedule: it runs only when asked.');
  });
});

describe('thresholds are honoured', () => {
  it('HEALTH_FAILURES_IN_A_ROW, HEALTH_MIN_RUNS and HEALTH_FETCHED_DROP_RATIO change the verdicts', () => {
    const failed = () => run({ status: 'failed', errorCategory: 'connection' });
    expect(assessHealth({ runs: [failed(), failed(), ...normalHistory(5)], schedule: null, thresholds: { ...T, failuresInARow: 2 } }).indicators.status.state).toBe('attention');
    const history = [run({ recordsFetched: 3 }), run(), run(), run(), run()];
    expect(assessHealth({ runs: history, schedule: null, thresholds: { ...T, minRuns: 6 } }).indicators.fetched.state).toBe('not_enough_history');
    const dip = normalHistory(23);
    dip[0] = run({ recordsFetched: 700 });
    expect(assessHealth({ runs: dip, schedule: null, thresholds: T }).indicators.fetched.state).toBe('healthy');
    expect(assessHealth({ runs: dip, schedule: null, thresholds: { ...T, fetchedDropRatio: 0.8 } }).indicators.fetched.state).toBe('attention');
    // The window bounds the baseline.
    expect(assessHealth({ runs: normalHistory(23), schedule: null, thresholds: { ...T, window: 10 } }).indicators.fetched.baseline!.runs).toBe(10);
  });
});
