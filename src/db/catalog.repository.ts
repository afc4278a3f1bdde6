import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { MappingKind } from '../domain/mappings.js';
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
import { searchCatalog, type CatalogMatch } from './catalog-search.js';
import {
  catalogEntries,
  codesLike,
  deleteMapping,
  externalIdsLike,
  mappingsAfter,
  writeMappings,
  type CatalogEntry,
  type MappingRow,
  type MappingWrite,
  type MappingWritten,
} from './mapping-rows.js';
import { unmappedValues, type UnmappedQuery, type UnmappedValue } from './unmapped-values.js';

export type { CatalogEntry, CatalogMatch, MappingRow, MappingWritten, UnmappedValue };

const describeBadRows = (file: string, problems: string[]): string =>
  `${file}: nothing imported, ${problems.length} bad row(s): ${problems.slice(0, 10).join('; ')}` +
  (problems.length > 10 ? `; …and ${problems.length - 10} more` : '');

export class ImportInvalid extends InvalidInput {
  override name = 'ImportInvalid';
  constructor(
    readonly file: string,
    readonly problems: string[],
    message = describeBadRows(file, problems),
  ) {
    super(message);
  }

  /** A file with a header and no data rows: an import of nothing is almost always the wrong file. */
  static noRows(file: string): ImportInvalid {
    const problem = 'no rows to import (the file has a header but no data rows)';
    return new ImportInvalid(file, [problem], `${file}: nothing imported: ${problem}`);
  }
}

/** Remembers the first line of each key, to name both lines when a key comes again. */
class FirstLines {
  private readonly lines = new Map<string, number>();

  /** The line the key was first seen on, or undefined (and remembers this line) when it is new. */
  seen(key: string, line: number): number | undefined {
    const first = this.lines.get(key);
    if (first === undefined) this.lines.set(key, line);
    return first;
  }
}

export interface MappingImportResult {
  sku: number;
  channel: number;
}

const MAX_CODE = 255;

/**
 * Tether SKUs, channels and the per-integration external-ID mappings. Imports are all-or-nothing:
 * every row is checked first (a key given twice is an error naming both lines, a file with no rows
 * is an error), and nothing is written unless every row is good. Messages name no front end's
 * commands: the CLI and Slack each say how to import in their own words.
 */
export class CatalogRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly pool: pg.Pool,
  ) {}

  /** One kind's mappings of the integration in external-id order after the given one (keyset). */
  mappingsAfter(integrationId: number, kind: MappingKind, afterExternalId: string | null, limit: number): Promise<MappingRow[]> {
    return mappingsAfter(this.pool, integrationId, kind, afterExternalId, limit);
  }

  catalogEntries(kind: MappingKind, codes: string[]): Promise<Map<string, CatalogEntry>> {
    return catalogEntries(this.pool, kind, codes);
  }

  codesLike(kind: MappingKind, code: string): Promise<string[]> {
    return codesLike(this.pool, kind, code);
  }

  externalIdsLike(integrationId: number, kind: MappingKind, externalId: string): Promise<string[]> {
    return externalIdsLike(this.pool, integrationId, kind, externalId);
  }

  /** All or nothing, audited per mapping that changed. */
  writeMappings(integration: { id: number; key: string }, writes: MappingWrite[], actor: string): Promise<MappingWritten[]> {
    return writeMappings(this.pool, integration, writes, actor);
  }

  /** Audited; the code it pointed at, or null when there was no such mapping. */
  deleteMapping(integration: { id: number; key: string }, kind: MappingKind, externalId: string, actor: string): Promise<string | null> {
    return deleteMapping(this.pool, integration, kind, externalId, actor);
  }

  searchCatalog(kind: MappingKind, query: string, limit: number): Promise<CatalogMatch[]> {
    return searchCatalog(this.pool, kind, query, limit);
  }

  unmappedValues(query: UnmappedQuery): Promise<{ values: UnmappedValue[]; total: number }> {
    return unmappedValues(this.pool, query);
  }

  async importSkus(file: string, rows: CsvRow[], actor: string): Promise<number> {
    return this.importCodes(file, rows, actor, 'sku');
  }

  async importChannels(file: string, rows: CsvRow[], actor: string): Promise<number> {
    return this.importCodes(file, rows, actor, 'channel');
  }

  private async importCodes(file: string, rows: CsvRow[], actor: string, kind: 'sku' | 'channel'): Promise<number> {
    if (!rows.length) throw ImportInvalid.noRows(file);
    const problems: string[] = [];
    const byCode = new Map<string, { code: string; name: string }>();
    const firstLines = new FirstLines();
    for (const { line, values } of rows) {
      const code = values.code ?? '';
      const name = values.name || code;
      const first = code ? firstLines.seen(code, line) : undefined;
      if (!code) problems.push(`line ${line}: code is empty`);
      else if (first !== undefined) problems.push(`line ${line}: code "${code}" is also on line ${first}`);
      else if (code.length > MAX_CODE || name.length > MAX_CODE) problems.push(`line ${line}: code and name must be at most ${MAX_CODE} characters`);
      else byCode.set(code, { code, name });
    }
    if (problems.length) throw new ImportInvalid(file, problems);
    const entity = kind === 'sku' ? SkuSchema : ChannelSchema;
    await this.em.fork().transactional(async (em) => {
      await em.upsertMany(entity, [...byCode.values()], { onConflictFields: ['code'], onConflictAction: 'merge', batchSize: 1000 });
      await recordAudit(em, { actor, action: `${kind}s.imported`, details: { file, rows: byCode.size } });
    });
    return byCode.size;
  }

  async importMappings(file: string, rows: CsvRow[], actor: string): Promise<MappingImportResult> {
    if (!rows.length) throw ImportInvalid.noRows(file);
    const em = this.em.fork();
    const integrations = new Map((await em.find(IntegrationSchema, {})).map((row) => [row.key, row.id]));
    const skus = new Map((await em.find(SkuSchema, {}, { fields: ['id', 'code'] })).map((row) => [row.code, row.id]));
    const channels = new Map((await em.find(ChannelSchema, {}, { fields: ['id', 'code'] })).map((row) => [row.code, row.id]));
    const problems: string[] = [];
    const skuRows: { integration: number; externalId: string; sku: number }[] = [];
    const channelRows: { integration: number; externalId: string; channel: number }[] = [];
    const firstLines = new FirstLines();
    for (const { line, values } of rows) {
      const { integration = '', kind = '', external_id: externalId = '', tether_code: code = '' } = values;
      const integrationId = integrations.get(integration);
      if (!integrationId) {
        problems.push(`line ${line}: unknown integration "${integration}"`);
        continue;
      }
      if (!externalId) {
        problems.push(`line ${line}: external_id is empty`);
        continue;
      }
      if (kind !== 'sku' && kind !== 'channel') {
        problems.push(`line ${line}: kind must be sku or channel (got "${kind}")`);
        continue;
      }
      const first = firstLines.seen(JSON.stringify([integration, kind, externalId]), line);
      if (first !== undefined) {
        problems.push(`line ${line}: ${kind} "${externalId}" of integration "${integration}" is also on line ${first}`);
        continue;
      }
      if (!code) {
        problems.push(`line ${line}: tether_code is empty`);
      } else if (kind === 'sku') {
        const sku = skus.get(code);
        if (!sku) problems.push(`line ${line}: unknown Tether SKU "${code}" (import it first)`);
        else skuRows.push({ integration: integrationId, externalId, sku });
      } else {
        const channel = channels.get(code);
        if (!channel) problems.push(`line ${line}: unknown Tether channel "${code}" (import it first)`);
        else channelRows.push({ integration: integrationId, externalId, channel });
      }
    }
    if (problems.length) throw new ImportInvalid(file, problems);
    const onConflict = { onConflictFields: ['integration' as const, 'externalId' as const], onConflictAction: 'merge' as const, batchSize: 1000 };
    await em.transactional(async (tx) => {
      if (skuRows.length) await tx.upsertMany(SkuExternalIdSchema, skuRows, onConflict);
      if (channelRows.length) await tx.upsertMany(ChannelExternalIdSchema, channelRows, onConflict);
      await recordAudit(tx, { actor, action: 'mappings.imported', details: { file, sku: skuRows.length, channel: channelRows.length } });
    });
    return { sku: skuRows.length, channel: channelRows.length };
  }
}
