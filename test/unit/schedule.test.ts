import { describe, expect, it } from 'vitest';
import { assessSchedule, assessWorkers, describeSchedule, nextRuns, previousRuns, walkNextRuns, type ScheduleFacts } from '../../src/domain/schedule.js';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('cron schedules across DST', () => {
  it('America/New_York: 02:30 on spring-forward day runs once, at 03:30 EDT; 01:30 on fall-back day runs once', () => {
    expect(iso(nextRuns('30 2 * * *', 'America/New_York', new Date('2026-03-07T00:00:00Z'), 3))).toEqual([
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T07:30:00.000Z', // 02:30 does not exist: 03:30 EDT
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
    ]);
    expect(iso(nextRuns('30 1 * * *', 'America/New_York', new Date('2026-10-31T00:00:00Z'), 3))).toEqual([
      '2026-10-31T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T05:30:00.000Z', // the first 01:30 (EDT) only, not the repeated one
      '2026-11-02T06:30:00.000Z', // 01:30 EST
    ]);
  });

  it('Europe/Berlin: spring forward and fall back, and weekdays at 06:00 keep local time', () => {
    expect(iso(nextRuns('30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T00:00:00Z'), 3))).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z', // 02:30 does not exist: 03:30 CEST
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(iso(nextRuns('30 2 * * *', 'Europe/Berlin', new Date('2026-10-24T00:00:00Z'), 3))).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // once, though 02:30 happens twice
      '2026-10-26T01:30:00.000Z',
    ]);
    expect(iso(nextRuns('0 6 * * 1-5', 'Europe/Berlin', new Date('2026-03-27T00:00:00Z'), 3))).toEqual([
      '2026-03-27T05:00:00.000Z', // Friday, CET
      '2026-03-30T04:00:00.000Z', // Monday, CEST
      '2026-03-31T04:00:00.000Z',
    ]);
  });

  it('describes a schedule in words', () => {
    expect(describeSchedule('0 6 * * 1-5', 'Europe/Berlin')).toBe('At 06:00, Monday through Friday (Europe/Berlin)');
  });
});

describe('previous runs (for the stale check) agree with the runs made across DST', () => {
  it('America/New_York: the 03:30 EDT run of spring-forward day counts; the repeated 01:30 of fall-back day counts once', () => {
    expect(iso(previousRuns('30 2 * * *', 'America/New_York', new Date('2026-03-09T00:00:00Z'), 3))).toEqual([
      '2026-03-08T07:30:00.000Z', // 03:30 EDT (02:30 did not exist)
      '2026-03-07T07:30:00.000Z',
      '2026-03-06T07:30:00.000Z',
    ]);
    expect(iso(previousRuns('30 1 * * *', 'America/New_York', new Date('2026-11-02T00:00:00Z'), 3))).toEqual([
      '2026-11-01T05:30:00.000Z', // the first 01:30 (EDT) only
      '2026-10-31T05:30:00.000Z',
      '2026-10-30T05:30:00.000Z',
    ]);
  });

  it('an hourly schedule counts every real hour, newest first, strictly before the instant', () => {
    expect(iso(previousRuns('0 * * * *', 'America/New_York', new Date('2026-11-01T07:00:00Z'), 4))).toEqual([
      '2026-11-01T06:00:00.000Z', // 01:00 EST
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T03:00:00.000Z',
    ]);
  });
});

describe('next runs are remembered until the first of them', () => {
  it('gives what the walk gives at every instant, across DST and past the remembered span', () => {
    for (const [cron, timezone, start] of [
      ['*/30 * * * *', 'America/New_York', '2026-03-08T06:10:00Z'],
      ['30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z'],
      ['30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z'],
      ['0 3 * * *', 'Europe/Berlin', '2026-03-28T00:00:00Z'],
    ] as const) {
      // Minute steps over two days: most answers come from the cache, each must equal a fresh walk.
      for (let at = Date.parse(start); at < Date.parse(start) + 2 * 86_400_000; at += 7 * 60_000 + 13_000) {
        expect(iso(nextRuns(cron, timezone, new Date(at), 3)), `${cron} ${timezone} from ${new Date(at).toISOString()}`).toEqual(iso(walkNextRuns(cron, timezone, new Date(at), 3)));
      }
    }
  });

  it('hands out fresh dates: a caller changing one does not change the next answer', () => {
    const from = new Date('2026-05-01T00:00:00Z');
    const first = nextRuns('0 6 * * *', 'Europe/Berlin', from, 2);
    first[0]!.setTime(0);
    expect(iso(nextRuns('0 6 * * *', 'Europe/Berlin', from, 2))).toEqual(['2026-05-01T04:00:00.000Z', '2026-05-02T04:00:00.000Z']);
  });
});

describe('worker status from the heartbeats', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  it('alive within a minute; down with when it stopped, or that it vanished; never', () => {
    const seen = new Date('2026-11-27T11:59:30Z');
    expect(assessWorkers({ runningSeenAt: seen, lastSeenAt: seen, lastStoppedAt: null }, now)).toEqual({ state: 'alive', lastSeenAt: seen });
    const stoppedAt = new Date('2026-11-27T09:00:05Z');
    expect(assessWorkers({ runningSeenAt: null, lastSeenAt: new Date('2026-11-27T09:00:00Z'), lastStoppedAt: stoppedAt }, now)).toEqual({
      state: 'down',
      lastSeenAt: new Date('2026-11-27T09:00:00Z'),
      stoppedAt,
    });
    // An older worker stopped cleanly, the newest one was killed: it did not stop.
    const killed = new Date('2026-11-27T10:00:00Z');
    expect(assessWorkers({ runningSeenAt: killed, lastSeenAt: killed, lastStoppedAt: stoppedAt }, now)).toEqual({
      state: 'down',
      lastSeenAt: killed,
      stoppedAt: null,
    });
    // A killed worker long ago, a clean stop since: the clean stop is the news.
    expect(assessWorkers({ runningSeenAt: new Date('2026-11-20T00:00:00Z'), lastSeenAt: new Date('2026-11-27T09:00:00Z'), lastStoppedAt: stoppedAt }, now)).toMatchObject({
      state: 'down',
      stoppedAt,
    });
    expect(assessWorkers({ runningSeenAt: null, lastSeenAt: null, lastStoppedAt: null }, now)).toEqual({ state: 'never' });
  });
});

describe('stale schedules', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const aliveWorkers = { runningSeenAt: new Date('2026-11-27T11:59:50Z'), lastSeenAt: new Date('2026-11-27T11:59:50Z'), lastStoppedAt: null };
  const stoppedWorkers = { runningSeenAt: null, lastSeenAt: new Date('2026-11-27T10:00:00Z'), lastStoppedAt: new Date('2026-11-27T10:00:07Z') };
  const noWorkers = { runningSeenAt: null, lastSeenAt: null, lastStoppedAt: null };
  const facts = (overrides: Partial<ScheduleFacts> = {}): ScheduleFacts => ({
    cron: '0 * * * *',
    timezone: 'UTC',
    enabled: true,
    lastSyncAt: new Date('2026-11-27T11:00:05Z'),
    scheduledSince: new Date('2026-11-01T00:00:00Z'),
    recentStatuses: ['success', 'success', 'success'],
    workers: aliveWorkers,
    now,
    ...overrides,
  });
  const alive = { state: 'alive', lastSeenAt: aliveWorkers.lastSeenAt };
  const stopped = { state: 'down', lastSeenAt: stoppedWorkers.lastSeenAt, stoppedAt: stoppedWorkers.lastStoppedAt } as const;

  it('is fresh while the last sync is within two scheduled runs: no reasons, and no warnings when all is well', () => {
    expect(assessSchedule(facts())).toEqual({ stale: false, reasons: [], warnings: [], worker: alive });
    expect(assessSchedule(facts({ lastSyncAt: new Date('2026-11-27T10:00:05Z') })).stale).toBe(false);
  });

  it('not stale yet: what will make it stale is a warning, never a reason', () => {
    expect(assessSchedule(facts({ workers: stoppedWorkers }))).toEqual({
      stale: false,
      reasons: [],
      warnings: [{ code: 'no_worker', worker: stopped }],
      worker: stopped,
    });
    expect(assessSchedule(facts({ enabled: false, recentStatuses: ['failed', 'failed', 'failed'], workers: noWorkers }))).toEqual({
      stale: false,
      reasons: [],
      warnings: [{ code: 'disabled' }, { code: 'failing', failedRuns: 3 }, { code: 'no_worker', worker: { state: 'never' } }],
      worker: { state: 'never' },
    });
    // Two failures and a success are not "failing".
    expect(assessSchedule(facts({ recentStatuses: ['failed', 'failed', 'success'] })).warnings).toEqual([]);
  });

  it('is stale when two scheduled runs passed without a sync, and says why in reasons (warnings then empty)', () => {
    const old = { lastSyncAt: new Date('2026-11-27T09:30:00Z') };
    expect(assessSchedule(facts(old))).toEqual({ stale: true, reasons: [{ code: 'unknown' }], warnings: [], worker: alive });
    expect(assessSchedule(facts({ ...old, enabled: false })).reasons).toEqual([{ code: 'disabled' }]);
    expect(assessSchedule(facts({ ...old, recentStatuses: ['failed', 'failed', 'failed', 'success'] })).reasons).toEqual([{ code: 'failing', failedRuns: 3 }]);
    expect(assessSchedule(facts({ ...old, workers: stoppedWorkers }))).toEqual({
      stale: true,
      reasons: [{ code: 'no_worker', worker: stopped }],
      warnings: [],
      worker: stopped,
    });
    expect(assessSchedule(facts({ lastSyncAt: null, scheduledSince: new Date('2026-11-27T08:00:00Z'), workers: noWorkers }))).toEqual({
      stale: true,
      reasons: [{ code: 'no_worker', worker: { state: 'never' } }],
      warnings: [],
      worker: { state: 'never' },
    });
  });

  it('without a cron nothing is scheduled: never stale, only "disabled" can warn', () => {
    expect(assessSchedule(facts({ cron: null, lastSyncAt: null, workers: noWorkers }))).toEqual({ stale: false, reasons: [], warnings: [], worker: { state: 'never' } });
    expect(assessSchedule(facts({ cron: null, enabled: false })).warnings).toEqual([{ code: 'disabled' }]);
  });

  it('uses the runs the schedule made across DST: one missed 01:30 on fall-back day is not yet stale', () => {
    // The 01:30 EDT run of 2026-11-01 was missed; at 07:00Z only one scheduled run has passed since the 10-31 sync.
    const fallBack = facts({ cron: '30 1 * * *', timezone: 'America/New_York', lastSyncAt: new Date('2026-10-31T05:30:02Z'), now: new Date('2026-11-01T07:00:00Z'), workers: noWorkers });
    expect(assessSchedule({ ...fallBack, workers: { ...aliveWorkers, runningSeenAt: new Date('2026-11-01T06:59:30Z') } }).stale).toBe(false);
    // A day later two runs have passed (11-01 05:30Z, 11-02 06:30Z): stale.
    expect(assessSchedule({ ...fallBack, now: new Date('2026-11-02T07:00:00Z') }).stale).toBe(true);
  });
});
