/**
 * Health of one integration × domain type, from its recent terminal executions and its schedule.
 * Pure: no IO, no clock (the schedule facts carry `now`). Robust statistics — median and MAD of the
 * earlier runs, the run judged never part of its own baseline — so one noisy run neither raises an
 * alarm nor hides one. Reasons are one sentence with the numbers and never name a command: each
 * front end adds its own words for what to do.
 */
import { formatAge, formatCount, formatDurationMs, formatRange, listWords, plural } from './health-text.js';
import { assessSchedule, describeSchedule, previousRuns, type ScheduleFacts, type ScheduleIssue } from './schedule.js';
import type { ExecutionStatus, Trigger } from './statuses.js';
import { ERROR_CATEGORIES, ITEM_ISSUE_HINTS, type ErrorCategory } from './sync-errors.js';

export { sparkline } from './sparkline.js';

export const HEALTH_STATES = ['healthy', 'attention', 'not_enough_history'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export const INDICATOR_NAMES = ['status', 'failed', 'fetched', 'duration', 'schedule'] as const;
export type IndicatorName = (typeof INDICATOR_NAMES)[number];

/** The thresholds (config `health`, env HEALTH_*). */
export interface HealthThresholds {
  /** Earlier runs that form a baseline (median and MAD). */
  window: number;
  /** Runs needed (the judged ones included) before a statistical indicator can flag. */
  minRuns: number;
  /** Failed runs in a row that need attention. */
  failuresInARow: number;
  /** How many scaled MADs from the median count as far away. */
  madK: number;
  /** Failed count: the newest runs whose median is compared with the runs before them. */
  recentRuns: number;
  /** Failed count: the smallest rise (items a run) that counts, so 0 → 2 failed items is no alarm. */
  failedMinRise: number;
  /** Records fetched: a drop must also be below this share of the median. */
  fetchedDropRatio: number;
  /** Duration: must also be above this multiple of the median. */
  durationRatio: number;
  /** Duration: runs shorter than this never flag, so tiny runs do not flap. */
  durationFloorMs: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: Readonly<HealthThresholds> = Object.freeze({
  window: 20,
  minRuns: 5,
  failuresInARow: 3,
  madK: 3,
  recentRuns: 3,
  failedMinRise: 5,
  fetchedDropRatio: 0.5,
  durationRatio: 2,
  durationFloorMs: 30_000,
});

/** Zero records fetched is unusual when at most this share of the baseline runs fetched zero too. */
export const ZERO_FETCH_USUAL_SHARE = 0.1;
/** The error analysis lists at most this many values of each kind (db/execution-rows.ts). */
export const ANALYSIS_VALUES_LISTED = 50;

/** One terminal execution of the pair, as health needs it. */
export interface HealthRun {
  id: number;
  status: ExecutionStatus;
  trigger: Trigger;
  errorCategory: ErrorCategory | null;
  recordsFetched: number;
  failedCount: number;
  durationMs: number | null;
  /**
   * From the error analysis: unique unmapped SKU values, and the records that had them. Only the
   * newest processed run's are read (the repository fills them for that run alone).
   */
  unmappedSkus: number;
  unmappedSkuRecords: number;
  /** From the error analysis: unique unmapped channel values, and the records that had them. */
  unmappedChannels: number;
  unmappedChannelRecords: number;
}

/** The earlier runs an indicator compares with. `mad` is scaled (× 1.4826) to read like a standard deviation. */
export interface Baseline {
  runs: number;
  median: number;
  mad: number;
  min: number;
  max: number;
}

export interface Indicator {
  state: HealthState;
  /**
   * The number judged: status → failed runs in a row; failed → median failed items of the recent
   * runs; fetched → records fetched by the newest run; duration → its duration in ms; schedule →
   * ms since the last sync (null when it never synced or has no schedule).
   */
  value: number | null;
  baseline: Baseline | null;
  /** One sentence with the numbers; says why when flagged. */
  reason: string;
}

export const PROBLEM_KEYS = [
  'authentication',
  'unmapped_skus',
  'unmapped_channels',
  'no_records',
  'failing',
  'failed_rising',
  'fetched_drop',
  'duration',
  'stale',
] as const;
export type ProblemKey = (typeof PROBLEM_KEYS)[number];

/**
 * A recognised problem with its fix. `key` is stable while the problem lasts (alerts de-duplicate
 * on integration × domain type × key); `category` is the key, or for `failing` the error category
 * of the newest failed run (connection, source_data, configuration, credentials, items_failed…).
 */
export interface HealthProblem {
  key: ProblemKey;
  category: ProblemKey | ErrorCategory;
  reason: string;
  /** What to do, in plain words (front ends add their own command or button). */
  fix: string;
  /** The execution that shows it best (the newest failed run, the run that found the values), if any. */
  executionId: number | null;
}

/**
 * The identity of a problem for alerts: one alert per integration × domain type × problem key
 * while the problem lasts (raise when it appears, resolve when a later read no longer has it).
 */
export const problemAlertKey = (integrationKey: string, domainType: string, key: ProblemKey): string =>
  `health:${integrationKey}:${domainType}:${key}`;

export interface PairHealth {
  overall: HealthState;
  indicators: Record<IndicatorName, Indicator>;
  problems: HealthProblem[];
}

export interface HealthInput {
  /** Terminal executions of the pair, newest first (window + recentRuns are enough). */
  runs: readonly HealthRun[];
  /** The schedule, as the stale rule needs it (its recent statuses are taken from `runs`); null → no schedule. */
  schedule: Omit<ScheduleFacts, 'recentStatuses'> | null;
  thresholds: HealthThresholds;
}

/** Failures a retry cannot fix: flagged on the first one. */
const NEEDS_A_PERSON: readonly ErrorCategory[] = ['authentication', 'credentials', 'configuration'];

/** A short title per problem, for headings and alert titles ("Unmapped SKUs"). */
export const PROBLEM_TITLES: Record<ProblemKey, string> = {
  authentication: 'Authentication failed',
  unmapped_skus: 'Unmapped SKUs',
  unmapped_channels: 'Unmapped channels',
  no_records: 'No records fetched',
  failing: 'Failing runs',
  failed_rising: 'Failed items rising',
  fetched_drop: 'Records fetched dropped',
  duration: 'Runs take far longer',
  stale: 'Stale schedule',
};

export const PROBLEM_FIXES: Record<Exclude<ProblemKey, 'failing' | 'stale'>, string> = {
  authentication: 'Update the integration credentials, then sync again.',
  unmapped_skus: ITEM_ISSUE_HINTS.unmapped_sku,
  unmapped_channels: ITEM_ISSUE_HINTS.unmapped_channel,
  no_records: 'Check the date range (the sync cursor) and that the source has data for it.',
  failed_rising:
    'Look at the top errors of the recent runs (new unmapped SKUs or channels, invalid records at the source), fix the cause, then sync again.',
  fetched_drop: 'Check the source and the date range: a filter, a cursor ahead of the data or an outage at the source can hide records.',
  duration: 'Check the response times of the source and the load on the database; a run that fetched far more than usual also takes longer.',
};

// ------------------------------------------------------------------ statistics

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (!values.length) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median absolute deviation, scaled by 1.4826 (a standard deviation for normal data). */
export function scaledMad(values: readonly number[], center = median(values)): number {
  return 1.4826 * median(values.map((value) => Math.abs(value - center)));
}

export function baselineOf(values: readonly number[]): Baseline {
  const center = median(values);
  return { runs: values.length, median: center, mad: scaledMad(values, center), min: Math.min(...values), max: Math.max(...values) };
}

// ------------------------------------------------------------------ the assessment

/** A run that went through its items: completed, or failed only because every item failed. (db/health.repository.ts mirrors this in SQL.) */
const isProcessed = (run: HealthRun): boolean =>
  run.status === 'success' || run.status === 'partial' || (run.status === 'failed' && run.errorCategory === 'items_failed');

/** Health of one integration × domain type. */
export function assessHealth(input: HealthInput): PairHealth {
  const t = input.thresholds;
  // Runs a person stopped say nothing about the integration.
  const runs = input.runs.filter((run) => run.status !== 'cancelled' && run.status !== 'queued' && run.status !== 'running');
  // Runs that went through their items (not stopped by a fatal error): the statistics use these.
  const processed = runs.filter(isProcessed);
  const problems: HealthProblem[] = [];

  const unmapped = unmappedProblems(processed[0]);
  const status = statusIndicator(runs, t, problems, unmapped.length > 0);
  problems.push(...unmapped);
  const failed = failedIndicator(processed, t, problems);
  const fetched = fetchedIndicator(processed, t, problems);
  const duration = durationIndicator(processed, t, problems);
  const schedule = scheduleIndicator(input.schedule, runs, problems);

  const indicators = { status, failed, fetched, duration, schedule };
  const flagged = problems.length > 0 || Object.values(indicators).some((indicator) => indicator.state === 'attention');
  const short = [status, failed, fetched, duration].some((indicator) => indicator.state === 'not_enough_history');
  return { overall: flagged ? 'attention' : short ? 'not_enough_history' : 'healthy', indicators, problems };
}

function statusIndicator(runs: HealthRun[], t: HealthThresholds, problems: HealthProblem[], unmappedExplains: boolean): Indicator {
  if (!runs.length) return { state: 'not_enough_history', value: null, baseline: null, reason: 'No finished runs yet.' };
  // Interrupted runs (a process stopped) neither break nor extend a streak of failures.
  let inARow = 0;
  for (const run of runs) {
    if (run.status === 'interrupted') continue;
    if (run.status !== 'failed') break;
    inARow += 1;
  }
  const newestFailed = runs.find((run) => run.status === 'failed');
  const category = newestFailed?.errorCategory ?? 'internal';
  const cause = FAILURE_WORDS[category];
  const needsPerson = inARow > 0 && NEEDS_A_PERSON.includes(category);
  if (inARow >= t.failuresInARow || needsPerson) {
    const reason =
      inARow === 1 ? `The last run failed with ${cause}, which a retry does not fix.` : `The last ${inARow} runs failed in a row, the newest with ${cause}.`;
    if (category === 'authentication') {
      problems.push({ key: 'authentication', category, reason, fix: PROBLEM_FIXES.authentication, executionId: newestFailed!.id });
    } else if (!(category === 'items_failed' && unmappedExplains)) {
      // Every item failing because of unmapped values is one problem: the unmapped one says it.
      problems.push({ key: 'failing', category, reason, fix: ERROR_CATEGORIES[category], executionId: newestFailed!.id });
    }
    return { state: 'attention', value: inARow, baseline: null, reason };
  }
  const reason =
    inARow > 0
      ? `The last ${inARow === 1 ? 'run' : `${inARow} runs`} failed, the newest with ${cause}; attention from ${t.failuresInARow} in a row.`
      : `No failures in a row: the last run ${ENDED_WORDS[runs[0]!.status] ?? `ended ${runs[0]!.status}`}.`;
  return { state: 'healthy', value: inARow, baseline: null, reason };
}

/** A failure's category in a reason: "failed with a connection error". */
const FAILURE_WORDS: Record<ErrorCategory, string> = {
  authentication: 'an authentication error',
  connection: 'a connection error',
  source_data: 'source data Tether cannot read',
  configuration: 'a configuration error',
  credentials: 'credentials that cannot be opened',
  internal: 'an internal error',
  interrupted: 'an interruption',
  items_failed: 'every item failing',
};

const ENDED_WORDS: Partial<Record<ExecutionStatus, string>> = {
  success: 'succeeded',
  partial: 'completed with failed items (partial)',
  interrupted: 'was interrupted',
};

function unmappedProblems(newest: HealthRun | undefined): HealthProblem[] {
  if (!newest) return [];
  const found: HealthProblem[] = [];
  const values = (n: number) => (n >= ANALYSIS_VALUES_LISTED ? `${ANALYSIS_VALUES_LISTED} or more` : formatCount(n));
  if (newest.unmappedSkus > 0) {
    found.push({
      key: 'unmapped_skus',
      category: 'unmapped_skus',
      reason: `The last run found ${values(newest.unmappedSkus)} unmapped SKU${newest.unmappedSkus === 1 ? '' : 's'} in ${plural(newest.unmappedSkuRecords, 'record')}.`,
      fix: PROBLEM_FIXES.unmapped_skus,
      executionId: newest.id,
    });
  }
  if (newest.unmappedChannels > 0) {
    found.push({
      key: 'unmapped_channels',
      category: 'unmapped_channels',
      reason: `The last run found ${values(newest.unmappedChannels)} unmapped channel${newest.unmappedChannels === 1 ? '' : 's'} in ${plural(newest.unmappedChannelRecords, 'record')}.`,
      fix: PROBLEM_FIXES.unmapped_channels,
      executionId: newest.id,
    });
  }
  return found;
}

const notEnough = (have: number, t: HealthThresholds, what = 'completed runs'): Indicator => ({
  state: 'not_enough_history',
  value: null,
  baseline: null,
  reason: `${have === 0 ? 'No' : formatCount(have)} ${have === 1 ? what.replace(/s$/, '') : what} so far: ${t.minRuns} are needed to compare.`,
});

const previous = (baseline: Baseline): string => (baseline.runs === 1 ? 'the previous run' : `the previous ${baseline.runs} runs`);

function failedIndicator(processed: HealthRun[], t: HealthThresholds, problems: HealthProblem[]): Indicator {
  const recent = processed.slice(0, t.recentRuns);
  const earlier = processed.slice(t.recentRuns, t.recentRuns + t.window);
  if (processed.length < t.minRuns || recent.length < t.recentRuns || !earlier.length) return notEnough(processed.length, t);
  const baseline = baselineOf(earlier.map((run) => run.failedCount));
  const value = median(recent.map((run) => run.failedCount));
  const counts = recent.map((run) => formatCount(run.failedCount));
  const lastRuns = recent.length === 1 ? 'The last run had' : `The last ${recent.length} runs had`;
  const rising = value > baseline.median + Math.max(t.madK * baseline.mad, t.failedMinRise);
  const usual = `${previous(baseline)} had ${formatRange(baseline.min, baseline.max)}`;
  if (rising) {
    const reason = `${lastRuns} ${listWords(counts)} failed items; ${usual}.`;
    problems.push({ key: 'failed_rising', category: 'failed_rising', reason, fix: PROBLEM_FIXES.failed_rising, executionId: recent[0]!.id });
    return { state: 'attention', value, baseline, reason };
  }
  return { state: 'healthy', value, baseline, reason: `${lastRuns} ${listWords(counts)} failed items; ${usual}.` };
}

function fetchedIndicator(processed: HealthRun[], t: HealthThresholds, problems: HealthProblem[]): Indicator {
  const newest = processed[0];
  // A full re-sync fetches everything: it is judged (a full fetch below the usual is a drop) but not a baseline.
  const earlier = processed.slice(1).filter((run) => run.trigger !== 'full_resync').slice(0, t.window);
  if (!newest || earlier.length + 1 < t.minRuns) return notEnough(processed.length, t);
  const values = earlier.map((run) => run.recordsFetched);
  const baseline = baselineOf(values);
  const value = newest.recordsFetched;
  const usual = `${previous(baseline)} fetched ${formatRange(baseline.min, baseline.max)}`;
  if (value === 0) {
    const zeros = values.filter((v) => v === 0).length;
    if (baseline.median > 0 && zeros <= ZERO_FETCH_USUAL_SHARE * values.length) {
      const reason = `The last run fetched no records; ${usual}.`;
      problems.push({ key: 'no_records', category: 'no_records', reason, fix: PROBLEM_FIXES.no_records, executionId: newest.id });
      return { state: 'attention', value, baseline, reason };
    }
  } else if (value < Math.min(baseline.median - t.madK * baseline.mad, t.fetchedDropRatio * baseline.median)) {
    const reason = `The last run fetched ${plural(value, 'record')}; ${usual}.`;
    problems.push({ key: 'fetched_drop', category: 'fetched_drop', reason, fix: PROBLEM_FIXES.fetched_drop, executionId: newest.id });
    return { state: 'attention', value, baseline, reason };
  }
  const kind = newest.trigger === 'full_resync' ? ' (a full re-sync)' : '';
  return { state: 'healthy', value, baseline, reason: `The last run${kind} fetched ${plural(value, 'record')}; ${usual}.` };
}

function durationIndicator(processed: HealthRun[], t: HealthThresholds, problems: HealthProblem[]): Indicator {
  const timed = processed.filter((run) => run.durationMs !== null);
  const newest = timed[0];
  const earlier = timed.slice(1).filter((run) => run.trigger !== 'full_resync').slice(0, t.window);
  if (!newest || earlier.length + 1 < t.minRuns) return notEnough(timed.length, t);
  const baseline = baselineOf(earlier.map((run) => run.durationMs!));
  const value = newest.durationMs!;
  const usual = `${previous(baseline)} took ${formatRange(baseline.min, baseline.max, formatDurationMs)}`;
  if (newest.trigger === 'full_resync') {
    return { state: 'healthy', value, baseline, reason: `The last run was a full re-sync and took ${formatDurationMs(value)}; ${usual}.` };
  }
  const limit = Math.max(baseline.median + t.madK * baseline.mad, t.durationRatio * baseline.median, t.durationFloorMs);
  if (value > limit) {
    const fetched = baselineOf(earlier.map((run) => run.recordsFetched));
    const more = newest.recordsFetched > t.durationRatio * fetched.median && newest.recordsFetched > fetched.max
      ? ` (it fetched ${formatCount(newest.recordsFetched)} records against ${formatRange(fetched.min, fetched.max)})`
      : '';
    const reason = `The last run took ${formatDurationMs(value)}${more}; ${usual}.`;
    problems.push({ key: 'duration', category: 'duration', reason, fix: PROBLEM_FIXES.duration, executionId: newest.id });
    return { state: 'attention', value, baseline, reason };
  }
  return { state: 'healthy', value, baseline, reason: `The last run took ${formatDurationMs(value)}; ${usual}.` };
}

/** How many scheduled runs to count back when saying how many were missed. */
const MISSED_RUNS_COUNTED = 50;

function scheduleIndicator(facts: HealthInput['schedule'], runs: HealthRun[], problems: HealthProblem[]): Indicator {
  if (!facts?.cron) return { state: 'healthy', value: null, baseline: null, reason: 'No schedule: it runs only when asked.' };
  const age = facts.lastSyncAt ? Math.max(0, facts.now.getTime() - facts.lastSyncAt.getTime()) : null;
  if (!facts.enabled) return { state: 'healthy', value: age, baseline: null, reason: 'The integration is disabled, so its schedule does not run.' };
  const assessment = assessSchedule({ ...facts, recentStatuses: runs.map((run) => run.status) });
  const words = scheduleWords(facts.cron, facts.timezone);
  if (!assessment.stale) {
    const last = age === null ? 'No sync yet' : `Last sync ${formatAge(age)} ago`;
    return { state: 'healthy', value: age, baseline: null, reason: `${last}, within the schedule (${words}).` };
  }
  const since = facts.lastSyncAt ?? facts.scheduledSince;
  const missed = previousRuns(facts.cron, facts.timezone, facts.now, MISSED_RUNS_COUNTED).filter((at) => at.getTime() > since.getTime()).length;
  const missedText = `${missed >= MISSED_RUNS_COUNTED ? `${MISSED_RUNS_COUNTED} or more` : formatCount(missed)} scheduled runs (${words}) have passed`;
  const causes = assessment.reasons.map(describeCause);
  const opening =
    age === null
      ? `Never synced: ${missedText} since the schedule was set ${formatAge(facts.now.getTime() - since.getTime())} ago`
      : `No sync for ${formatAge(age)}: ${missedText} since the last one`;
  const reason = `${opening}; ${listWords(causes)}.`;
  problems.push({ key: 'stale', category: 'stale', reason, fix: staleFix(assessment.reasons), executionId: null });
  return { state: 'attention', value: age, baseline: null, reason };
}

/** "every hour, Europe/Berlin" — remembered per cron and zone (cronstrue takes ~0.3 ms a call, and every pair asks). */
function scheduleWords(cron: string, timezone: string): string {
  const key = `${cron}\u0000${timezone}`;
  let words = scheduleWordsCache.get(key);
  if (words === undefined) {
    const described = describeSchedule(cron, timezone).replace(/ \(([^)]+)\)$/, ', $1');
    words = `${described.charAt(0).toLowerCase()}${described.slice(1)}`;
    if (scheduleWordsCache.size >= 2000) scheduleWordsCache.clear();
    scheduleWordsCache.set(key, words);
  }
  return words;
}
const scheduleWordsCache = new Map<string, string>();

function describeCause(issue: ScheduleIssue): string {
  switch (issue.code) {
    case 'disabled':
      return 'the integration is disabled';
    case 'failing':
      return `the last ${issue.failedRuns} runs failed`;
    case 'no_worker':
      return issue.worker.state === 'never' ? 'no worker has ever run' : 'no worker is running';
    case 'unknown':
      return 'no known cause';
  }
}

function staleFix(reasons: ScheduleIssue[]): string {
  const fixes = reasons.map((issue) => {
    switch (issue.code) {
      case 'disabled':
        return 'enable the integration';
      case 'failing':
        return 'fix the cause of the failing runs';
      case 'no_worker':
        return 'start a worker';
      case 'unknown':
        return 'check the worker logs for the scheduled job';
    }
  });
  const text = listWords(fixes);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}, so the schedule runs again.`;
}
