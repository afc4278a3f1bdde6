import type pg from 'pg';
import type { MappingKind } from '../domain/mappings.js';
import { recordAudit } from './audit-log.js';
import { inTransaction, type Queryable } from './pool.js';

/** The two mapping tables and the catalog table each points at. */
const TABLES = {
  sku: { mapping: 'sku_external_id', target: 'sku', column: 'sku_id' },
  channel: { mapping: 'channel_external_id', target: 'channel', column: 'channel_id' },
} as const;

export interface MappingRow {
  kind: MappingKind;
  externalId: string;
  code: string;
  name: string;
  createdAt: Date;
}

export interface CatalogEntry {
  id: number;
  code: string;
  name: string;
}

/** One mapping to write: the Tether entry it should point at. */
export interface MappingWrite {
  kind: MappingKind;
  externalId: string;
  target: CatalogEntry;
}

export interface MappingWritten extends MappingWrite {
  /** The code it pointed at before, or null when it is new. */
  previousCode: string | null;
  outcome: 'added' | 'changed' | 'unchanged';
}

/** The integration's mappings of one kind in external-id order after `afterExternalId` (keyset on the unique index). */
export async function mappingsAfter(
  db: Queryable,
  integrationId: number,
  kind: MappingKind,
  afterExternalId: string | null,
  limit: number,
): Promise<MappingRow[]> {
  const t = TABLES[kind];
  const { rows } = await db.query<{ external_id: string; code: string; name: string; created_at: Date }>(
    `SELECT m.external_id, c.code, c.name, m.created_at
     FROM ${t.mapping} m JOIN ${t.target} c ON c.id = m.${t.column}
     WHERE m.integration_id = $1 AND ($2::text IS NULL OR m.external_id > $2)
     ORDER BY m.external_id LIMIT $3`,
    [integrationId, afterExternalId, limit],
  );
  return rows.map((row) => ({ kind, externalId: row.external_id, code: row.code, name: row.name, createdAt: row.created_at }));
}

/** The catalog entries (SKUs or channels) with exactly these codes. */
export async function catalogEntries(db: Queryable, kind: MappingKind, codes: string[]): Promise<Map<string, CatalogEntry>> {
  if (!codes.length) return new Map();
  const { rows } = await db.query<CatalogEntry>(`SELECT id, code, name FROM ${TABLES[kind].target} WHERE code = ANY($1::text[])`, [codes]);
  return new Map(rows.map((row) => [row.code, row]));
}

/**
 * Codes close to a mistyped one, for "did you mean": trigram neighbours (the GIN index on
 * lower(code)) plus the codes that start like it. The caller picks the closest by edit distance.
 */
export async function codesLike(db: Queryable, kind: MappingKind, code: string, limit = 20): Promise<string[]> {
  const table = TABLES[kind].target;
  const { rows } = await db.query<{ code: string }>(
    `SELECT code FROM (
       (SELECT code FROM ${table} WHERE lower(code COLLATE "C") % lower($1 COLLATE "C")
        ORDER BY similarity(lower(code COLLATE "C"), lower($1 COLLATE "C")) DESC, code LIMIT $2)
       UNION
       (SELECT code FROM ${table} WHERE lower(code COLLATE "C") LIKE lower($3 COLLATE "C") ORDER BY lower(code COLLATE "C") LIMIT $2)
     ) AS near ORDER BY code COLLATE "C"`,
    [code, limit, `${escapeLike(code.toLowerCase().slice(0, 3))}%`],
  );
  return rows.map((row) => row.code);
}

/** The integration's mapped external ids of one kind that look like a mistyped one (most similar first). */
export async function externalIdsLike(db: Queryable, integrationId: number, kind: MappingKind, externalId: string, limit = 20): Promise<string[]> {
  const { rows } = await db.query<{ external_id: string }>(
    `SELECT external_id FROM ${TABLES[kind].mapping} WHERE integration_id = $1
     ORDER BY similarity(lower(external_id), lower($2)) DESC, external_id COLLATE "C" LIMIT $3`,
    [integrationId, externalId, limit],
  );
  return rows.map((row) => row.external_id);
}

/**
 * Writes the mappings in one transaction — all or nothing — and audits each one that changed
 * (`mappings.added` / `mappings.changed`, with the old and new code). The rows are locked first,
 * so "was X" is what this write replaced even when another person maps the same id at once.
 */
export async function writeMappings(
  pool: pg.Pool,
  integration: { id: number; key: string },
  writes: MappingWrite[],
  actor: string,
): Promise<MappingWritten[]> {
  return inTransaction(pool, async (client) => {
    const previous = new Map<string, string>();
    for (const kind of ['sku', 'channel'] as const) {
      const ids = writes.filter((write) => write.kind === kind).map((write) => write.externalId);
      if (!ids.length) continue;
      const t = TABLES[kind];
      const { rows } = await client.query<{ external_id: string; code: string }>(
        `SELECT m.external_id, c.code FROM ${t.mapping} m JOIN ${t.target} c ON c.id = m.${t.column}
         WHERE m.integration_id = $1 AND m.external_id = ANY($2::text[]) ORDER BY m.external_id FOR UPDATE OF m`,
        [integration.id, ids],
      );
      for (const row of rows) previous.set(`${kind}\u0000${row.external_id}`, row.code);
    }
    const written: MappingWritten[] = writes.map((write) => {
      const previousCode = previous.get(`${write.kind}\u0000${write.externalId}`) ?? null;
      const outcome = previousCode === null ? 'added' : previousCode === write.target.code ? 'unchanged' : 'changed';
      return { ...write, previousCode, outcome };
    });
    for (const kind of ['sku', 'channel'] as const) {
      const changed = written.filter((write) => write.kind === kind && write.outcome !== 'unchanged');
      if (!changed.length) continue;
      const t = TABLES[kind];
      await client.query(
        `INSERT INTO ${t.mapping} (integration_id, external_id, ${t.column}, created_at)
         SELECT $1, x.external_id, x.target_id, now() FROM unnest($2::text[], $3::int[]) AS x(external_id, target_id)
         ON CONFLICT (integration_id, external_id) DO UPDATE SET ${t.column} = excluded.${t.column}`,
        [integration.id, changed.map((write) => write.externalId), changed.map((write) => write.target.id)],
      );
    }
    for (const write of written) {
      if (write.outcome === 'unchanged') continue;
      await recordAudit(client, {
        actor,
        action: write.outcome === 'added' ? 'mappings.added' : 'mappings.changed',
        integrationKey: integration.key,
        details: { kind: write.kind, externalId: write.externalId, code: write.target.code, previousCode: write.previousCode },
      });
    }
    return written;
  });
}

/** Deletes one mapping and audits it (`mappings.removed`); the code it pointed at, or null when there was none. */
export async function deleteMapping(
  pool: pg.Pool,
  integration: { id: number; key: string },
  kind: MappingKind,
  externalId: string,
  actor: string,
): Promise<string | null> {
  const t = TABLES[kind];
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ code: string }>(
      `DELETE FROM ${t.mapping} m USING ${t.target} c
       WHERE m.integration_id = $1 AND m.external_id = $2 AND c.id = m.${t.column} RETURNING c.code`,
      [integration.id, externalId],
    );
    const code = rows[0]?.code ?? null;
    if (code !== null) {
      await recordAudit(client, { actor, action: 'mappings.removed', integrationKey: integration.key, details: { kind, externalId, code } });
    }
    return code;
  });
}

export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
