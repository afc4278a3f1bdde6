import type { EntityManager } from '@mikro-orm/postgresql';
import type { CsvRow } from '../io/csv-file.js';
import { recordAudit } from './audit-log.js';
import {
  ChannelExternalIdSchema,
  ChannelSchema,
  IntegrationSchema,
  SkuExternalIdSchema,
  SkuSchema,
} from './entities/index.js';
import { InvalidInput } from '../domain/refusals.js';

export class ImportInvalid extends InvalidInput {
  override name = 'ImportInvalid';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    const shown = problems.slice(0, 10).join('; ');
    super(`${file}: nothing imported, ${problems.length} bad row(s): ${shown}${problems.length > 10 ? `; …and ${problems.length - 10} more` : ''}`);
  }
}

export interface MappingImportResult {
  sku: number;
  channel: number;
}

const MAX_CODE = 255;

/** Tether SKUs, channels and the per-integration external-ID mappings. Imports are all-or-nothing. */
export class CatalogRepository {
  constructor(private readonly em: EntityManager) {}

  async importSkus(file: string, rows: CsvRow[], actor: string): Promise<number> {
    return this.importCodes(file, rows, actor, 'sku');
  }

  async importChannels(file: string, rows: CsvRow[], actor: string): Promise<number> {
    return this.importCodes(file, rows, actor, 'channel');
  }

  private async importCodes(file: string, rows: CsvRow[], actor: string, kind: 'sku' | 'channel'): Promise<number> {
    const problems: string[] = [];
    const byCode = new Map<string, { code: string; name: string }>();
    for (const { line, values } of rows) {
      const code = values.code ?? '';
      const name = values.name || code;
      if (!code) problems.push(`line ${line}: code is empty`);
      else if (code.length > MAX_CODE || name.length > MAX_CODE) problems.push(`line ${line}: code and name must be at most ${MAX_CODE} characters`);
      else byCode.set(code, { code, name });
    }
    if (problems.length) throw new ImportInvalid(file, problems);
    const entity = kind === 'sku' ? SkuSchema : ChannelSchema;
    await this.em.fork().transactional(async (em) => {
      if (byCode.size) await em.upsertMany(entity, [...byCode.values()], { onConflictFields: ['code'], onConflictAction: 'merge', batchSize: 1000 });
      await recordAudit(em, { actor, action: `${kind}s.imported`, details: { file, rows: byCode.size } });
    });
    return byCode.size;
  }

  async importMappings(file: string, rows: CsvRow[], actor: string): Promise<MappingImportResult> {
    const em = this.em.fork();
    const integrations = new Map((await em.find(IntegrationSchema, {})).map((row) => [row.key, row.id]));
    const skus = new Map((await em.find(SkuSchema, {}, { fields: ['id', 'code'] })).map((row) => [row.code, row.id]));
    const channels = new Map((await em.find(ChannelSchema, {}, { fields: ['id', 'code'] })).map((row) => [row.code, row.id]));
    const problems: string[] = [];
    const skuRows = new Map<string, { integration: number; externalId: string; sku: number }>();
    const channelRows = new Map<string, { integration: number; externalId: string; channel: number }>();
    for (const { line, values } of rows) {
      const { integration = '', kind = '', external_id: externalId = '', tether_code: code = '' } = values;
      const integrationId = integrations.get(integration);
      if (!integrationId) problems.push(`line ${line}: unknown integration "${integration}"`);
      else if (!externalId) problems.push(`line ${line}: external_id is empty`);
      else if (kind === 'sku') {
        const sku = skus.get(code);
        if (!sku) problems.push(`line ${line}: unknown Tether SKU "${code}" (import it with: tether skus import)`);
        else skuRows.set(`${integrationId}:${externalId}`, { integration: integrationId, externalId, sku });
      } else if (kind === 'channel') {
        const channel = channels.get(code);
        if (!channel) problems.push(`line ${line}: unknown Tether channel "${code}" (import it with: tether channels import)`);
        else channelRows.set(`${integrationId}:${externalId}`, { integration: integrationId, externalId, channel });
      } else problems.push(`line ${line}: kind must be sku or channel (got "${kind}")`);
    }
    if (problems.length) throw new ImportInvalid(file, problems);
    const onConflict = { onConflictFields: ['integration' as const, 'externalId' as const], onConflictAction: 'merge' as const, batchSize: 1000 };
    await em.transactional(async (tx) => {
      if (skuRows.size) await tx.upsertMany(SkuExternalIdSchema, [...skuRows.values()], onConflict);
      if (channelRows.size) await tx.upsertMany(ChannelExternalIdSchema, [...channelRows.values()], onConflict);
      await recordAudit(tx, { actor, action: 'mappings.imported', details: { file, sku: skuRows.size, channel: channelRows.size } });
    });
    return { sku: skuRows.size, channel: channelRows.size };
  }
}
