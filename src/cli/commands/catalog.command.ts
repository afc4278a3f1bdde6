import type { Command } from 'commander';
import { isMappingKind, MAPPING_KINDS, type MappingKind } from '../../domain/mappings.js';
import { didYouMean } from '../../domain/suggest.js';
import { mappingChangeJson, mappingsPageJson, unmappedPageJson } from '../../services/views.js';
import { parseWholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { formatMappingChange, formatMappingRemoved, formatMappingsPage, formatUnmappedPage } from '../mappings-format.js';
import { UsageError } from '../usage-error.js';

function parseKindOption(value: string): MappingKind {
  if (isMappingKind(value)) return value;
  throw new UsageError(`--kind must be sku or channel (got "${value}")${didYouMean(value, MAPPING_KINDS)}`);
}

const limitOption = (max: number) => (value: string) => parseWholeNumber('--limit', value, 1, max);

/** The command again without --after, plus the next cursor. */
const nextPageCommand = (ctx: CliContext) => (cursor: string) => {
  const args = ctx.argv.filter((arg, i, all) => arg !== '--after' && all[i - 1] !== '--after');
  return `tether ${args.join(' ')} --after ${cursor}`;
};

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

  const mappings = program.command('mappings').description('manage external-ID mappings (external SKU / channel id → Tether code)');

  mappings
    .command('import <file>')
    .description('import mappings from a CSV file with columns integration,kind,external_id,tether_code (kind = sku|channel)')
    .option('--by <who>', 'who is importing, for the audit log')
    .action(async (file: string, options: { by?: string }) => {
      const services = await ctx.services();
      const result = await services.catalog.importMappings(file, ctx.actor(options.by));
      ctx.out(`Imported ${result.sku} SKU mappings and ${result.channel} channel mappings.`);
    });

  mappings
    .command('list <integration>')
    .description("the integration's mappings, SKUs then channels, in external-id order (keyset: --after <cursor> for the next page)")
    .option('--kind <kind>', 'only sku or channel mappings', parseKindOption)
    .option('--limit <n>', 'page size (1-1000, default 50)', limitOption(1000), 50)
    .option('--after <cursor>', 'the cursor printed by the previous page')
    .option('--json', 'print as JSON')
    .action(async (key: string, options: { kind?: MappingKind; limit: number; after?: string; json?: boolean }) => {
      const services = await ctx.services();
      const page = await services.catalog.listMappings(key, { kind: options.kind, limit: options.limit, after: options.after });
      if (options.json) return ctx.json(mappingsPageJson(page));
      ctx.out(formatMappingsPage(page, nextPageCommand(ctx)));
    });

  mappings
    .command('add <integration> <kind> <external_id> <code>')
    .description('map an external SKU or channel id (kind = sku|channel) to a Tether code, or change where it points; audited')
    .option('--by <who>', 'who is mapping, for the audit log')
    .option('--json', 'print as JSON')
    .action(async (key: string, kind: string, externalId: string, code: string, options: { by?: string; json?: boolean }) => {
      const services = await ctx.services();
      const change = await services.catalog.addMapping(key, kind, externalId, code, ctx.actor(options.by));
      if (options.json) return ctx.json(mappingChangeJson(change));
      ctx.out(formatMappingChange(change));
    });

  mappings
    .command('remove <integration> <kind> <external_id>')
    .description('remove a mapping (kind = sku|channel); audited')
    .requiredOption('--by <who>', 'who is removing it, for the audit log')
    .option('--json', 'print as JSON')
    .action(async (key: string, kind: string, externalId: string, options: { by: string; json?: boolean }) => {
      const services = await ctx.services();
      const removed = await services.catalog.removeMapping(key, kind, externalId, ctx.actor(options.by));
      if (options.json) return ctx.json({ integration: removed.integrationKey, kind: removed.kind, externalId: removed.externalId, code: removed.code });
      ctx.out(formatMappingRemoved(removed));
    });

  mappings
    .command('unmapped <integration>')
    .description('the unmapped SKUs and channels that kept problem records hold back, most blocking first, with the orders, units, order value and inventory rows behind each')
    .option('--kind <kind>', 'only sku or channel (needed with --after)', parseKindOption)
    .option('--limit <n>', 'values per kind (1-1000, default 25)', limitOption(1000), 25)
    .option('--after <cursor>', 'the cursor printed by the previous page')
    .option('--json', 'print as JSON: an array with one page per kind')
    .action(async (key: string, options: { kind?: MappingKind; limit: number; after?: string; json?: boolean }) => {
      if (options.after && !options.kind) throw new UsageError('--after needs --kind (the cursor is of one kind\'s list)');
      const services = await ctx.services();
      const kinds = options.kind ? [options.kind] : MAPPING_KINDS;
      const pages = [];
      for (const kind of kinds) pages.push(await services.catalog.unmappedValues(key, { kind, limit: options.limit, after: options.after }));
      if (options.json) return ctx.json(pages.map(unmappedPageJson));
      // Without --kind each list's next page is asked for its own kind.
      const next = (kind: MappingKind) => (cursor: string) => `${nextPageCommand(ctx)(cursor)}${options.kind ? '' : ` --kind ${kind}`}`;
      ctx.out(pages.map((page) => formatUnmappedPage(page, next(page.kind))).join('\n\n'));
    });
}
