/**
 * `npm run demo`: one command that shows the product working. Creates and migrates the database,
 * applies the sample integrations, imports SKUs, channels and mappings, runs a sync of each
 * integration and prints the summaries with their error analysis.
 */
import { fileURLToPath } from 'node:url';
import { bootstrap } from '../app.js';
import { loadConfig } from '../config/config.js';
import { readIntegrationsFile } from '../config/integrations-file.js';
import { checkSpecsAgainstConnectors } from '../db/integrations.repository.js';
import { readCsvFile } from '../io/csv-file.js';
import { createLogger } from '../logging.js';
import { formatExecution } from '../cli/text-format.js';
import type { DomainType } from '../domain/domain-types.js';

const file = (name: string) => fileURLToPath(new URL(`../../examples/demo/${name}`, import.meta.url));
const say = (text = '') => process.stdout.write(`${text}\n`);

const config = loadConfig(process.env, 'demo', { logLevel: 'warn' });
if (config.usingDevKey) say('Demo mode: credentials are sealed with the built-in dev key (set TETHER_ENCRYPTION_KEY for real data).');
const app = await bootstrap(config, { log: createLogger(config.logLevel) });
try {
  say(`Database ${new URL(config.databaseUrl).pathname.slice(1)} ready${app.migrationsApplied.length ? ` (applied ${app.migrationsApplied.length} migration${app.migrationsApplied.length === 1 ? "" : "s"})` : ''}.`);
  const specs = await readIntegrationsFile(file('integrations.yml'), process.env);
  checkSpecsAgainstConnectors(specs, app.connectors);
  const applied = await app.integrations.apply(specs, 'demo');
  say(`Integrations: ${[...applied.created, ...applied.updated, ...applied.unchanged].join(', ')}`);
  const skus = await app.catalog.importSkus('skus.csv', await readCsvFile(file('skus.csv'), ['code', 'name']), 'demo');
  const channels = await app.catalog.importChannels('channels.csv', await readCsvFile(file('channels.csv'), ['code', 'name']), 'demo');
  const mappings = await app.catalog.importMappings(
    'mappings.csv',
    await readCsvFile(file('mappings.csv'), ['integration', 'kind', 'external_id', 'tether_code']),
    'demo',
  );
  say(`Catalog: ${skus} SKUs, ${channels} channels, ${mappings.sku} SKU and ${mappings.channel} channel mappings.`);

  let firstExecution: number | null = null;
  for (const spec of specs) {
    for (const domainType of spec.domains as DomainType[]) {
      const started = performance.now();
      const execution = await app.engine.run({ integrationKey: spec.key, domainType, trigger: 'manual', triggeredBy: 'demo' });
      firstExecution ??= execution.id;
      const seconds = (performance.now() - started) / 1000;
      say();
      say(formatExecution(execution));
      say(`  Speed      ${Math.round(execution.recordsFetched / Math.max(seconds, 0.001))} records/s`);
    }
  }
  say();
  say('Run it again: records already saved come back as `skipped` (nothing duplicated).');
  say('Look around (the demo database needs TETHER_MODE=demo for its dev key):');
  say(`  TETHER_MODE=demo npm run -s tether -- executions demo-shop`);
  say(`  TETHER_MODE=demo npm run -s tether -- items ${firstExecution} --status failed,partial_mapped --limit 10`);
  say(`  TETHER_MODE=demo npm run -s tether -- reset demo-shop --by you && TETHER_MODE=demo npm run -s tether -- sync demo-shop`);
} finally {
  await app.close();
}
