import { describe, expect, it } from 'vitest';
import { nextRuns } from '../../src/domain/schedule.js';
import { cliRunner } from '../support/run-cli.js';

/**
 * Daily, hourly and weekday schedules on both 2026 DST transition days of three zones: north
 * (America/New_York), southern hemisphere (Australia/Sydney) and a 30-minute offset
 * (America/St_Johns, UTC-3:30 / UTC-2:30). Every expected instant is written by hand from the
 * zone's rules, with its local time beside it (the `schedule preview` line).
 *
 * The rules:
 * - a time that does not exist on spring-forward day runs at the next valid minute (02:30 → 03:30);
 * - a fixed time that happens twice on fall-back day runs once, at its first occurrence;
 * - a schedule with `*` in the hour field (hourly) runs every real hour through both transitions:
 *   no run for the missing hour, a run in each copy of the repeated one (cron's usual rule).
 *
 * Transitions (2026):
 * - America/New_York: Sun 8 Mar 02:00 EST → 03:00 EDT (07:00Z); Sun 1 Nov 02:00 EDT → 01:00 EST (06:00Z).
 * - Australia/Sydney: Sun 5 Apr 03:00 AEDT → 02:00 AEST (4 Apr 16:00Z); Sun 4 Oct 02:00 AEST → 03:00 AEDT (3 Oct 16:00Z).
 * - America/St_Johns: Sun 8 Mar 02:00 NST → 03:00 NDT (05:30Z); Sun 1 Nov 02:00 NDT → 01:00 NST (04:30Z).
 */
interface DstCase {
  name: string;
  cron: string;
  zone: string;
  from: string;
  /** [UTC instant, the preview line: local time (UTC time)] */
  runs: [string, string][];
}

const cases: DstCase[] = [
  // America/New_York, spring forward (Sun 8 Mar): 02:00-02:59 does not exist.
  {
    name: 'New York, spring forward: daily 02:30 (inside the gap) runs at 03:30 EDT',
    cron: '30 2 * * *',
    zone: 'America/New_York',
    from: '2026-03-07T00:00:00Z',
    runs: [
      ['2026-03-07T07:30:00.000Z', '2026-03-07 02:30 EST (07:30 UTC)'],
      ['2026-03-08T07:30:00.000Z', '2026-03-08 03:30 EDT (07:30 UTC)'],
      ['2026-03-09T06:30:00.000Z', '2026-03-09 02:30 EDT (06:30 UTC)'],
    ],
  },
  {
    name: 'New York, spring forward: daily 09:30 (after the gap) runs on the day itself (cron-parser 5.5.0 skipped it)',
    cron: '30 9 * * *',
    zone: 'America/New_York',
    from: '2026-03-07T00:00:00Z',
    runs: [
      ['2026-03-07T14:30:00.000Z', '2026-03-07 09:30 EST (14:30 UTC)'],
      ['2026-03-08T13:30:00.000Z', '2026-03-08 09:30 EDT (13:30 UTC)'],
      ['2026-03-09T13:30:00.000Z', '2026-03-09 09:30 EDT (13:30 UTC)'],
    ],
  },
  {
    name: 'New York, spring forward: hourly runs every real hour, none for the missing 02:00',
    cron: '0 * * * *',
    zone: 'America/New_York',
    from: '2026-03-08T04:30:00Z',
    runs: [
      ['2026-03-08T05:00:00.000Z', '2026-03-08 00:00 EST (05:00 UTC)'],
      ['2026-03-08T06:00:00.000Z', '2026-03-08 01:00 EST (06:00 UTC)'],
      ['2026-03-08T07:00:00.000Z', '2026-03-08 03:00 EDT (07:00 UTC)'],
      ['2026-03-08T08:00:00.000Z', '2026-03-08 04:00 EDT (08:00 UTC)'],
    ],
  },
  {
    name: 'New York, spring forward: Sundays at 02:30 run at 03:30 EDT on the transition Sunday',
    cron: '30 2 * * 0',
    zone: 'America/New_York',
    from: '2026-02-28T00:00:00Z',
    runs: [
      ['2026-03-01T07:30:00.000Z', '2026-03-01 02:30 EST (07:30 UTC)'],
      ['2026-03-08T07:30:00.000Z', '2026-03-08 03:30 EDT (07:30 UTC)'],
      ['2026-03-15T06:30:00.000Z', '2026-03-15 02:30 EDT (06:30 UTC)'],
    ],
  },
  {
    name: 'New York, spring forward: weekdays at 06:00 keep local time on the Monday after',
    cron: '0 6 * * 1-5',
    zone: 'America/New_York',
    from: '2026-03-06T00:00:00Z',
    runs: [
      ['2026-03-06T11:00:00.000Z', '2026-03-06 06:00 EST (11:00 UTC)'],
      ['2026-03-09T10:00:00.000Z', '2026-03-09 06:00 EDT (10:00 UTC)'],
      ['2026-03-10T10:00:00.000Z', '2026-03-10 06:00 EDT (10:00 UTC)'],
    ],
  },

  // America/New_York, fall back (Sun 1 Nov): 01:00-01:59 happens twice (EDT, then EST).
  {
    name: 'New York, fall back: daily 01:30 (happens twice) runs once, at the first (EDT)',
    cron: '30 1 * * *',
    zone: 'America/New_York',
    from: '2026-10-31T00:00:00Z',
    runs: [
      ['2026-10-31T05:30:00.000Z', '2026-10-31 01:30 EDT (05:30 UTC)'],
      ['2026-11-01T05:30:00.000Z', '2026-11-01 01:30 EDT (05:30 UTC)'],
      ['2026-11-02T06:30:00.000Z', '2026-11-02 01:30 EST (06:30 UTC)'],
    ],
  },
  {
    name: 'New York, fall back: daily 09:30 (after the overlap) keeps local time',
    cron: '30 9 * * *',
    zone: 'America/New_York',
    from: '2026-10-31T00:00:00Z',
    runs: [
      ['2026-10-31T13:30:00.000Z', '2026-10-31 09:30 EDT (13:30 UTC)'],
      ['2026-11-01T14:30:00.000Z', '2026-11-01 09:30 EST (14:30 UTC)'],
      ['2026-11-02T14:30:00.000Z', '2026-11-02 09:30 EST (14:30 UTC)'],
    ],
  },
  {
    name: 'New York, fall back: hourly runs every real hour, in both copies of 01:00',
    cron: '0 * * * *',
    zone: 'America/New_York',
    from: '2026-11-01T03:30:00Z',
    runs: [
      ['2026-11-01T04:00:00.000Z', '2026-11-01 00:00 EDT (04:00 UTC)'],
      ['2026-11-01T05:00:00.000Z', '2026-11-01 01:00 EDT (05:00 UTC)'],
      ['2026-11-01T06:00:00.000Z', '2026-11-01 01:00 EST (06:00 UTC)'],
      ['2026-11-01T07:00:00.000Z', '2026-11-01 02:00 EST (07:00 UTC)'],
    ],
  },
  {
    name: 'New York, fall back: fixed hours 01:00-03:00 run 01:00 once',
    cron: '0 1-3 * * *',
    zone: 'America/New_York',
    from: '2026-11-01T03:30:00Z',
    runs: [
      ['2026-11-01T05:00:00.000Z', '2026-11-01 01:00 EDT (05:00 UTC)'],
      ['2026-11-01T07:00:00.000Z', '2026-11-01 02:00 EST (07:00 UTC)'],
      ['2026-11-01T08:00:00.000Z', '2026-11-01 03:00 EST (08:00 UTC)'],
      ['2026-11-02T06:00:00.000Z', '2026-11-02 01:00 EST (06:00 UTC)'],
    ],
  },
  {
    name: 'New York, fall back: weekdays at 06:00 keep local time on the Monday after',
    cron: '0 6 * * 1-5',
    zone: 'America/New_York',
    from: '2026-10-30T00:00:00Z',
    runs: [
      ['2026-10-30T10:00:00.000Z', '2026-10-30 06:00 EDT (10:00 UTC)'],
      ['2026-11-02T11:00:00.000Z', '2026-11-02 06:00 EST (11:00 UTC)'],
      ['2026-11-03T11:00:00.000Z', '2026-11-03 06:00 EST (11:00 UTC)'],
    ],
  },

  // Australia/Sydney, fall back (Sun 5 Apr): 02:00-02:59 happens twice (AEDT, then AEST).
  {
    name: 'Sydney, fall back: daily 02:30 (happens twice) runs once, at the first (AEDT)',
    cron: '30 2 * * *',
    zone: 'Australia/Sydney',
    from: '2026-04-03T12:00:00Z',
    runs: [
      ['2026-04-03T15:30:00.000Z', '2026-04-04 02:30 AEDT (2026-04-03 15:30 UTC)'],
      ['2026-04-04T15:30:00.000Z', '2026-04-05 02:30 AEDT (2026-04-04 15:30 UTC)'],
      ['2026-04-05T16:30:00.000Z', '2026-04-06 02:30 AEST (2026-04-05 16:30 UTC)'],
    ],
  },
  {
    name: 'Sydney, fall back: daily 09:30 keeps local time',
    cron: '30 9 * * *',
    zone: 'Australia/Sydney',
    from: '2026-04-03T12:00:00Z',
    runs: [
      ['2026-04-03T22:30:00.000Z', '2026-04-04 09:30 AEDT (2026-04-03 22:30 UTC)'],
      ['2026-04-04T23:30:00.000Z', '2026-04-05 09:30 AEST (2026-04-04 23:30 UTC)'],
      ['2026-04-05T23:30:00.000Z', '2026-04-06 09:30 AEST (2026-04-05 23:30 UTC)'],
    ],
  },
  {
    name: 'Sydney, fall back: hourly runs every real hour, in both copies of 02:00',
    cron: '0 * * * *',
    zone: 'Australia/Sydney',
    from: '2026-04-04T14:30:00Z',
    runs: [
      ['2026-04-04T15:00:00.000Z', '2026-04-05 02:00 AEDT (2026-04-04 15:00 UTC)'],
      ['2026-04-04T16:00:00.000Z', '2026-04-05 02:00 AEST (2026-04-04 16:00 UTC)'],
      ['2026-04-04T17:00:00.000Z', '2026-04-05 03:00 AEST (2026-04-04 17:00 UTC)'],
      ['2026-04-04T18:00:00.000Z', '2026-04-05 04:00 AEST (2026-04-04 18:00 UTC)'],
    ],
  },
  {
    name: 'Sydney, fall back: weekdays at 06:00 keep local time on the Monday after',
    cron: '0 6 * * 1-5',
    zone: 'Australia/Sydney',
    from: '2026-04-02T12:00:00Z',
    runs: [
      ['2026-04-02T19:00:00.000Z', '2026-04-03 06:00 AEDT (2026-04-02 19:00 UTC)'],
      ['2026-04-05T20:00:00.000Z', '2026-04-06 06:00 AEST (2026-04-05 20:00 UTC)'],
      ['2026-04-06T20:00:00.000Z', '2026-04-07 06:00 AEST (2026-04-06 20:00 UTC)'],
    ],
  },

  // Australia/Sydney, spring forward (Sun 4 Oct): 02:00-02:59 does not exist.
  {
    name: 'Sydney, spring forward: daily 02:30 (inside the gap) runs at 03:30 AEDT',
    cron: '30 2 * * *',
    zone: 'Australia/Sydney',
    from: '2026-10-02T12:00:00Z',
    runs: [
      ['2026-10-02T16:30:00.000Z', '2026-10-03 02:30 AEST (2026-10-02 16:30 UTC)'],
      ['2026-10-03T16:30:00.000Z', '2026-10-04 03:30 AEDT (2026-10-03 16:30 UTC)'],
      ['2026-10-04T15:30:00.000Z', '2026-10-05 02:30 AEDT (2026-10-04 15:30 UTC)'],
    ],
  },
  {
    name: 'Sydney, spring forward: daily 09:30 (after the gap) runs on the day itself',
    cron: '30 9 * * *',
    zone: 'Australia/Sydney',
    from: '2026-10-02T12:00:00Z',
    runs: [
      ['2026-10-02T23:30:00.000Z', '2026-10-03 09:30 AEST (2026-10-02 23:30 UTC)'],
      ['2026-10-03T22:30:00.000Z', '2026-10-04 09:30 AEDT (2026-10-03 22:30 UTC)'],
      ['2026-10-04T22:30:00.000Z', '2026-10-05 09:30 AEDT (2026-10-04 22:30 UTC)'],
    ],
  },
  {
    name: 'Sydney, spring forward: hourly runs every real hour, none for the missing 02:00',
    cron: '0 * * * *',
    zone: 'Australia/Sydney',
    from: '2026-10-03T14:30:00Z',
    runs: [
      ['2026-10-03T15:00:00.000Z', '2026-10-04 01:00 AEST (2026-10-03 15:00 UTC)'],
      ['2026-10-03T16:00:00.000Z', '2026-10-04 03:00 AEDT (2026-10-03 16:00 UTC)'],
      ['2026-10-03T17:00:00.000Z', '2026-10-04 04:00 AEDT (2026-10-03 17:00 UTC)'],
      ['2026-10-03T18:00:00.000Z', '2026-10-04 05:00 AEDT (2026-10-03 18:00 UTC)'],
    ],
  },
  {
    name: 'Sydney, spring forward: weekdays at 06:00 keep local time on the Monday after',
    cron: '0 6 * * 1-5',
    zone: 'Australia/Sydney',
    from: '2026-10-01T12:00:00Z',
    runs: [
      ['2026-10-01T20:00:00.000Z', '2026-10-02 06:00 AEST (2026-10-01 20:00 UTC)'],
      ['2026-10-04T19:00:00.000Z', '2026-10-05 06:00 AEDT (2026-10-04 19:00 UTC)'],
      ['2026-10-05T19:00:00.000Z', '2026-10-06 06:00 AEDT (2026-10-05 19:00 UTC)'],
    ],
  },

  // America/St_Johns (UTC-3:30 / -2:30), spring forward (Sun 8 Mar): 02:00-02:59 does not exist.
  {
    name: "St John's, spring forward: daily 02:30 (inside the gap) runs at 03:30 NDT",
    cron: '30 2 * * *',
    zone: 'America/St_Johns',
    from: '2026-03-07T00:00:00Z',
    runs: [
      ['2026-03-07T06:00:00.000Z', '2026-03-07 02:30 NST (06:00 UTC)'],
      ['2026-03-08T06:00:00.000Z', '2026-03-08 03:30 NDT (06:00 UTC)'],
      ['2026-03-09T05:00:00.000Z', '2026-03-09 02:30 NDT (05:00 UTC)'],
    ],
  },
  {
    name: "St John's, spring forward: daily 09:30 (after the gap) runs on the day itself",
    cron: '30 9 * * *',
    zone: 'America/St_Johns',
    from: '2026-03-07T00:00:00Z',
    runs: [
      ['2026-03-07T13:00:00.000Z', '2026-03-07 09:30 NST (13:00 UTC)'],
      ['2026-03-08T12:00:00.000Z', '2026-03-08 09:30 NDT (12:00 UTC)'],
      ['2026-03-09T12:00:00.000Z', '2026-03-09 09:30 NDT (12:00 UTC)'],
    ],
  },
  {
    name: "St John's, spring forward: hourly runs every real hour (on the half hour UTC), none for the missing 02:00",
    cron: '0 * * * *',
    zone: 'America/St_Johns',
    from: '2026-03-08T03:00:00Z',
    runs: [
      ['2026-03-08T03:30:00.000Z', '2026-03-08 00:00 NST (03:30 UTC)'],
      ['2026-03-08T04:30:00.000Z', '2026-03-08 01:00 NST (04:30 UTC)'],
      ['2026-03-08T05:30:00.000Z', '2026-03-08 03:00 NDT (05:30 UTC)'],
      ['2026-03-08T06:30:00.000Z', '2026-03-08 04:00 NDT (06:30 UTC)'],
    ],
  },
  {
    name: "St John's, spring forward: weekdays at 06:00 keep local time on the Monday after",
    cron: '0 6 * * 1-5',
    zone: 'America/St_Johns',
    from: '2026-03-06T00:00:00Z',
    runs: [
      ['2026-03-06T09:30:00.000Z', '2026-03-06 06:00 NST (09:30 UTC)'],
      ['2026-03-09T08:30:00.000Z', '2026-03-09 06:00 NDT (08:30 UTC)'],
      ['2026-03-10T08:30:00.000Z', '2026-03-10 06:00 NDT (08:30 UTC)'],
    ],
  },

  // America/St_Johns, fall back (Sun 1 Nov): 01:00-01:59 happens twice (NDT, then NST).
  {
    name: "St John's, fall back: daily 01:30 (happens twice) runs once, at the first (NDT)",
    cron: '30 1 * * *',
    zone: 'America/St_Johns',
    from: '2026-10-31T00:00:00Z',
    runs: [
      ['2026-10-31T04:00:00.000Z', '2026-10-31 01:30 NDT (04:00 UTC)'],
      ['2026-11-01T04:00:00.000Z', '2026-11-01 01:30 NDT (04:00 UTC)'],
      ['2026-11-02T05:00:00.000Z', '2026-11-02 01:30 NST (05:00 UTC)'],
    ],
  },
  {
    name: "St John's, fall back: daily 09:30 keeps local time",
    cron: '30 9 * * *',
    zone: 'America/St_Johns',
    from: '2026-10-31T00:00:00Z',
    runs: [
      ['2026-10-31T12:00:00.000Z', '2026-10-31 09:30 NDT (12:00 UTC)'],
      ['2026-11-01T13:00:00.000Z', '2026-11-01 09:30 NST (13:00 UTC)'],
      ['2026-11-02T13:00:00.000Z', '2026-11-02 09:30 NST (13:00 UTC)'],
    ],
  },
  {
    name: "St John's, fall back: hourly runs every real hour, in both copies of 01:00",
    cron: '0 * * * *',
    zone: 'America/St_Johns',
    from: '2026-11-01T02:00:00Z',
    runs: [
      ['2026-11-01T02:30:00.000Z', '2026-11-01 00:00 NDT (02:30 UTC)'],
      ['2026-11-01T03:30:00.000Z', '2026-11-01 01:00 NDT (03:30 UTC)'],
      ['2026-11-01T04:30:00.000Z', '2026-11-01 01:00 NST (04:30 UTC)'],
      ['2026-11-01T05:30:00.000Z', '2026-11-01 02:00 NST (05:30 UTC)'],
    ],
  },
  {
    name: "St John's, fall back: weekdays at 06:00 keep local time on the Monday after",
    cron: '0 6 * * 1-5',
    zone: 'America/St_Johns',
    from: '2026-10-30T00:00:00Z',
    runs: [
      ['2026-10-30T08:30:00.000Z', '2026-10-30 06:00 NDT (08:30 UTC)'],
      ['2026-11-02T09:30:00.000Z', '2026-11-02 06:00 NST (09:30 UTC)'],
      ['2026-11-03T09:30:00.000Z', '2026-11-03 06:00 NST (09:30 UTC)'],
    ],
  },
];

describe('schedules across DST: nextRuns', () => {
  it.each(cases)('$name', ({ cron, zone, from, runs }) => {
    expect(nextRuns(cron, zone, new Date(from), runs.length).map((date) => date.toISOString())).toEqual(runs.map(([instant]) => instant));
  });
});

describe('schedules across DST: tether schedule preview', () => {
  // Preview needs no database: an unreachable URL proves it does not open one.
  const cli = cliRunner(() => 'postgres://postgres@127.0.0.1:1/none');
  const preview = (c: DstCase, ...extra: string[]) => cli('schedule', 'preview', c.cron, '--tz', c.zone, '--from', c.from, '--next', String(c.runs.length), ...extra);

  it.each(cases)('$name', async (c) => {
    expect(await preview(c)).toEqual({ code: 0, stdout: c.runs.map(([, line]) => line).join('\n'), stderr: '' });
    expect(JSON.parse((await preview(c, '--json')).stdout)).toEqual(c.runs.map(([instant]) => instant));
  });
});

/**
 * Asked from an instant INSIDE a transition window, cron-parser 5.10.6 breaks the rules above;
 * nextRuns walks from before the window, so the rules hold from any instant.
 */
describe('asked from inside a transition window', () => {
  it('New York, spring forward, asked at 03:10 EDT: the 02:30 run still happens at 03:30 EDT that day (5.10.6 alone: the next day)', () => {
    expect(nextRuns('30 2 * * *', 'America/New_York', new Date('2026-03-08T07:10:00Z'), 1)[0]!.toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('New York, fall back, asked at 01:10 EST after the 01:30 EDT run: next is tomorrow (5.10.6 alone: a second run at 01:30 EST)', () => {
    expect(nextRuns('30 1 * * *', 'America/New_York', new Date('2026-11-01T06:10:00Z'), 1)[0]!.toISOString()).toBe('2026-11-02T06:30:00.000Z');
  });
});
