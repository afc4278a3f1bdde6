import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IntegrationSpec } from '../../src/config/integrations-file.js';
import { demoExternalSku, demoTetherSku, DEMO_CHANNELS } from '../../src/sync/connectors/demo/demo-data.js';
import type { Services } from '../../src/services/services.js';

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tether-test-'));
}

export async function writeTemp(name: string, content: string): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, content);
  return path;
}

export function demoSpec(overrides: Partial<IntegrationSpec> & { config?: Record<string, unknown> } = {}): IntegrationSpec {
  return {
    key: 'demo-shop',
    name: 'Demo Shop',
    connector: 'demo',
    domains: ['sales_orders', 'warehouse_inventory'],
    credentials: {},
    schedule: null,
    enabled: true,
    dryRun: false,
    matchSkuCodes: false,
    slackChannel: null,
    notify: 'problems',
    ...overrides,
    config: { orders: 60, page_size: 20, warehouses: 2, sku_count: 10, ...overrides.config },
  };
}

/** Tether SKUs SKU-0001.. and channels, plus the mappings the demo source needs (except the planted gaps). */
export async function seedCatalog(services: Pick<Services, 'catalog'>, integrationKey = 'demo-shop', skuCount = 10): Promise<void> {
  const skus = ['code,name', ...Array.from({ length: skuCount }, (_, i) => `${demoTetherSku(i + 1)},Product ${i + 1}`)].join('\n');
  const channels = ['code,name', ...DEMO_CHANNELS.map((c) => `${c.toUpperCase()},${c}`)].join('\n');
  const mappings = [
    'integration,kind,external_id,tether_code',
    ...Array.from({ length: skuCount }, (_, i) => `${integrationKey},sku,${demoExternalSku(i + 1)},${demoTetherSku(i + 1)}`),
    ...DEMO_CHANNELS.map((c) => `${integrationKey},channel,${c},${c.toUpperCase()}`),
  ].join('\n');
  const skuFile = await writeTemp('skus.csv', skus);
  const channelFile = await writeTemp('channels.csv', channels);
  const mappingFile = await writeTemp('mappings.csv', mappings);
  await services.catalog.importSkus(skuFile, 'test');
  await services.catalog.importChannels(channelFile, 'test');
  await services.catalog.importMappings(mappingFile, 'test');
}
