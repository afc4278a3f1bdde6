import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('run scheduled and queued syncs until SIGTERM/SIGINT (then drain: running syncs finish or end interrupted)')
    .action(async () => {
      const services = await ctx.services();
      const worker = await services.worker.start();
      ctx.err(`Worker ${worker.id} running (Ctrl-C to stop).`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          ctx.err(`${signal}: draining…`);
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          resolve();
        };
        const onTerm = () => stop('SIGTERM');
        const onInt = () => stop('SIGINT');
        process.on('SIGTERM', onTerm);
        process.on('SIGINT', onInt);
      });
      await worker.stop();
      ctx.err('Worker stopped.');
    });
}
