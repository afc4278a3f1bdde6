import { fileURLToPath } from 'node:url';
import { readIntegrationsFile, type IntegrationSpec } from '../config/integrations-file.js';
import type { Services } from '../services/services.js';

/** A file of the sample data in examples/demo/. */
export const demoFile = (name: string) => fileURLToPath(new URL(`../../examples/demo/${name}`, import.meta.url));

export interface DemoSeed {
  specs: IntegrationSpec[];
  integrations: string[];
  catalog: string;
}

/**
 * The sample integrations (the same apply pipeline as the CLI, schedules included) and their
 * catalog: SKUs, channels and mappings. `adjust` changes the specs first (the sandbox's schedules).
 */
export async function seedDemo(services: Services, adjust: (spec: IntegrationSpec) => IntegrationSpec = (spec) => spec): Promise<DemoSeed> {
  const specs = (await readIntegrationsFile(demoFile('integrations.yml'), process.env)).map(adjust);
  const applied = await services.integrations.apply(specs, { actor: 'demo' });
  const skus = await services.catalog.importSkus(demoFile('skus.csv'), 'demo');
  const channels = await services.catalog.importChannels(demoFile('channels.csv'), 'demo');
  const mappings = await services.catalog.importMappings(demoFile('mappings.csv'), 'demo');
  return {
    specs,
    integrations: [...applied.created, ...applied.updated, ...applied.unchanged],
    catalog: `${skus} SKUs, ${channels} channels, ${mappings.sku} SKU and ${mappings.channel} channel mappings`,
  };
}
