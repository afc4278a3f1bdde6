import type { Command } from 'commander';
import type { DomainType } from '../../domain/domain-types.js';
import { healthJson } from '../../services/views.js';
import { parseDomain } from '../arguments.js';
import type { CliContext } from '../context.js';
import { formatHealth } from '../health-format.js';

export function registerHealth(program: Command, ctx: CliContext): void {
  program
    .command('health [integration]')
    .description('health indicators per integration and domain type: status, failed count, records fetched, duration, last sync — with trends and fixes')
    .option('--domain <type>', 'only this domain type', parseDomain)
    .option('--json', 'print as JSON')
    .action(async (key: string | undefined, options: { domain?: DomainType; json?: boolean }) => {
      const services = await ctx.services();
      const { pairs, more } =
        key && options.domain
          ? { pairs: [await services.health.pair(key, options.domain)], more: 0 }
          : await services.health.all({ integrationKey: key ?? null });
      const shown = options.domain ? pairs.filter((pair) => pair.domainType === options.domain) : pairs;
      if (options.json) return ctx.json(shown.map(healthJson));
      ctx.out(formatHealth(shown, more));
    });
}
