import type { Command } from 'commander';
import { readIntegrationsFile } from '../../config/integrations-file.js';
import type { ApplyOutcome } from '../../services/integrations.service.js';
import { integrationJson } from '../../services/views.js';
import type { CliContext } from '../context.js';
import { table } from '../text-format.js';

export function registerIntegrations(program: Command, ctx: CliContext): void {
  const integrations = program.command('integrations').description('configure integrations');

  integrations
    .command('apply <file>')
    .description('create, update and disable integrations to match a YAML file (idempotent); --dry-run prints the plan')
    .option('--dry-run', 'print what would change, change nothing')
    .option('--by <who>', 'who is applying, for the audit log')
    .option('--json', 'print the result as JSON')
    .option('--replace-unreadable-credentials', "overwrite stored credentials that no known key opens (lost key) with the file's")
    .action(async (file: string, options: { by?: string; json?: boolean; dryRun?: boolean; replaceUnreadableCredentials?: boolean }) => {
      const specs = await readIntegrationsFile(file, ctx.env);
      const services = await ctx.services();
      const outcome = await services.integrations.apply(specs, {
        actor: ctx.actor(options.by),
        dryRun: options.dryRun === true,
        replaceUnreadableCredentials: options.replaceUnreadableCredentials === true,
      });
      if (options.json) return ctx.json(outcome);
      ctx.out(formatApply(outcome, file));
    });

  integrations
    .command('list')
    .description('list configured integrations (credentials are never shown)')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const services = await ctx.services();
      const rows = await services.integrations.list();
      if (options.json) return ctx.json(rows.map(integrationJson));
      if (!rows.length) return ctx.out('No integrations yet: run tether integrations apply <file.yml>.');
      ctx.out(
        table(
          ['key', 'name', 'connector', 'domains', 'schedule', 'enabled', 'dry run'],
          rows.map((row) => [
            row.key,
            row.name,
            row.connector,
            row.domains.join(', '),
            row.cron ? `${row.cron} (${row.timezone})` : '—',
            row.enabled ? 'yes' : 'no',
            row.dryRun ? 'yes' : 'no',
          ]),
        ),
      );
    });
}

function formatApply(outcome: ApplyOutcome, file: string): string {
  const would = outcome.dryRun ? 'Would be ' : '';
  const line = (label: string, keys: string[]) => (keys.length ? `${would}${outcome.dryRun ? label.toLowerCase() : label}: ${keys.join(', ')}` : null);
  const lines = [
    outcome.dryRun ? 'Dry run: nothing was changed.' : null,
    line('Created', outcome.created),
    line('Updated', outcome.updated),
    line('Unchanged', outcome.unchanged),
    line('Disabled (not in file)', outcome.disabled),
  ].filter((text): text is string => text !== null);
  if (lines.length === (outcome.dryRun ? 1 : 0)) lines.push('The file lists no integrations.');
  if (outcome.disabled.length) {
    lines.push(
      `${outcome.dryRun ? 'Integrations missing from the file would be disabled' : 'Integrations missing from the file were disabled'} (their schedules stop; data and history are kept). To undo, add them back to ${file} and apply it again.`,
    );
  }
  if (!outcome.dryRun) lines.push(`Schedules: ${outcome.schedules.length ? outcome.schedules.join(', ') : 'none'}`);
  return lines.join('\n');
}
