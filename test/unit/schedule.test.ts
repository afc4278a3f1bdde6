import { describe, expect, it } from 'vitest';
import { assessSchedule, describeSchedule, nextRuns, type ScheduleFacts } from '../../src/domain/schedule.js';

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

describe('stale schedules', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const facts = (overrides: Partial<ScheduleFacts> = {}): ScheduleFacts => ({
    cron: '0 * * * *',
    timezone: 'UTC',
    enabled: true,
    lastSyncAt: new Date('2026-11-27T11:00:05Z'),
    scheduledSince: new Date('2026-11-01T00:00:00Z'),
    recentStatuses: ['success', 'success', 'success'],
    lastWorkerSeenAt: new Date('2026-11-27T11:59:50Z'),
    now,
    ...overrides,
  });

  it('is fresh while the last sync is within two scheduled runs', () => {
    expect(assessSchedule(facts())).toEqual({ stale: false, reasons: [] });
    expect(assessSchedule(facts({ lastSyncAt: new Date('2026-11-27T10:00:05Z') })).stale).toBe(false);
  });

  it('is stale when two scheduled runs passed without a sync, and says why', () => {
    const old = { lastSyncAt: new Date('2026-11-27T09:30:00Z') };
    expect(assessSchedule(facts(old))).toEqual({ stale: true, reasons: ['no known cause: check the worker logs'] });
    expect(assessSchedule(facts({ ...old, enabled: false })).reasons).toEqual(['the integration is disabled']);
    expect(assessSchedule(facts({ ...old, recentStatuses: ['failed', 'failed', 'failed', 'success'] })).reasons).toEqual([
      'the last 3 runs failed',
    ]);
    expect(assessSchedule(facts({ ...old, lastWorkerSeenAt: new Date('2026-11-27T10:00:00Z') })).reasons).toEqual([
      'no worker alive (last seen 2026-11-27T10:00:00.000Z): start one with tether worker',
    ]);
    expect(assessSchedule(facts({ lastSyncAt: null, scheduledSince: new Date('2026-11-27T08:00:00Z'), lastWorkerSeenAt: null }))).toEqual({
      stale: true,
      reasons: ['no worker has ever run: start one with tether worker'],
    });
  });
});
