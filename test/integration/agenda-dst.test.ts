import type { Job } from 'agenda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { correctNextRunAt } from '../../src/scheduler/next-run.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { reconcileSchedules } from '../../src/scheduler/schedules.js';
import { SYNC_JOB, type SyncJobData } from '../../src/scheduler/sync-job.js';
import { demoSpec } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Agenda's own nextRunAt across DST transitions (the real runs, not our preview). A repeating job is
 * built the way src/scheduler/schedules.ts builds one, saved in PostgreSQL, then run with Agenda's
 * Job.run() at the moment the previous run started (the clock faked to that instant): run() sets
 * lastRunAt = now, computes nextRunAt from it with cron-parser and saves it. The expected instants
 * are written by hand (see test/unit/dst-schedules.test.ts for the rules and transitions).
 */
const PROBE = 'dst-probe';

describe("Agenda's nextRunAt across DST", () => {
  let app: TestApp;
  let scheduler: Scheduler;

  beforeAll(async () => {
    app = await startTestApp();
    scheduler = await app.scheduler.get();
    // Does what the sync job does with a repeating job's next run (src/scheduler/sync-job.ts).
    scheduler.agenda.define(PROBE, async (job: Job) => correctNextRunAt(job));
  });
  afterAll(async () => {
    await scheduler?.close();
    await app?.destroy();
  });

  const atFakeTime = async <T>(iso: string, action: () => Promise<T>): Promise<T> => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(iso));
    try {
      return await action();
    } finally {
      vi.useRealTimers();
    }
  };

  const storedNextRunAt = async (probe: string): Promise<string | undefined> => {
    const { jobs } = await scheduler.agenda.queryJobs({ name: PROBE, data: { probe } });
    expect(jobs).toHaveLength(1);
    return jobs[0]!.nextRunAt ? new Date(jobs[0]!.nextRunAt).toISOString() : undefined;
  };

  /** Builds and saves the repeating job, then runs it at each start instant; returns nextRunAt as saved after each run. */
  const runsFrom = async (probe: string, cron: string, timezone: string, starts: string[]): Promise<(string | undefined)[]> => {
    const job: Job = scheduler.agenda.create(PROBE, { probe }).repeatEvery(cron, { timezone, skipImmediate: true });
    await job.save();
    const saved: (string | undefined)[] = [];
    for (const start of starts) {
      await atFakeTime(start, () => job.run());
      expect(job.attrs.lastRunAt?.toISOString()).toBe(new Date(start).toISOString());
      saved.push(await storedNextRunAt(probe));
    }
    return saved;
  };

  it('New York, spring forward: after Saturday 09:30 EST the next run is Sunday 09:30 EDT (cron-parser 5.5.0 skipped Sunday)', async () => {
    // Each run starts a moment after its instant, as a polling worker does.
    expect(await runsFrom('ny-0930', '30 9 * * *', 'America/New_York', ['2026-03-07T14:30:01.500Z', '2026-03-08T13:30:01.500Z'])).toEqual([
      '2026-03-08T13:30:00.000Z', // Sun 09:30 EDT
      '2026-03-09T13:30:00.000Z', // Mon 09:30 EDT
    ]);
    // Started exactly on the instant (Agenda nudges past it).
    expect(await runsFrom('ny-0930-exact', '30 9 * * *', 'America/New_York', ['2026-03-07T14:30:00.000Z'])).toEqual(['2026-03-08T13:30:00.000Z']);
  });

  it('New York, spring forward: daily 02:30 runs at 03:30 EDT on the day, then 02:30 EDT', async () => {
    expect(await runsFrom('ny-0230', '30 2 * * *', 'America/New_York', ['2026-03-07T07:30:01.500Z', '2026-03-08T07:30:01.500Z'])).toEqual([
      '2026-03-08T07:30:00.000Z', // Sun 03:30 EDT (02:30 does not exist)
      '2026-03-09T06:30:00.000Z', // Mon 02:30 EDT
    ]);
  });

  it('New York, fall back: daily 01:30 runs once on the day (at 01:30 EDT), not again at 01:30 EST', async () => {
    expect(await runsFrom('ny-0130', '30 1 * * *', 'America/New_York', ['2026-10-31T05:30:01.500Z', '2026-11-01T05:30:01.500Z'])).toEqual([
      '2026-11-01T05:30:00.000Z', // Sun 01:30 EDT
      '2026-11-02T06:30:00.000Z', // Mon 01:30 EST
    ]);
  });

  it('New York, fall back: hourly runs every real hour through the repeated 01:00', async () => {
    const starts = ['2026-11-01T04:00:01.500Z', '2026-11-01T05:00:01.500Z', '2026-11-01T06:00:01.500Z'];
    expect(await runsFrom('ny-hourly', '0 * * * *', 'America/New_York', starts)).toEqual([
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T06:00:00.000Z', // 01:00 EST
      '2026-11-01T07:00:00.000Z', // 02:00 EST
    ]);
  });

  it('Sydney, fall back and spring forward: daily 02:30', async () => {
    expect(await runsFrom('syd-apr', '30 2 * * *', 'Australia/Sydney', ['2026-04-03T15:30:01.500Z', '2026-04-04T15:30:01.500Z'])).toEqual([
      '2026-04-04T15:30:00.000Z', // Sun 5 Apr 02:30 AEDT (the first of two)
      '2026-04-05T16:30:00.000Z', // Mon 6 Apr 02:30 AEST
    ]);
    expect(await runsFrom('syd-oct', '30 2 * * *', 'Australia/Sydney', ['2026-10-02T16:30:01.500Z', '2026-10-03T16:30:01.500Z'])).toEqual([
      '2026-10-03T16:30:00.000Z', // Sun 4 Oct 03:30 AEDT (02:30 does not exist)
      '2026-10-04T15:30:00.000Z', // Mon 5 Oct 02:30 AEDT
    ]);
  });

  it("St John's (UTC-3:30), spring forward: daily 09:30 runs on the day", async () => {
    expect(await runsFrom('stj-0930', '30 9 * * *', 'America/St_Johns', ['2026-03-07T13:00:01.500Z', '2026-03-08T12:00:01.500Z'])).toEqual([
      '2026-03-08T12:00:00.000Z', // Sun 09:30 NDT
      '2026-03-09T12:00:00.000Z', // Mon 09:30 NDT
    ]);
  });

  it('reconciling the schedules the day before spring forward saves the run of the transition day', async () => {
    await app.integrations.apply(
      [
        demoSpec({ key: 'ny-morning', domains: ['sales_orders'], schedule: { cron: '30 9 * * *', timezone: 'America/New_York' } }),
        demoSpec({ key: 'sydney-night', domains: ['sales_orders'], schedule: { cron: '30 2 * * *', timezone: 'Australia/Sydney' } }),
      ],
      { actor: 'test' },
    );
    const integrations = await app.integrations.list();
    const next = async (integrationKey: string) => {
      const { jobs } = await scheduler.agenda.queryJobs({ name: SYNC_JOB, data: { integrationKey, kind: 'schedule' } });
      expect(jobs.map((job) => (job.data as SyncJobData).domainType)).toEqual(['sales_orders']);
      return new Date(jobs[0]!.nextRunAt!).toISOString();
    };
    // Reconcile leaves unchanged schedules alone: drop the jobs apply made, so these are saved anew.
    await scheduler.agenda.cancel({ name: SYNC_JOB, data: { kind: 'schedule' } });
    // Saturday 7 Mar 10:00 EST in New York (after that day's run).
    await atFakeTime('2026-03-07T15:00:00Z', () => reconcileSchedules(scheduler.agenda, integrations));
    expect(await next('ny-morning')).toBe('2026-03-08T13:30:00.000Z'); // Sun 8 Mar 09:30 EDT
    // Saturday 4 Apr 23:00 AEDT in Sydney.
    await scheduler.agenda.cancel({ name: SYNC_JOB, data: { kind: 'schedule' } });
    await atFakeTime('2026-04-04T12:00:00Z', () => reconcileSchedules(scheduler.agenda, integrations));
    expect(await next('sydney-night')).toBe('2026-04-04T15:30:00.000Z'); // Sun 5 Apr 02:30 AEDT
  });

  /**
   * cron-parser 5.10.6 computes these wrong when asked from inside a transition window (Agenda
   * asks from the moment a run starts, and from "now" when a schedule is saved); the sync job and
   * reconcile put the DST-correct instant in its place.
   */
  it('a 01:30 run that starts late, at 01:05 EST on fall-back day, is not run again at 01:30 EST', async () => {
    expect(await runsFrom('ny-0130-late', '30 1 * * *', 'America/New_York', ['2026-11-01T06:05:00.000Z'])).toEqual(['2026-11-02T06:30:00.000Z']);
  });

  it('schedules saved at 03:10 EDT on spring-forward day still run 02:30 at 03:30 EDT that day', async () => {
    const [integration] = (await app.integrations.list()).filter((i) => i.key === 'ny-morning');
    const early = { ...integration!, key: 'ny-early', cron: '30 2 * * *' };
    await atFakeTime('2026-03-08T07:10:00Z', () => reconcileSchedules(scheduler.agenda, [early]));
    const { jobs } = await scheduler.agenda.queryJobs({ name: SYNC_JOB, data: { integrationKey: 'ny-early', kind: 'schedule' } });
    expect(jobs.map((job) => new Date(job.nextRunAt!).toISOString())).toEqual(['2026-03-08T07:30:00.000Z']);
  });
});
