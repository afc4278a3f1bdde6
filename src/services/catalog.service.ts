import type { CatalogRepository, MappingImportResult } from '../db/catalog.repository.js';
import { readCsvFile } from '../io/csv-file.js';

export const SKU_COLUMNS = ['code', 'name'];
export const CHANNEL_COLUMNS = ['code', 'name'];
export const MAPPING_COLUMNS = ['integration', 'kind', 'external_id', 'tether_code'];

/** Tether SKUs, channels and external-ID mappings, imported from CSV files (all or nothing, audited). */
export class CatalogService {
  constructor(private readonly repository: CatalogRepository) {}

  async importSkus(file: string, actor: string): Promise<number> {
    return this.repository.importSkus(file, await readCsvFile(file, SKU_COLUMNS), actor);
  }

  async importChannels(file: string, actor: string): Promise<number> {
    return this.repository.importChannels(file, await readCsvFile(file, CHANNEL_COLUMNS), actor);
  }

  async importMappings(file: string, actor: string): Promise<MappingImportResult> {
    return this.repository.importMappings(file, await readCsvFile(file, MAPPING_COLUMNS), actor);
  }
}
