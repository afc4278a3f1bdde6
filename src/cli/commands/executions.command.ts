import type { Command } from 'commander';
import type { DomainType } from '../../domain/domain-types.js';
import type { ItemStatus } from '../../domain/statuses.js';
import { executionJson, itemJson, itemsPageJson } from '../../services/views.js';
import { parseDomain, parseId, parseStatuses, parseWholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { formatExecutionList, formatExecutionWithItems, formatItem, formatItemsPage } from '../text-format.js';

const limitOption = (max: number) => (value: string) => parseWholeNumber('--limit', value, 1, max);

export function registerExecutions(program: Command, ctx: CliContext): void {
  program
    .command('executions <integration>')
    .description('recent sync executions of an integration, newest first')
    .option('--domain <type>', 'only this domain type', parseDomain)
    .option('--limit <n>', 'how many (1-500, default 20)', limitOption(500), 20)
    .option('--json', 'print as JSON')
    .action(async (key: string, options: { domain?: DomainType; limit: number; json?: boolean }) => {
      const services = await ctx.services();
      const executions = await services.executions.list(key, { domainType: options.domain, limit: options.limit });
      if (options.json) ctx.json(executions.map(executionJson));
      else ctx.out(formatExecutionList(executions));
    });

  program
    .command('execution <id>')
    .description('one execution: status, counts, cursor, error and error analysis')
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const executionId = parseId('execution id', id);
      const services = await ctx.services();
      const execution = await services.executions.get(executionId);
      if (options.json) ctx.json(executionJson(execution));
      else ctx.out(formatExecutionWithItems(execution, await services.executions.itemsPurge(executionId)));
    });

  program
    .command('items <execution-id>')
    .description('the items of an execution, filtered, in pages (keyset: pass --after <cursor> for the next page)')
    .option('--status <s>', 'only these statuses, comma-separated (e.g. failed,partial_mapped)', parseStatuses)
    .option('--domain <type>', 'only this domain type', parseDomain)
    .option('--search <text>', 'text in the external id or error message')
    .option('--limit <n>', 'page size (1-1000, default 50)', limitOption(1000), 50)
    .option('--after <cursor>', 'the cursor printed by the previous page')
    .option('--json', 'print as JSON')
    .action(
      async (
        id: string,
        options: { status?: ItemStatus[]; domain?: DomainType; search?: string; limit: number; after?: string; json?: boolean },
      ) => {
        const executionId = parseId('execution id', id);
        const services = await ctx.services();
        const page = await services.executions.items(
          executionId,
          { statuses: options.status, domainType: options.domain, search: options.search },
          { limit: options.limit, after: options.after },
        );
        if (options.json) return ctx.json(itemsPageJson(page));
        const args = ctx.argv.filter((arg, i, all) => arg !== '--after' && all[i - 1] !== '--after');
        ctx.out(formatItemsPage(page, (cursor) => `tether ${args.join(' ')} --after ${cursor}`));
      },
    );

  program
    .command('item <item-id>')
    .description('one item; for an aggregate item, its per-record error breakdown')
    .option('--limit <n>', 'how many record errors (1-1000, default 50)', limitOption(1000), 50)
    .option('--after <record-error-id>', 'the next page of record errors: the cursor printed by the previous page')
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { limit: number; after?: string; json?: boolean }) => {
      const itemId = parseId('item id', id);
      const afterErrorId = options.after === undefined ? undefined : parseId('--after', options.after);
      const services = await ctx.services();
      const detail = await services.executions.item(itemId, { limit: options.limit, afterErrorId });
      if (options.json) return ctx.json(itemJson(detail));
      ctx.out(formatItem(detail));
    });
}
