import { describe, expect, it } from 'vitest';
import { previousRuns, walkPreviousRuns } from '../../src/domain/schedule.js';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('previousRuns is remembered between scheduled instants, and always agrees with a fresh walk', () => {
  it('every 17 minutes for 34 hours across spring-forward and fall-back days, several crons and zones', () => {
    const cases: [string, string, string][] = [
      ['30 2 * * *', 'America/New_York', '2026-03-07T18:00:00Z'],
      ['0 * * * *', 'Europe/Berlin', '2026-10-24T20:00:00Z'],
      ['*/20 * * * *', 'UTC', '2026-05-01T00:00:00Z'],
      ['30 1 * * *', 'America/New_York', '2026-10-31T18:00:00Z'],
    ];
    for (const [cron, zone, start] of cases) {
      for (let step = 0; step < 120; step += 1) {
        const from = new Date(new Date(start).getTime() + step * 17 * 60_000);
        for (const n of step % 4 ? [2] : [2, 5]) {
          expect({ cron, from: from.toISOString(), n, runs: iso(previousRuns(cron, zone, from, n)) }).toEqual({
            cron,
            from: from.toISOString(),
            n,
            runs: iso(walkPreviousRuns(cron, zone, from, n).runs),
          });
        }
      }
    }
  });

  it('exactly at a scheduled instant, that instant is not a previous run (strictly before)', () => {
    const at = new Date('2026-06-01T10:00:00Z');
    previousRuns('0 * * * *', 'UTC', new Date('2026-06-01T09:30:00Z'), 2);
    expect(iso(previousRuns('0 * * * *', 'UTC', at, 2))).toEqual(['2026-06-01T09:00:00.000Z', '2026-06-01T08:00:00.000Z']);
    expect(iso(previousRuns('0 * * * *', 'UTC', new Date(at.getTime() + 1), 2))).toEqual(['2026-06-01T10:00:00.000Z', '2026-06-01T09:00:00.000Z']);
  });

  it('hands out fresh Date objects: a caller changing one does not change the next answer', () => {
    const from = new Date('2026-06-01T10:30:00Z');
    const first = previousRuns('0 * * * *', 'UTC', from, 2);
    first[0]!.setTime(0);
    expect(iso(previousRuns('0 * * * *', 'UTC', from, 2))).toEqual(['2026-06-01T10:00:00.000Z', '2026-06-01T09:00:00.000Z']);
  });
});
