import type { Command } from 'commander';
import type { DomainType } from '../../domain/domain-types.js';
import type { ExecutionRecord } from '../../sync/ports.js';
import { domainsToRun, parseDomain, parseId, requireIntegration } from '../arguments.js';
import type { CliContext } from '../context.js';
import { executionJson } from '../json-shapes.js';
import { formatExecution } from '../text-format.js';
import { EXIT, UsageError } from '../usage-error.js';

export function registerSync(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
  program
    .command('sync <integration>')
    .description('run a sync now, in the foreground, and print its summary (every domain type unless --domain)')
    .option('--domain <type>', 'only this domain type', parseDomain)
    .option('--dry-run', 'fetch and map, record items, but save no data and keep the cursor')
    .option('--by <who>', 'who triggered it')
    .option('--queue', 'queue the run for a worker (tether worker) instead of running it here; prints the execution ids')
    .option('--json', 'print the execution as JSON (an array when several domain types ran)')
    .action(async (key: string, options: { domain?: DomainType; dryRun?: boolean; by?: string; queue?: boolean; json?: boolean }) => {
      const app = await ctx.app();
      const integration = await requireIntegration(app, key);
      if (options.queue) {
        const scheduler = await ctx.scheduler();
        const ids: number[] = [];
        for (const domainType of domainsToRun(integration, options.domain)) {
          ids.push(
            await scheduler.enqueue({
              integrationId: integration.id,
              integrationKey: integration.key,
              domainType,
              requestedBy: ctx.actor(options.by),
              dryRun: options.dryRun === true,
            }),
          );
        }
        if (options.json) return ctx.json({ queued: ids });
        return ctx.out(`Queued: ${ids.map((id) => `execution #${id}`).join(', ')} (a worker runs it; follow with: tether execution <id>)`);
      }
      const controller = new AbortController();
      // Ctrl-C: finish the current page, then stop (the run ends `interrupted`). Twice: exit now.
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(130);
        ctx.err('Stopping after the current page… (press Ctrl-C again to quit at once)');
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const results: ExecutionRecord[] = [];
      try {
        for (const domainType of domainsToRun(integration, options.domain)) {
          if (controller.signal.aborted) break;
          results.push(
            await app.engine.run({
              integrationKey: key,
              domainType,
              dryRun: options.dryRun === true,
              trigger: 'manual',
              triggeredBy: ctx.actor(options.by),
              signal: controller.signal,
            }),
          );
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (options.json) ctx.json(results.map(executionJson));
      else ctx.out(results.map(formatExecution).join('\n\n'));
      if (results.some((execution) => execution.status === 'failed')) setExitCode(EXIT.syncFailed);
    });

  program
    .command('cancel <execution-id>')
    .description('ask a running sync to stop after its current page (it ends `cancelled`)')
    .requiredOption('--by <who>', 'who is cancelling, for the audit log')
    .action(async (id: string, options: { by: string }) => {
      const executionId = parseId('execution id', id);
      const app = await ctx.app();
      const execution = await app.executions.requestCancel(executionId, ctx.actor(options.by));
      if (!execution) throw new UsageError(`No execution #${executionId}`);
      ctx.out(
        execution.status === 'running'
          ? `Cancel requested: execution #${executionId} stops after its current page.`
          : `Execution #${executionId} is ${execution.status}.`,
      );
    });
}
