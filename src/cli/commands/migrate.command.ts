import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerMigrate(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('create the database if needed and apply pending migrations')
    .action(async () => {
      const app = await ctx.app();
      ctx.out(app.migrationsApplied.length ? `Applied: ${app.migrationsApplied.join(', ')}` : 'Database is up to date.');
    });
}
