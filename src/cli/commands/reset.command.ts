import type { Command } from 'commander';
import type { DomainType } from '../../domain/domain-types.js';
import { domainsToRun, parseDomain, requireIntegration } from '../arguments.js';
import type { CliContext } from '../context.js';

export function registerReset(program: Command, ctx: CliContext): void {
  program
    .command('reset <integration>')
    .description('empty the sync state (cursor) so the next run is a full re-sync; audited')
    .option('--domain <type>', 'only this domain type (default: all of the integration)', parseDomain)
    .requiredOption('--by <who>', 'who is resetting, for the audit log')
    .action(async (key: string, options: { domain?: DomainType; by: string }) => {
      const app = await ctx.app();
      const integration = await requireIntegration(app, key);
      const domains = domainsToRun(integration, options.domain);
      await app.executions.reset(integration.id, domains, ctx.actor(options.by), integration.key);
      ctx.out(`Reset ${key} (${domains.join(', ')}): the next sync fetches everything (full re-sync).`);
    });
}
