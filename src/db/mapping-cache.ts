import type pg from 'pg';
import type { Mappings } from '../sync/ports.js';

type Pairs = Map<string, number>;
interface Tagged<T> {
  /** The mapping version read before this was loaded: current while the version has not moved. */
  version: number;
  value: T;
}

/**
 * Mappings cached in this process: one small query per run (the mapping version, bumped by
 * triggers in the same transaction as any change to the mappings or the SKU catalog; see
 * Migration20261128230000MappingVersion) instead of reading every mapping and the whole SKU
 * catalog. The version is read before the mappings, so what is cached is never older than its
 * tag; a change committed later moves the version and the next run on every worker reloads.
 * Callers must not change the maps they get.
 */
export class MappingCache {
  private readonly byIntegration = new Map<number, Tagged<{ skus: Pairs; channels: Pairs }>>();
  private skuCodes: Tagged<Pairs> | null = null;
  private newestSeen = -1;

  constructor(private readonly pool: pg.Pool) {}

  async load(integrationId: number, withSkuCodes: boolean): Promise<Mappings> {
    const version = await this.currentVersion();
    let own = this.byIntegration.get(integrationId);
    if (own?.version !== version) {
      const [skus, channels] = await Promise.all([
        this.pairs('SELECT external_id AS k, sku_id AS v FROM sku_external_id WHERE integration_id = $1', [integrationId]),
        this.pairs('SELECT external_id AS k, channel_id AS v FROM channel_external_id WHERE integration_id = $1', [integrationId]),
      ]);
      own = { version, value: { skus, channels } };
      this.forgetOlderThan(version);
      this.byIntegration.set(integrationId, own);
    }
    let skuCodes: Pairs | null = null;
    if (withSkuCodes) {
      if (this.skuCodes?.version !== version) this.skuCodes = { version, value: await this.pairs('SELECT code AS k, id AS v FROM sku', []) };
      skuCodes = this.skuCodes.value;
    }
    return { skus: own.value.skus, channels: own.value.channels, skuCodes };
  }

  /** Entries of older versions would only be reloaded: drop them so the memory goes too. */
  private forgetOlderThan(version: number): void {
    if (!(version > this.newestSeen)) return;
    this.newestSeen = version;
    for (const [id, entry] of this.byIntegration) if (entry.version < version) this.byIntegration.delete(id);
  }

  private async currentVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ version: string | number }>('SELECT version FROM mapping_version WHERE id = 1');
    // No row (a database restored without it): never cache.
    return rows[0] ? Number(rows[0].version) : Number.NaN;
  }

  private async pairs(sql: string, params: unknown[]): Promise<Pairs> {
    const { rows } = await this.pool.query<{ k: string; v: number }>(sql, params);
    return new Map(rows.map((row) => [row.k, row.v]));
  }
}
