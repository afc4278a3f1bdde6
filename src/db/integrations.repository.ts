import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { isDeepStrictEqual } from 'node:util';
import type { IntegrationSpec } from '../config/integrations-file.js';
import type { DomainType } from '../domain/domain-types.js';
import { InvalidInput } from '../domain/refusals.js';
import { CredentialsUnreadable } from '../domain/secret-box.js';
import type { ConnectorRegistry } from '../sync/connectors/connector.js';
import type { IntegrationRuntime } from '../sync/ports.js';
import { recordAudit } from './audit-log.js';
import type { Credentials, CredentialVault } from './credential-vault.js';
import { IntegrationSchema, type Integration } from './entities/index.js';
import type { Queryable } from './pool.js';

export interface ApplyResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  disabled: string[];
}

export interface ApplyOptions {
  /**
   * Stored credentials that cannot be opened (lost key, altered value) are overwritten with the
   * file's instead of failing the apply. Off by default: usually the old key is only missing
   * from the configuration, and the credentials can be recovered.
   */
  replaceUnreadableCredentials?: boolean;
  /** Work out the result and roll it back: the plan, nothing written. */
  dryRun?: boolean;
}

export interface RekeyResult {
  /** Id of the key every value is sealed with afterwards. */
  keyId: string;
  /** Integrations whose credentials were sealed again with the current key. */
  resealed: string[];
  /** Integrations already sealed with the current key (nothing to do). */
  alreadyCurrent: string[];
  /** Credentials no known key opens. When any, nothing was changed. */
  unreadable: CredentialsUnreadable[];
}

/** Thrown inside a dry run's transaction so nothing it staged is written. */
class DryRunRollback extends Error {}

export class IntegrationSpecInvalid extends InvalidInput {
  override name = 'IntegrationSpecInvalid';
}

/** Connector-level checks: the connector exists, supports the domains, and accepts the config. */
export function checkSpecsAgainstConnectors(specs: IntegrationSpec[], connectors: ConnectorRegistry): void {
  for (const spec of specs) {
    const definition = connectors.get(spec.connector);
    if (!definition) {
      throw new IntegrationSpecInvalid(`Integration "${spec.key}": unknown connector "${spec.connector}" (known: ${connectors.types().join(', ')})`);
    }
    const unsupported = spec.domains.filter((domain) => !definition.domains.includes(domain));
    if (unsupported.length) {
      throw new IntegrationSpecInvalid(`Integration "${spec.key}": connector "${spec.connector}" cannot sync ${unsupported.join(', ')}`);
    }
    const problems = definition.validate(spec.config, spec.credentials);
    if (problems.length) throw new IntegrationSpecInvalid(`Integration "${spec.key}": ${problems.join('; ')}`);
  }
}

/** The columns a spec decides (credentials compared opened, since sealing is randomised). */
function specColumns(spec: IntegrationSpec) {
  return {
    name: spec.name,
    connector: spec.connector,
    domains: spec.domains,
    config: spec.config,
    cron: spec.schedule?.cron ?? null,
    timezone: spec.schedule?.timezone ?? 'UTC',
    enabled: spec.enabled,
    dryRun: spec.dryRun,
    matchSkuCodes: spec.matchSkuCodes,
    slackChannel: spec.slackChannel,
    notify: spec.notify,
  };
}

/** An integration row as the runtime query selects it: the runtime's fields, credentials still sealed. */
type RuntimeRow = Omit<IntegrationRuntime, 'openCredentials'> & { credentialsSealed?: string | null };

export class IntegrationsRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly vault: CredentialVault,
  ) {}

  /**
   * Declarative: creates and updates what the file lists, disables what it no longer lists. A dry
   * run works out the same result inside the transaction and rolls it back.
   */
  async apply(specs: IntegrationSpec[], actor: string, options: ApplyOptions = {}): Promise<ApplyResult> {
    const result: ApplyResult = { created: [], updated: [], unchanged: [], disabled: [] };
    try {
      await this.applyInTransaction(specs, actor, options, result);
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    return result;
  }

  private async applyInTransaction(specs: IntegrationSpec[], actor: string, options: ApplyOptions, result: ApplyResult): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      let guarded = false;
      const seal = async (key: string, credentials: Credentials) => {
        const sealed = this.vault.seal(key, credentials);
        if (sealed !== null && !guarded) {
          await this.vault.guardSealing(em);
          guarded = true;
        }
        return sealed;
      };
      const existing = new Map((await em.find(IntegrationSchema, {})).map((row) => [row.key, row]));
      for (const spec of specs) {
        const row = existing.get(spec.key);
        const columns = specColumns(spec);
        if (!row) {
          em.create(IntegrationSchema, { key: spec.key, ...columns, credentialsSealed: await seal(spec.key, spec.credentials) });
          result.created.push(spec.key);
          continue;
        }
        const changedFields = Object.entries(columns)
          .filter(([field, value]) => !isDeepStrictEqual(row[field as keyof Integration], value))
          .map(([field]) => field);
        const stored = this.openStored(row, options);
        const credentialsChanged = stored === null || !isDeepStrictEqual(stored, spec.credentials);
        if (credentialsChanged) changedFields.push('credentials');
        if (!changedFields.length) {
          result.unchanged.push(spec.key);
          continue;
        }
        // Unchanged credentials keep their sealed value (re-sealing them is `rekey`'s job).
        em.assign(row, { ...columns, ...(credentialsChanged ? { credentialsSealed: await seal(spec.key, spec.credentials) } : {}) });
        result.updated.push(spec.key);
        // Field names only: credential values never reach the audit log.
        const details = { fields: changedFields, ...(stored === null ? { replacedUnreadableCredentials: true } : {}) };
        await recordAudit(em, { actor, action: 'integration.updated', integrationKey: spec.key, details });
      }
      const listed = new Set(specs.map((spec) => spec.key));
      for (const row of existing.values()) {
        if (listed.has(row.key) || !row.enabled) continue;
        row.enabled = false;
        result.disabled.push(row.key);
        await recordAudit(em, { actor, action: 'integration.disabled', integrationKey: row.key, details: { reason: 'not in the applied file' } });
      }
      for (const key of result.created) await recordAudit(em, { actor, action: 'integration.created', integrationKey: key });
      if (options.dryRun) throw new DryRunRollback();
    });
  }

  async list(): Promise<Integration[]> {
    return this.em.fork().find(IntegrationSchema, {}, { orderBy: { key: 'asc' } });
  }

  async findByKey(key: string): Promise<Integration | null> {
    return this.em.fork().findOne(IntegrationSchema, { key });
  }

  /**
   * What the engine needs to run it (the one integration reader). Credentials are opened only when
   * the run asks for them; a value no known key opens throws `CredentialsUnreadable` then.
   * Plain SQL on `db` (the sync pool) when given: it is read at the start of every run, and the
   * ORM's entity handling cost more than the query.
   */
  async findRuntime(key: string, db?: Queryable): Promise<IntegrationRuntime | null> {
    if (!db) {
      const row = await this.findByKey(key);
      return row ? this.runtime({ ...row, domains: row.domains as DomainType[] }) : null;
    }
    const { rows } = await db.query<RuntimeRow>(
      `SELECT id, key, name, connector, domains, config, enabled, dry_run AS "dryRun", match_sku_codes AS "matchSkuCodes",
              credentials_sealed AS "credentialsSealed"
       FROM integration WHERE key = $1`,
      [key],
    );
    return rows[0] ? this.runtime(rows[0]) : null;
  }

  private runtime(row: RuntimeRow): IntegrationRuntime {
    return {
      id: row.id,
      key: row.key,
      name: row.name,
      connector: row.connector,
      domains: row.domains,
      config: row.config,
      enabled: row.enabled,
      dryRun: row.dryRun,
      matchSkuCodes: row.matchSkuCodes,
      openCredentials: () => this.vault.open(row.key, row.credentialsSealed ?? null),
    };
  }

  /**
   * Seals every integration's credentials again with the current key, in one transaction, and
   * upgrades old-format values. Idempotent. When any cannot be opened with a known key, nothing
   * is changed and they are returned in `unreadable`.
   */
  async rekeyCredentials(actor: string): Promise<RekeyResult> {
    return this.em.fork().transactional(async (em) => {
      const rows = await em.find(
        IntegrationSchema,
        { credentialsSealed: { $ne: null } },
        { orderBy: { key: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const result: RekeyResult = { keyId: this.vault.keyId, resealed: [], alreadyCurrent: [], unreadable: [] };
      const pending: { row: Integration; credentials: Credentials; fromKeyId: string }[] = [];
      for (const row of rows) {
        const sealed = row.credentialsSealed!;
        try {
          // Opened even when current: a value that no longer opens is reported, not skipped.
          const credentials = this.vault.open(row.key, sealed);
          if (this.vault.needsRekey(sealed)) pending.push({ row, credentials, fromKeyId: this.vault.sealedKeyId(sealed) });
          else result.alreadyCurrent.push(row.key);
        } catch (error) {
          if (!(error instanceof CredentialsUnreadable)) throw error;
          result.unreadable.push(error);
        }
      }
      if (result.unreadable.length || !pending.length) return result;
      await this.vault.guardSealing(em);
      for (const { row, credentials } of pending) {
        row.credentialsSealed = this.vault.seal(row.key, credentials);
        result.resealed.push(row.key);
      }
      // Counts and key ids only: never a credential value.
      await recordAudit(em, {
        actor,
        action: 'credentials.rekeyed',
        details: {
          keyId: this.vault.keyId,
          resealed: result.resealed.length,
          alreadyCurrent: result.alreadyCurrent.length,
          fromKeyIds: [...new Set(pending.map((entry) => entry.fromKeyId))].sort(),
        },
      });
      return result;
    });
  }

  /** The stored credentials opened; null when they cannot be and the caller asked to replace them. */
  private openStored(row: Integration, options: ApplyOptions): Credentials | null {
    try {
      return this.vault.open(row.key, row.credentialsSealed ?? null);
    } catch (error) {
      if (options.replaceUnreadableCredentials && error instanceof CredentialsUnreadable) return null;
      throw error;
    }
  }
}
