import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';
import type { ExecutionStatus } from './statuses.js';

/** Longer than any DST transition window (the largest shift in use is one hour). */
const BEFORE_ANY_TRANSITION_MS = 3 * 3600_000;

/**
 * The next n instants of a cron schedule in its IANA zone, after `from`. Across DST:
 * - a time that does not exist on spring-forward day runs at the next valid minute (02:30 → 03:30);
 * - a fixed time that happens twice on fall-back day runs once, at its first occurrence;
 * - a schedule with `*` in the hour field (hourly, every n minutes) keeps running every real hour.
 * cron-parser (5.10.6) follows these rules when asked from outside a transition window but not
 * from inside one (from 03:10 on spring-forward day it skips that day's 03:30; from the repeated
 * 01:10 on fall-back day it runs 01:30 a second time). So the walk starts a few hours earlier,
 * outside any window, and keeps the runs after `from`. Workers use this too (see schedules.ts).
 */
export function nextRuns(cron: string, timezone: string, from: Date, n: number): Date[] {
  // The same n runs follow every instant from `from` up to the first of them: remembered for that
  // span (status and schedule answers ask this for every pair, ~0.3 ms a cron step).
  const key = `${cron}\u0000${timezone}\u0000${n}`;
  const at = from.getTime();
  const known = nextRunsCache.get(key);
  if (known && at >= known.from && at < known.runs[0]!) return known.runs.map((time) => new Date(time));
  const runs = walkNextRuns(cron, timezone, from, n);
  if (runs.length > 0) {
    if (nextRunsCache.size >= RUNS_CACHE_SIZE) nextRunsCache.delete(nextRunsCache.keys().next().value!);
    nextRunsCache.set(key, { from: at, runs: runs.map((date) => date.getTime()) });
  }
  return runs;
}

const nextRunsCache = new Map<string, { from: number; runs: number[] }>();

/** nextRuns without the cache (exported for its test). */
export function walkNextRuns(cron: string, timezone: string, from: Date, n: number): Date[] {
  const expression = CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(from.getTime() - BEFORE_ANY_TRANSITION_MS) });
  const runs: Date[] = [];
  while (runs.length < n) {
    const next = expression.next().toDate();
    if (next.getTime() > from.getTime()) runs.push(next);
  }
  return runs;
}

/**
 * The last n instants of the schedule before `from`, newest first: the runs the schedule made.
 * cron-parser's prev() disagrees with next() across DST (it misses the 03:30 run of a 02:30
 * schedule on spring-forward day and lists a repeated 01:30 twice on fall-back day), so prev() only
 * finds a starting point and the runs are walked forward with next(), as Agenda does.
 *
 * cron-parser takes ~0.3 ms a step with a timezone, and the stale check asks this for every
 * integration × domain type on every App Home or health read. The answer is the same for every
 * `from` after the newest run up to the next one, so it is remembered for that span (per cron,
 * zone and n; a bounded cache, fresh Date objects on every call).
 */
export function previousRuns(cron: string, timezone: string, from: Date, n: number): Date[] {
  const key = `${cron}\u0000${timezone}\u0000${n}`;
  const at = from.getTime();
  const known = previousRunsCache.get(key);
  if (known && at > known.after && at <= known.until) return known.runs.map((date) => new Date(date));
  const { runs, firstAtOrAfter } = walkPreviousRuns(cron, timezone, from, n);
  // Valid while `from` is after the newest run (or the oldest possible instant) and not after the next one.
  if (runs.length === n && firstAtOrAfter) {
    if (previousRunsCache.size >= RUNS_CACHE_SIZE) previousRunsCache.delete(previousRunsCache.keys().next().value!);
    previousRunsCache.set(key, { runs: runs.map((date) => date.getTime()), after: runs[0]?.getTime() ?? -Infinity, until: firstAtOrAfter.getTime() });
  }
  return runs;
}

const RUNS_CACHE_SIZE = 2000;
const previousRunsCache = new Map<string, { runs: number[]; after: number; until: number }>();

/** previousRuns without the cache (exported for its test). */
export function walkPreviousRuns(cron: string, timezone: string, from: Date, n: number): { runs: Date[]; firstAtOrAfter: Date | null } {
  let runs: Date[] = [];
  let firstAtOrAfter: Date | null = null;
  for (let lookBack = n + 2; lookBack <= 8 * (n + 2); lookBack *= 2) {
    const backwards = CronExpressionParser.parse(cron, { tz: timezone, currentDate: from });
    let start = from;
    for (let i = 0; i < lookBack; i += 1) start = backwards.prev().toDate();
    const forwards = CronExpressionParser.parse(cron, { tz: timezone, currentDate: start });
    runs = [];
    let next = forwards.next().toDate();
    for (; next.getTime() < from.getTime(); next = forwards.next().toDate()) runs.push(next);
    firstAtOrAfter = next;
    if (runs.length >= n) break;
  }
  return { runs: runs.slice(-n).reverse(), firstAtOrAfter };
}

/** "At 06:00, Monday through Friday (Europe/Berlin)". */
export function describeSchedule(cron: string, timezone: string): string {
  try {
    return `${cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false })} (${timezone})`;
  } catch {
    return `${cron} (${timezone})`;
  }
}

/** What the worker heartbeats say (one row per worker process). */
export interface WorkerFacts {
  /** Newest heartbeat of a worker that has not stopped (it may have died since), or null. */
  runningSeenAt: Date | null;
  /** Newest heartbeat of any worker, or null when no worker has ever run. */
  lastSeenAt: Date | null;
  /** When the most recent cleanly stopped worker stopped, or null. */
  lastStoppedAt: Date | null;
}

/**
 * Whether a worker runs the schedules: `alive` (a heartbeat within WORKER_ALIVE_WITHIN_MS);
 * `down` (none alive, but workers ran: `stoppedAt` when the newest one stopped cleanly, null when it
 * vanished without stopping — killed or crashed); `never` (no worker has ever run).
 */
export type WorkerStatus =
  | { state: 'alive'; lastSeenAt: Date }
  | { state: 'down'; lastSeenAt: Date; stoppedAt: Date | null }
  | { state: 'never' };

/** Something that stops or will stop a schedule from running. Front ends put it in words. */
export type ScheduleIssue =
  | { code: 'disabled' }
  | { code: 'failing'; failedRuns: number }
  | { code: 'no_worker'; worker: Exclude<WorkerStatus, { state: 'alive' }> }
  /** Stale, and none of the above explains it. */
  | { code: 'unknown' };

export interface ScheduleFacts {
  cron: string | null;
  timezone: string;
  enabled: boolean;
  /** Start of the newest execution, any trigger. */
  lastSyncAt: Date | null;
  /** Since when the schedule has existed (integration created / last changed). */
  scheduledSince: Date;
  /** Statuses of the most recent terminal executions, newest first. */
  recentStatuses: ExecutionStatus[];
  workers: WorkerFacts;
  now: Date;
}

export interface ScheduleAssessment {
  stale: boolean;
  /** Why the schedule is stale; empty when it is not. */
  reasons: ScheduleIssue[];
  /** Problems that will make a fresh schedule stale (disabled, failing, no worker); empty when stale. */
  warnings: ScheduleIssue[];
  worker: WorkerStatus;
}

export const WORKER_ALIVE_WITHIN_MS = 60_000;
export const FAILING_IN_A_ROW = 3;

export function assessWorkers(facts: WorkerFacts, now: Date): WorkerStatus {
  const { runningSeenAt, lastSeenAt, lastStoppedAt } = facts;
  if (runningSeenAt && now.getTime() - runningSeenAt.getTime() <= WORKER_ALIVE_WITHIN_MS) return { state: 'alive', lastSeenAt: runningSeenAt };
  if (!lastSeenAt) return { state: 'never' };
  // The newest heartbeat belongs to a worker that never said it stopped: it vanished.
  const vanished = runningSeenAt !== null && runningSeenAt.getTime() >= lastSeenAt.getTime();
  return { state: 'down', lastSeenAt, stoppedAt: vanished ? null : lastStoppedAt };
}

/**
 * A schedule is stale when two scheduled instants have passed since the last sync (or since the
 * schedule began, if it never ran). The issues known (disabled, failing, no worker alive) are the
 * reasons when it is stale, and warnings while it is not.
 */
export function assessSchedule(facts: ScheduleFacts): ScheduleAssessment {
  const worker = assessWorkers(facts.workers, facts.now);
  const issues: ScheduleIssue[] = [];
  if (!facts.enabled) issues.push({ code: 'disabled' });
  if (!facts.cron) return { stale: false, reasons: [], warnings: issues, worker };
  const failing = facts.recentStatuses.slice(0, FAILING_IN_A_ROW);
  if (failing.length === FAILING_IN_A_ROW && failing.every((status) => status === 'failed')) {
    issues.push({ code: 'failing', failedRuns: FAILING_IN_A_ROW });
  }
  if (worker.state !== 'alive') issues.push({ code: 'no_worker', worker });
  const [, secondLast] = previousRuns(facts.cron, facts.timezone, facts.now, 2);
  const since = facts.lastSyncAt ?? facts.scheduledSince;
  const stale = secondLast !== undefined && since.getTime() < secondLast.getTime();
  if (!stale) return { stale, reasons: [], warnings: issues, worker };
  return { stale, reasons: issues.length ? issues : [{ code: 'unknown' }], warnings: [], worker };
}
