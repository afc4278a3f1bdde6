import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';
import type { ExecutionStatus } from './statuses.js';

/** The next n instants of a cron schedule in its IANA zone, after `from` (DST-correct). */
export function nextRuns(cron: string, timezone: string, from: Date, n: number): Date[] {
  const expression = CronExpressionParser.parse(cron, { tz: timezone, currentDate: from });
  return Array.from({ length: n }, () => expression.next().toDate());
}

/** The last n instants of the schedule before `from`, newest first. */
export function previousRuns(cron: string, timezone: string, from: Date, n: number): Date[] {
  const expression = CronExpressionParser.parse(cron, { tz: timezone, currentDate: from });
  return Array.from({ length: n }, () => expression.prev().toDate());
}

/** "At 06:00, Monday through Friday (Europe/Berlin)". */
export function describeSchedule(cron: string, timezone: string): string {
  try {
    return `${cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false })} (${timezone})`;
  } catch {
    return `${cron} (${timezone})`;
  }
}

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
  /** Last time any worker reported in, or null if none ever did. */
  lastWorkerSeenAt: Date | null;
  now: Date;
}

export interface ScheduleAssessment {
  stale: boolean;
  /** Why the schedule is stale, or warnings that will make it stale, in plain words. */
  reasons: string[];
}

export const WORKER_ALIVE_WITHIN_MS = 60_000;
const FAILING_IN_A_ROW = 3;

/**
 * A schedule is stale when two scheduled instants have passed since the last sync (or since the
 * schedule began, if it never ran). The reasons say why when we can tell: disabled, failing, no worker.
 */
export function assessSchedule(facts: ScheduleFacts): ScheduleAssessment {
  const reasons: string[] = [];
  if (!facts.enabled) reasons.push('the integration is disabled');
  const failing = facts.recentStatuses.slice(0, FAILING_IN_A_ROW);
  if (failing.length === FAILING_IN_A_ROW && failing.every((status) => status === 'failed')) {
    reasons.push(`the last ${FAILING_IN_A_ROW} runs failed`);
  }
  const workerAlive = facts.lastWorkerSeenAt !== null && facts.now.getTime() - facts.lastWorkerSeenAt.getTime() <= WORKER_ALIVE_WITHIN_MS;
  if (!workerAlive) {
    reasons.push(
      facts.lastWorkerSeenAt
        ? `no worker alive (last seen ${facts.lastWorkerSeenAt.toISOString()}): start one with tether worker`
        : 'no worker has ever run: start one with tether worker',
    );
  }
  if (!facts.cron) return { stale: false, reasons: facts.enabled ? [] : reasons };
  const [, secondLast] = previousRuns(facts.cron, facts.timezone, facts.now, 2);
  const since = facts.lastSyncAt ?? facts.scheduledSince;
  const stale = secondLast !== undefined && since.getTime() < secondLast.getTime();
  if (stale && reasons.length === 0) reasons.push('no known cause: check the worker logs');
  return { stale, reasons };
}
