import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerCatalog(program: Command, ctx: CliContext): void {
  for (const kind of ['skus', 'channels'] as const) {
    program
      .command(kind)
      .description(`manage Tether ${kind}`)
      .command('import <file>')
      .description(`import ${kind} from a CSV file with columns code,name (upsert by code; all or nothing)`)
      .option('--by <who>', 'who is importing, for the audit log')
      .action(async (file: string, options: { by?: string }) => {
        const services = await ctx.services();
        const actor = ctx.actor(options.by);
        const count = kind === 'skus' ? await services.catalog.importSkus(file, actor) : await services.catalog.importChannels(file, actor);
        ctx.out(`Imported ${count} ${kind}.`);
      });
  }

  program
    .command('mappings')
    .description('manage external-ID mappings')
    .command('import <file>')
    .description('import mappings from a CSV file with columns integration,kind,external_id,tether_code (kind = sku|channel)')
    .option('--by <who>', 'who is importing, for the audit log')
    .action(async (file: string, options: { by?: string }) => {
      const services = await ctx.services();
      const result = await services.catalog.importMappings(file, ctx.actor(options.by));
      ctx.out(`Imported ${result.sku} SKU mappings and ${result.channel} channel mappings.`);
    });
}
