import type { Command } from 'commander';
import type { DomainType } from '../../domain/domain-types.js';
import type { ExecutionRecord } from '../../sync/ports.js';
import { executionJson } from '../../services/views.js';
import { parseDomain, parseId } from '../arguments.js';
import type { CliContext } from '../context.js';
import { progressObserver } from '../progress.js';
import { formatExecution } from '../text-format.js';
import { EXIT } from '../usage-error.js';

export function registerSync(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
  program
    .command('sync <integration>')
    .description('run a sync now, in the foreground, and print its summary (every domain type unless --domain)')
    .option('--domain <type>', 'only this domain type', parseDomain)
    .option('--dry-run', 'fetch and map, record items, but save no data and keep the cursor')
    .option('--by <who>', 'who triggered it')
    .option('--queue', 'queue the run for a worker (tether worker) instead of running it here; prints the execution ids')
    .option('--json', 'print the executions as a JSON array (one element per domain type run)')
    .action(async (key: string, options: { domain?: DomainType; dryRun?: boolean; by?: string; queue?: boolean; json?: boolean }) => {
      const services = await ctx.services();
      const request = { integrationKey: key, domainType: options.domain, dryRun: options.dryRun === true, actor: ctx.actor(options.by) };
      if (options.queue) {
        const queued = await services.syncs.queue(request);
        const ids = queued.map((run) => run.executionId);
        if (options.json) return ctx.json({ queued: ids });
        return ctx.out(`Queued: ${ids.map((id) => `execution #${id}`).join(', ')} (a worker runs it; follow with: tether execution ${ids[0]})`);
      }
      const controller = new AbortController();
      // Ctrl-C: finish the current page, then stop (the run ends `interrupted`). Twice: exit now.
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(130);
        ctx.io.progress?.(null);
        ctx.err('Stopping after the current page… (press Ctrl-C again to quit at once)');
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let results: ExecutionRecord[];
      try {
        const observer = options.json || !ctx.io.progress ? undefined : progressObserver(ctx.io.progress);
        results = await services.syncs.runNow({ ...request, signal: controller.signal, observer });
      } finally {
        ctx.io.progress?.(null);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (options.json) ctx.json(results.map(executionJson));
      else ctx.out(results.map(formatExecution).join('\n\n'));
      setExitCode(exitCodeOf(results));
    });

  program
    .command('retry <integration>')
    .description('retry failed items: process only the failed records kept from earlier runs (mappings as they are now), without fetching')
    .option('--domain <type>', 'only this domain type', parseDomain)
    .option('--by <who>', 'who triggered it')
    .option('--queue', 'queue it for a worker instead of running it here; prints the execution ids')
    .option('--json', 'print the executions as a JSON array')
    .action(async (key: string, options: { domain?: DomainType; by?: string; queue?: boolean; json?: boolean }) => {
      const services = await ctx.services();
      const request = { integrationKey: key, domainType: options.domain, actor: ctx.actor(options.by) };
      if (options.queue) {
        const { queued } = await services.syncs.retry(request);
        const ids = queued.map((run) => run.executionId);
        if (options.json) return ctx.json({ queued: ids });
        return ctx.out(`Queued: ${ids.map((id) => `execution #${id}`).join(', ')} (a worker runs it; follow with: tether execution ${ids[0]})`);
      }
      const observer = options.json || !ctx.io.progress ? undefined : progressObserver(ctx.io.progress);
      let executions: ExecutionRecord[];
      try {
        ({ executions } = await services.syncs.retry({ ...request, now: true, observer }));
      } finally {
        ctx.io.progress?.(null);
      }
      if (options.json) ctx.json(executions.map(executionJson));
      else ctx.out(executions.map(formatExecution).join('\n\n'));
      setExitCode(exitCodeOf(executions));
    });

  program
    .command('cancel <execution-id>')
    .description('ask a running sync to stop after its current page (it ends `cancelled`); a queued one is cancelled at once')
    .requiredOption('--by <who>', 'who is cancelling, for the audit log')
    .action(async (id: string, options: { by: string }) => {
      const executionId = parseId('execution id', id);
      const services = await ctx.services();
      const { outcome } = await services.syncs.cancel(executionId, ctx.actor(options.by));
      ctx.out(
        outcome === 'stopping'
          ? `Cancel requested: execution #${executionId} stops after its current page.`
          : `Execution #${executionId} was queued and is now cancelled.`,
      );
    });
}

/** Worst outcome first: a failed run, then one stopped by a signal, then one cancelled by a person. */
function exitCodeOf(results: ExecutionRecord[]): number {
  const statuses = new Set(results.map((execution) => execution.status));
  if (statuses.has('failed')) return EXIT.syncFailed;
  if (statuses.has('interrupted')) return EXIT.interrupted;
  if (statuses.has('cancelled')) return EXIT.cancelled;
  return EXIT.ok;
}
