import type { Job } from 'agenda';
import { nextRuns } from '../domain/schedule.js';

/**
 * Agenda computes a repeating job's next run from the moment the run started, with cron-parser,
 * which goes wrong when that moment is inside a DST transition window (a late start in the
 * repeated hour would run a 01:30 schedule twice). Called while the job runs, this replaces it
 * with the DST-correct next run (domain/schedule.ts); Agenda saves it when the run ends.
 */
export function correctNextRunAt(job: Job): void {
  const { repeatInterval, repeatTimezone, lastRunAt } = job.attrs;
  if (typeof repeatInterval !== 'string' || !lastRunAt) return;
  const [next] = nextRuns(repeatInterval, repeatTimezone ?? 'UTC', lastRunAt, 1);
  if (next) job.attrs.nextRunAt = next;
}
