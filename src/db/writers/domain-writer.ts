import type { DomainType } from '../../domain/domain-types.js';
import type { StoredVersion } from '../../sync/ports.js';
import type { Queryable } from '../pool.js';

/** Stores one domain type's rows; idempotent upserts keyed by (integration, external id). */
export interface DomainWriter {
  domainType: DomainType;
  storedVersions(db: Queryable, integrationId: number, externalIds: string[]): Promise<Map<string, StoredVersion>>;
  write(db: Queryable, integrationId: number, rows: unknown[], syncedAt: Date): Promise<number>;
}
