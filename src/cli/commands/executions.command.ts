import type { Command } from 'commander';
import type { DomainType } from '../../domain/domain-types.js';
import type { ItemStatus } from '../../domain/statuses.js';
import { parseDomain, parseId, parseStatuses, parseWholeNumber, requireIntegration } from '../arguments.js';
import type { CliContext } from '../context.js';
import { executionJson, itemsPageJson } from '../json-shapes.js';
import { formatExecution, formatExecutionList, formatItemsPage, formatRecordErrors } from '../text-format.js';
import { UsageError } from '../usage-error.js';

const limitOption = (max: number) => (value: string) => parseWholeNumber('--limit', value, 1, max);

export function registerExecutions(program: Command, ctx: CliContext): void {
  program
    .command('executions <integration>')
    .description('recent sync executions of an integration, newest first')
    .option('--domain <type>', 'only this domain type', parseDomain)
    .option('--limit <n>', 'how many (1-500, default 20)', limitOption(500), 20)
    .option('--json', 'print as JSON')
    .action(async (key: string, options: { domain?: DomainType; limit: number; json?: boolean }) => {
      const app = await ctx.app();
      const integration = await requireIntegration(app, key);
      const executions = await app.executions.list(integration.id, { domainType: options.domain, limit: options.limit });
      if (options.json) ctx.json(executions.map(executionJson));
      else ctx.out(formatExecutionList(executions));
    });

  program
    .command('execution <id>')
    .description('one execution: status, counts, cursor, error and error analysis')
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const executionId = parseId('execution id', id);
      const app = await ctx.app();
      const execution = await app.executions.get(executionId);
      if (!execution) throw new UsageError(`No execution #${executionId}`);
      if (options.json) ctx.json(executionJson(execution));
      else ctx.out(formatExecution(execution));
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
        const app = await ctx.app();
        if (!(await app.executions.get(executionId))) throw new UsageError(`No execution #${executionId}`);
        const page = await app.executions.items(
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
    .description("one item; for an aggregate item, its per-record error breakdown")
    .option('--limit <n>', 'how many record errors (1-1000, default 50)', limitOption(1000), 50)
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { limit: number; json?: boolean }) => {
      const itemId = parseId('item id', id);
      const app = await ctx.app();
      const item = await app.executions.item(itemId);
      if (!item) throw new UsageError(`No item #${itemId}`);
      const errors = await app.executions.recordErrors(itemId, { limit: options.limit });
      if (options.json) return ctx.json({ ...item, fetchedAt: item.fetchedAt.toISOString(), recordErrors: errors });
      ctx.out(
        [
          `Item #${item.id} of execution #${item.executionId}: ${item.externalId} · ${item.status}` +
            (item.aggregate ? ` · aggregate of ${item.recordCount} records` : ''),
          item.errorMessage ? `  ${item.errorMessage}` : '',
          item.aggregate ? formatRecordErrors(errors) : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
}
