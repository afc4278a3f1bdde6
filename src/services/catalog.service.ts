import type { CatalogMatch, CatalogRepository, MappingImportResult, MappingRow, UnmappedValue } from '../db/catalog.repository.js';
import { CursorInvalid } from '../db/executions.repository.js';
import { kindWord, MAPPING_KINDS, type MappingKind } from '../domain/mappings.js';
import { Refusal } from '../domain/refusals.js';
import { closestMatch } from '../domain/suggest.js';
import { readCsvFile } from '../io/csv-file.js';
import type { IntegrationLookup } from './integration-lookup.js';
import { checkExternalId, parseMappingKind, validateMappingEntries, type MappingEntry } from './mapping-entries.js';

export type { CatalogMatch, MappingEntry, MappingRow, UnmappedValue };
export { parseMappingKind };

export const SKU_COLUMNS = ['code', 'name'];
export const CHANNEL_COLUMNS = ['code', 'name'];
export const MAPPING_COLUMNS = ['integration', 'kind', 'external_id', 'tether_code'];

/** Slack's options list holds at most 100 options. */
export const MAX_SEARCH_RESULTS = 100;
export const MAX_PAGE = 1000;

export interface MappingsPage {
  integrationKey: string;
  mappings: MappingRow[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** One mapping written (or found already so). */
export interface MappingChange {
  integrationKey: string;
  kind: MappingKind;
  externalId: string;
  code: string;
  name: string;
  /** What it pointed at before: null when it is new ("was X" when changed). */
  previousCode: string | null;
  outcome: 'added' | 'changed' | 'unchanged';
}

export interface MappingRemoved {
  integrationKey: string;
  kind: MappingKind;
  externalId: string;
  /** The Tether code it pointed at. */
  code: string;
}

export interface UnmappedPage {
  integrationKey: string;
  kind: MappingKind;
  values: UnmappedValue[];
  /** Unmapped values of this kind in all (every page). */
  total: number;
  nextCursor: string | null;
}

const encodeCursor = (parts: unknown[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

function decodeCursor(cursor: string, tag: string, what: string): unknown[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts[0] === tag) return parts.slice(1);
  } catch {
    // not ours: refused below
  }
  throw new CursorInvalid(`"${cursor}" is not a cursor printed by a previous ${what} page`);
}

const clampLimit = (limit: number | undefined, fallback: number, max: number): number =>
  Math.min(max, Math.max(1, Math.floor(limit ?? fallback)));

/**
 * Tether SKUs, channels and external-ID mappings: CSV imports (all or nothing, audited), mappings
 * one by one or as a batch (validated, all or nothing, audited), the unmapped values that kept
 * problem records hold back (most blocking first), and the catalog search a mapping form needs.
 */
export class CatalogService {
  constructor(
    private readonly lookup: IntegrationLookup,
    private readonly repository: CatalogRepository,
  ) {}

  async importSkus(file: string, actor: string): Promise<number> {
    return this.repository.importSkus(file, await readCsvFile(file, SKU_COLUMNS), actor);
  }

  async importChannels(file: string, actor: string): Promise<number> {
    return this.repository.importChannels(file, await readCsvFile(file, CHANNEL_COLUMNS), actor);
  }

  async importMappings(file: string, actor: string): Promise<MappingImportResult> {
    return this.repository.importMappings(file, await readCsvFile(file, MAPPING_COLUMNS), actor);
  }

  /**
   * The integration's mappings — SKUs then channels, or one kind — in external-id order, one
   * keyset page (default 50, at most 1000).
   */
  async listMappings(integrationKey: string, options: { kind?: string | null; limit?: number; after?: string | null } = {}): Promise<MappingsPage> {
    const integration = await this.lookup.require(integrationKey);
    const limit = clampLimit(options.limit, 50, MAX_PAGE);
    const kinds: MappingKind[] = options.kind ? [parseMappingKind(options.kind)] : [...MAPPING_KINDS];
    let from: { kind: MappingKind; externalId: string } | null = null;
    if (options.after) {
      const [kind, externalId] = decodeCursor(options.after, 'mappings', 'mappings');
      if (!kinds.includes(kind as MappingKind) || typeof externalId !== 'string') {
        throw new CursorInvalid(`"${options.after}" is not a cursor of this mappings list`);
      }
      from = { kind: kind as MappingKind, externalId };
    }
    const rows: MappingRow[] = [];
    for (const kind of kinds.slice(from ? kinds.indexOf(from.kind) : 0)) {
      const after = from?.kind === kind ? from.externalId : null;
      rows.push(...(await this.repository.mappingsAfter(integration.id, kind, after, limit + 1 - rows.length)));
      if (rows.length > limit) break;
    }
    const mappings = rows.slice(0, limit);
    const last = mappings.at(-1);
    return {
      integrationKey: integration.key,
      mappings,
      nextCursor: rows.length > limit && last ? encodeCursor(['mappings', last.kind, last.externalId]) : null,
    };
  }

  /** Maps one external SKU or channel id to a Tether code (or changes where it points). Audited. */
  async addMapping(integrationKey: string, kind: string, externalId: string, code: string, actor: string): Promise<MappingChange> {
    const [change] = await this.addMappings(integrationKey, [{ kind, externalId, code }], actor);
    return change!;
  }

  /**
   * Saves a batch of mappings, all or nothing: every entry is checked first (kind, external id,
   * the Tether code exists — see `validateMappingEntries`), and any fault refuses the batch with
   * every fault listed by entry (`details.problems`). An existing mapping is changed (its
   * `previousCode` says what it was); one that already points there is left alone. Each change is
   * audited (`mappings.added` / `mappings.changed`). The next sync re-processes the kept problem
   * records with the new mappings.
   */
  async addMappings(integrationKey: string, entries: MappingEntry[], actor: string): Promise<MappingChange[]> {
    const integration = await this.lookup.require(integrationKey);
    const writes = await validateMappingEntries(this.repository, entries);
    const written = await this.repository.writeMappings(integration, writes, actor);
    return written.map((write) => ({
      integrationKey: integration.key,
      kind: write.kind,
      externalId: write.externalId,
      code: write.target.code,
      name: write.target.name,
      previousCode: write.previousCode,
      outcome: write.outcome,
    }));
  }

  /** Removes one mapping; refused (with "did you mean") when the integration has no such mapping. Audited. */
  async removeMapping(integrationKey: string, kind: string, externalId: string, actor: string): Promise<MappingRemoved> {
    const integration = await this.lookup.require(integrationKey);
    const mappingKind = parseMappingKind(kind);
    const checked = checkExternalId(mappingKind, externalId);
    if ('message' in checked) throw new Refusal('invalid_input', checked.message, { kind: mappingKind, externalId });
    const code = await this.repository.deleteMapping(integration, mappingKind, checked.externalId, actor);
    if (code !== null) return { integrationKey: integration.key, kind: mappingKind, externalId: checked.externalId, code };
    const suggestion = closestMatch(checked.externalId, await this.repository.externalIdsLike(integration.id, mappingKind, checked.externalId));
    throw new Refusal(
      'unknown_mapping',
      `Integration "${integration.key}" has no ${kindWord(mappingKind)} mapping for "${checked.externalId}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      { integrationKey: integration.key, kind: mappingKind, externalId: checked.externalId, suggestion },
    );
  }

  /**
   * The external SKUs or channels that the integration's kept problem records name and that do
   * not resolve now, most blocking first (records held back, then the value), with what each
   * holds back: orders, units, order value per currency, inventory rows. One keyset page
   * (default 25, at most 1000) and the total. Computed in SQL from the kept raw records.
   */
  async unmappedValues(integrationKey: string, options: { kind: string; limit?: number; after?: string | null }): Promise<UnmappedPage> {
    const integration = await this.lookup.require(integrationKey);
    const kind = parseMappingKind(options.kind);
    const limit = clampLimit(options.limit, 25, MAX_PAGE);
    let after: { heldBack: number; value: string } | null = null;
    if (options.after) {
      const [cursorKind, heldBack, value] = decodeCursor(options.after, 'unmapped', 'unmapped values');
      if (cursorKind !== kind || typeof heldBack !== 'number' || typeof value !== 'string') {
        throw new CursorInvalid(`"${options.after}" is not a cursor of the unmapped ${kindWord(kind)} list`);
      }
      after = { heldBack, value };
    }
    const { values, total } = await this.repository.unmappedValues({
      integrationId: integration.id,
      matchSkuCodes: integration.matchSkuCodes,
      kind,
      limit: limit + 1,
      after,
    });
    const page = values.slice(0, limit);
    const last = page.at(-1);
    return {
      integrationKey: integration.key,
      kind,
      values: page,
      total,
      nextCursor: values.length > limit && last ? encodeCursor(['unmapped', kind, last.heldBack, last.value]) : null,
    };
  }

  /**
   * Tether SKUs or channels for a typed text (an `external_select` options request): exact code,
   * code prefix, name prefix, then code / name containing it, case-insensitive; at most 100.
   */
  async searchCatalog(kind: string, query: string, limit = MAX_SEARCH_RESULTS): Promise<CatalogMatch[]> {
    return this.repository.searchCatalog(parseMappingKind(kind), query, clampLimit(limit, MAX_SEARCH_RESULTS, MAX_SEARCH_RESULTS));
  }
}
