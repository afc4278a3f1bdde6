import type { ScheduleIssue, WorkerStatus } from '../domain/schedule.js';
import type { ScheduleView } from '../scheduler/schedule-view.js';
import { formatInZone } from './zoned-time.js';

type TimeText = (date: Date) => string;
const utcIso: TimeText = (date) => date.toISOString();

/** A schedule issue in words, naming the command that fixes it. */
export function describeIssue(issue: ScheduleIssue, time: TimeText): string {
  switch (issue.code) {
    case 'disabled':
      return 'the integration is disabled';
    case 'failing':
      return `the last ${issue.failedRuns} runs failed`;
    case 'unknown':
      return 'no known cause: check the worker logs';
    case 'no_worker': {
      const { worker } = issue;
      if (worker.state === 'never') return 'no worker has ever run: start one with tether worker';
      const last = worker.stoppedAt
        ? `the last one stopped at ${time(worker.stoppedAt)}`
        : `the last one was last seen at ${time(worker.lastSeenAt)} and did not stop cleanly`;
      return `no worker alive, ${last}: start one with tether worker`;
    }
  }
}

export function describeWorker(worker: WorkerStatus, time: TimeText): string {
  switch (worker.state) {
    case 'alive':
      return `alive (last heartbeat ${time(worker.lastSeenAt)})`;
    case 'down':
      return worker.stoppedAt
        ? `none alive; the last one stopped at ${time(worker.stoppedAt)}`
        : `none alive; the last one was last seen at ${time(worker.lastSeenAt)} and did not stop cleanly`;
    case 'never':
      return 'none has ever run';
  }
}

/** `schedule <integration> --json` (README, "JSON output"): UTC ISO-8601 instants; keep these names. */
export function scheduleJson(view: ScheduleView) {
  const { assessment } = view;
  const { worker } = assessment;
  return {
    integration: view.integration,
    enabled: view.enabled,
    cron: view.cron,
    timezone: view.timezone,
    description: view.description,
    lastSyncAt: view.lastSyncAt?.toISOString() ?? null,
    nextSyncAt: view.nextRuns[0]?.toISOString() ?? null,
    nextRuns: view.nextRuns.map(utcIso),
    stale: assessment.stale,
    reasons: assessment.reasons.map((issue) => describeIssue(issue, utcIso)),
    warnings: assessment.warnings.map((issue) => describeIssue(issue, utcIso)),
    reasonCodes: assessment.reasons.map((issue) => issue.code),
    warningCodes: assessment.warnings.map((issue) => issue.code),
    worker: {
      state: worker.state,
      lastSeenAt: worker.state === 'never' ? null : worker.lastSeenAt.toISOString(),
      stoppedAt: worker.state === 'down' ? (worker.stoppedAt?.toISOString() ?? null) : null,
    },
  };
}

/** `schedule <integration>`: times in the integration's zone, the UTC instant alongside. */
export function formatSchedule(view: ScheduleView): string {
  const time: TimeText = (date) => formatInZone(date, view.timezone);
  const { assessment } = view;
  const lines = [
    `Schedule of ${view.integration}${view.enabled ? '' : ' (disabled)'}`,
    `  Cron       ${view.cron ? `${view.cron}  ${view.timezone}` : 'none (runs only when asked)'}`,
    view.description ? `  Means      ${view.description}` : null,
    `  Last sync  ${view.lastSyncAt ? time(view.lastSyncAt) : 'never'}`,
    `  Next sync  ${view.nextRuns[0] ? time(view.nextRuns[0]) : '—'}`,
    view.nextRuns.length > 1 ? `  Next runs  ${view.nextRuns.map(time).join('\n             ')}` : null,
    `  Workers    ${describeWorker(assessment.worker, time)}`,
    assessment.stale ? `  STALE      ${assessment.reasons.map((issue) => describeIssue(issue, time)).join('; ')}` : null,
    assessment.warnings.length ? `  Warnings   ${assessment.warnings.map((issue) => describeIssue(issue, time)).join('; ')}` : null,
  ];
  return lines.filter((line) => line !== null).join('\n');
}

/** `schedule preview`: one run a line, in the previewed zone with the UTC instant alongside. */
export function formatPreview(runs: Date[], timezone: string): string {
  return runs.map((date) => formatInZone(date, timezone)).join('\n');
}
