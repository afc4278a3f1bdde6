/**
 * `npm run demo -- --once`: the demo for scripts. Creates and migrates the database,
 * applies the sample integrations (the same apply pipeline as the CLI, schedules included),
 * imports SKUs, channels and mappings, runs a sync of each integration and prints the summaries
 * with their error analysis.
 */
import { bootstrap } from '../app.js';
import { formatExecution } from '../cli/text-format.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging.js';
import { seedDemo } from './seed-demo.js';

const say = (text = '') => process.stdout.write(`${text}\n`);

const config = loadConfig(process.env, 'demo', { logLevel: 'warn' });
if (config.usingDevKey) say('Demo mode: credentials are sealed with the built-in dev key (set TETHER_ENCRYPTION_KEY for real data).');
const app = await bootstrap(config, { log: createLogger(config.logLevel), createDatabase: true });
const { services } = app;
try {
  say(`Database ${new URL(config.databaseUrl).pathname.slice(1)} ready${app.migrationsApplied.length ? ` (applied ${app.migrationsApplied.length} migration${app.migrationsApplied.length === 1 ? '' : 's'})` : ''}.`);
  const { specs, integrations, catalog } = await seedDemo(services);
  say(`Integrations: ${integrations.join(', ')}`);
  say(`Catalog: ${catalog}.`);

  let firstExecution: number | null = null;
  for (const spec of specs) {
    for (const execution of await services.syncs.runNow({ integrationKey: spec.key, actor: 'demo' })) {
      firstExecution ??= execution.id;
      const seconds = Math.max((execution.durationMs ?? 0) / 1000, 0.001);
      say();
      say(formatExecution(execution));
      say(`  Speed      ${Math.round((execution.recordsFetched + execution.carriedOver) / seconds)} records/s`);
    }
  }
  say();
  say('Run it again: records already saved come back as `skipped` (nothing duplicated), and the records');
  say('that failed are carried over and re-checked — map them, sync again, and they are repaired.');
  say('Look around (the demo database needs TETHER_MODE=demo for its dev key):');
  say(`  TETHER_MODE=demo npm run -s tether -- executions demo-shop`);
  say(`  TETHER_MODE=demo npm run -s tether -- items ${firstExecution} --status failed,partial_mapped --limit 10`);
  say(`  TETHER_MODE=demo npm run -s tether -- reset demo-shop --by you && TETHER_MODE=demo npm run -s tether -- sync demo-shop`);
} finally {
  await app.close();
}
