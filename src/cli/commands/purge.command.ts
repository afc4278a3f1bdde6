import type { Command } from 'commander';
import type { PurgeReport } from '../../services/retention.service.js';
import { parseWholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { formatTime, table } from '../text-format.js';
import { UsageError } from '../usage-error.js';

/** Executions listed one per line by a dry run's text output; --json lists them all. */
const PREVIEW_LINES = 20;

export function registerPurge(program: Command, ctx: CliContext): void {
  program
    .command('purge')
    .description('delete the items of executions older than the retention (TETHER_ITEM_RETENTION_DAYS); executions, counts and error analysis stay; audited')
    .option('--dry-run', 'say what would be purged (executions, item counts, oldest / newest) without deleting')
    .option('--older-than-days <n>', 'executions that ended more than n days ago (1-36500; default TETHER_ITEM_RETENTION_DAYS)', (value: string) =>
      parseWholeNumber('--older-than-days', value, 1, 36_500),
    )
    .option('--batch-size <n>', 'items deleted per transaction (1-100000; default TETHER_PURGE_BATCH_SIZE)', (value: string) =>
      parseWholeNumber('--batch-size', value, 1, 100_000),
    )
    .option('--by <who>', 'who is purging, for the audit log')
    .option('--json', 'print as JSON')
    .action(async (options: { dryRun?: boolean; olderThanDays?: number; batchSize?: number; by?: string; json?: boolean }) => {
      const services = await ctx.services();
      if (options.olderThanDays === undefined && services.retention.retentionDays === null) {
        throw new UsageError('item retention is off (TETHER_ITEM_RETENTION_DAYS=off): pass --older-than-days <n> to purge explicitly');
      }
      const report = await services.retention.purge({
        olderThanDays: options.olderThanDays,
        dryRun: options.dryRun === true,
        batchSize: options.batchSize,
        actor: ctx.actor(options.by),
      });
      if (options.json) ctx.json(purgeJson(report));
      else ctx.out(formatPurge(report));
    });
}

function purgeJson(report: PurgeReport) {
  return {
    dryRun: report.dryRun,
    olderThanDays: report.olderThanDays,
    cutoff: report.cutoff.toISOString(),
    executions: report.executions,
    items: report.items,
    recordErrors: report.recordErrors,
    problemRecords: report.problemRecords,
    oldestEndedAt: report.oldestEndedAt?.toISOString() ?? null,
    newestEndedAt: report.newestEndedAt?.toISOString() ?? null,
    ...(report.dryRun
      ? {
          preview: report.preview.map((row) => ({
            executionId: row.executionId,
            integration: row.integrationKey,
            domainType: row.domainType,
            endedAt: row.endedAt.toISOString(),
            items: row.items,
            recordErrors: row.recordErrors,
            problemRecords: row.problemRecords,
          })),
        }
      : { batches: report.batches, durationMs: report.durationMs, skippedBusy: report.skippedBusy }),
  };
}

function formatPurge(report: PurgeReport): string {
  const scope = `executions that ended more than ${report.olderThanDays} days ago (before ${formatTime(report.cutoff)})`;
  if (report.skippedBusy) return 'Another purge is running (a worker or another tether purge): nothing was done; try again when it ends.';
  if (!report.executions) return `Nothing to purge: no ${scope} still have items.`;
  const span = `ended ${formatTime(report.oldestEndedAt)} … ${formatTime(report.newestEndedAt)}`;
  const counts = `${report.items} items, ${report.recordErrors} record errors, ${report.problemRecords} kept problem records`;
  if (!report.dryRun) {
    return `Purged ${counts} of ${report.executions} ${scope}; ${span}. ${report.batches} batches in ${(report.durationMs / 1000).toFixed(1)} s. Executions, counts and error analysis are kept.`;
  }
  const lines = [`Dry run: nothing was deleted. Would purge ${counts} of ${report.executions} ${scope}; ${span}.`];
  lines.push(
    table(
      ['execution', 'integration', 'domain type', 'ended at', 'items', 'record errors', 'kept records'],
      report.preview.slice(0, PREVIEW_LINES).map((row) => [row.executionId, row.integrationKey, row.domainType, formatTime(row.endedAt), row.items, row.recordErrors, row.problemRecords]),
    ),
  );
  if (report.preview.length > PREVIEW_LINES) lines.push(`…and ${report.preview.length - PREVIEW_LINES} more executions (--json lists them all)`);
  return lines.join('\n');
}
