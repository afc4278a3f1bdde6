import type { Command } from 'commander';
import { readIntegrationsFile } from '../../config/integrations-file.js';
import { checkSpecsAgainstConnectors } from '../../db/integrations.repository.js';
import type { CliContext } from '../context.js';
import { table } from '../text-format.js';

export function registerIntegrations(program: Command, ctx: CliContext): void {
  const integrations = program.command('integrations').description('configure integrations');

  integrations
    .command('apply <file>')
    .description('create, update and disable integrations to match a YAML file (idempotent)')
    .option('--by <who>', 'who is applying, for the audit log')
    .option('--json', 'print the result as JSON')
    .option('--replace-unreadable-credentials', 'overwrite stored credentials that no known key opens (lost key) with the file\'s')
    .action(async (file: string, options: { by?: string; json?: boolean; replaceUnreadableCredentials?: boolean }) => {
      const specs = await readIntegrationsFile(file, ctx.env);
      const app = await ctx.app();
      checkSpecsAgainstConnectors(specs, app.connectors);
      const result = await app.integrations.apply(specs, ctx.actor(options.by), {
        replaceUnreadableCredentials: options.replaceUnreadableCredentials === true,
      });
      const schedules = await (await ctx.scheduler()).reconcile();
      if (options.json) return ctx.json({ ...result, schedules: schedules.scheduled });
      const line = (label: string, keys: string[]) => (keys.length ? `${label}: ${keys.join(', ')}` : null);
      ctx.out(
        [line('Created', result.created), line('Updated', result.updated), line('Unchanged', result.unchanged), line('Disabled (not in file)', result.disabled)]
          .filter(Boolean)
          .join('\n') || 'The file lists no integrations.',
      );
      ctx.out(`Schedules: ${schedules.scheduled.length ? schedules.scheduled.join(', ') : 'none'}`);
    });

  integrations
    .command('list')
    .description('list configured integrations (credentials are never shown)')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const app = await ctx.app();
      const rows = await app.integrations.list();
      if (options.json) {
        return ctx.json(
          rows.map((row) => ({
            key: row.key,
            name: row.name,
            connector: row.connector,
            domains: row.domains,
            schedule: row.cron ? { cron: row.cron, timezone: row.timezone } : null,
            enabled: row.enabled,
            dryRun: row.dryRun,
            slackChannel: row.slackChannel,
            hasCredentials: row.credentialsSealed !== null,
          })),
        );
      }
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
