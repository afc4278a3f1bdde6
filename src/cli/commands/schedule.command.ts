import type { Command } from 'commander';
import { previewSchedule } from '../../services/schedules.service.js';
import { parseWholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { formatPreview, formatSchedule, scheduleJson } from '../schedule-format.js';
import { UsageError } from '../usage-error.js';

export function registerSchedule(program: Command, ctx: CliContext): void {
  program
    .command('schedule <integration> [cron]')
    .description('show an integration\'s schedule (last/next sync, stale flag); or `schedule preview "<cron>" --tz <zone>` to list its next runs')
    .option('--next <n>', 'how many upcoming runs to list (1-100, default 5)', (value) => parseWholeNumber('--next', value, 1, 100), 5)
    .option('--tz <zone>', 'IANA timezone, for preview (e.g. Europe/Berlin)')
    .option('--from <iso>', 'for preview: list runs after this ISO-8601 instant (default: now)')
    .option('--json', 'print as JSON')
    .action(async (target: string, cron: string | undefined, options: { next: number; tz?: string; from?: string; json?: boolean }) => {
      if (target === 'preview') return preview(ctx, cron, options);
      if (cron !== undefined) throw new UsageError(`Unexpected argument "${cron}": use tether schedule <integration>, or tether schedule preview "<cron>" --tz <zone>`);
      const services = await ctx.services();
      const view = await services.schedules.view(target, { next: options.next });
      if (options.json) return ctx.json(scheduleJson(view));
      ctx.out(formatSchedule(view));
    });
}

/** Needs no database: a cron can be previewed before anything is set up. */
function preview(ctx: CliContext, cron: string | undefined, options: { next: number; tz?: string; from?: string; json?: boolean }): void {
  if (!cron) throw new UsageError('Give the cron expression to preview: tether schedule preview "0 6 * * 1-5" --tz Europe/Berlin');
  const zone = options.tz ?? 'UTC';
  if (options.from !== undefined && Number.isNaN(new Date(options.from).getTime())) {
    throw new UsageError(`--from must be an ISO-8601 instant like 2026-03-08T00:00:00Z (got "${options.from}")`);
  }
  const runs = previewSchedule(cron, zone, { from: options.from, next: options.next });
  if (options.json) return ctx.json(runs.map((date) => date.toISOString()));
  ctx.out(formatPreview(runs, zone));
}
