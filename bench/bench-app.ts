import { bootstrap } from '../src/app.js';
import type { Config } from '../src/config/config.js';
import { createLogger } from '../src/logging.js';
import { demoExternalSku, demoTetherSku, DEMO_CHANNELS } from '../src/sync/connectors/demo/demo-data.js';
import { writeTemp } from '../test/support/fixtures.js';

/** The app for a benchmark: the services, plus the internals it measures against (pool, engine). */
export async function startBenchApp(config: Config) {
  const { services, internals, close } = await bootstrap(config, { log: createLogger(config.logLevel), createDatabase: true });
  return { ...services, ...internals, close };
}

export type BenchApp = Awaited<ReturnType<typeof startBenchApp>>;

/** The demo catalog (200 SKUs, the demo channels) and its mappings for each integration key, through the catalog imports. */
export async function seedCatalog(app: BenchApp, keys: string[]): Promise<void> {
  const skus = await writeTemp('skus.csv', ['code,name', ...Array.from({ length: 200 }, (_, i) => `${demoTetherSku(i + 1)},P${i + 1}`)].join('\n'));
  const channels = await writeTemp('channels.csv', ['code,name', ...DEMO_CHANNELS.map((c) => `${c.toUpperCase()},${c}`)].join('\n'));
  const mappings = await writeTemp(
    'mappings.csv',
    [
      'integration,kind,external_id,tether_code',
      ...keys.flatMap((key) => [
        ...Array.from({ length: 200 }, (_, i) => `${key},sku,${demoExternalSku(i + 1)},${demoTetherSku(i + 1)}`),
        ...DEMO_CHANNELS.map((c) => `${key},channel,${c},${c.toUpperCase()}`),
      ]),
    ].join('\n'),
  );
  await app.catalog.importSkus(skus, 'bench');
  await app.catalog.importChannels(channels, 'bench');
  await app.catalog.importMappings(mappings, 'bench');
}
