import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerMigrate(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('create the database if needed and apply pending migrations (the only command that creates it)')
    .action(async () => {
      const applied = await ctx.migrationsApplied({ createDatabase: true });
      ctx.out(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    });
}
