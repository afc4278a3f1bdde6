import type { Command } from 'commander';
import type { DomainType } from '../../domain/domain-types.js';
import { parseDomain } from '../arguments.js';
import type { CliContext } from '../context.js';

export function registerReset(program: Command, ctx: CliContext): void {
  program
    .command('reset <integration>')
    .description('empty the sync state (cursor and kept problem records) so the next run is a full re-sync; audited')
    .option('--domain <type>', 'only this domain type (default: all of the integration)', parseDomain)
    .requiredOption('--by <who>', 'who is resetting, for the audit log')
    .action(async (key: string, options: { domain?: DomainType; by: string }) => {
      const services = await ctx.services();
      const reset = await services.admin.reset(key, { domainType: options.domain, actor: ctx.actor(options.by) });
      ctx.out(`Reset ${reset.integrationKey} (${reset.domains.join(', ')}): the next sync fetches everything (full re-sync).`);
    });
}
