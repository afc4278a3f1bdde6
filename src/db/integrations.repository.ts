import type { EntityManager } from '@mikro-orm/postgresql';
import { isDeepStrictEqual } from 'node:util';
import type { IntegrationSpec } from '../config/integrations-file.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { ConnectorRegistry } from '../sync/connectors/connector.js';
import type { IntegrationRuntime } from '../sync/ports.js';
import type { DomainType } from '../domain/domain-types.js';
import { recordAudit } from './audit-log.js';
import { IntegrationSchema, type Integration } from './entities/index.js';
import { InvalidInput } from '../domain/refusals.js';

export interface ApplyResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  disabled: string[];
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

export class IntegrationsRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
  ) {}

  /**
   * Declarative: creates and updates what the file lists, disables what it no longer lists. A dry
   * run works out the same result inside the transaction and rolls it back.
   */
  async apply(specs: IntegrationSpec[], actor: string, options: { dryRun?: boolean } = {}): Promise<ApplyResult> {
    const result: ApplyResult = { created: [], updated: [], unchanged: [], disabled: [] };
    try {
      await this.applyInTransaction(specs, actor, result, options.dryRun === true);
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    return result;
  }

  private async applyInTransaction(specs: IntegrationSpec[], actor: string, result: ApplyResult, dryRun: boolean): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const existing = new Map((await em.find(IntegrationSchema, {})).map((row) => [row.key, row]));
      for (const spec of specs) {
        const row = existing.get(spec.key);
        const columns = specColumns(spec);
        const credentialsSealed = Object.keys(spec.credentials).length ? this.secrets.sealJson(spec.credentials) : null;
        if (!row) {
          em.create(IntegrationSchema, { key: spec.key, ...columns, credentialsSealed });
          result.created.push(spec.key);
          continue;
        }
        const changedFields = Object.entries(columns)
          .filter(([field, value]) => !isDeepStrictEqual(row[field as keyof Integration], value))
          .map(([field]) => field);
        if (!isDeepStrictEqual(this.openCredentials(row), spec.credentials)) changedFields.push('credentials');
        if (!changedFields.length) {
          result.unchanged.push(spec.key);
          continue;
        }
        em.assign(row, { ...columns, credentialsSealed });
        result.updated.push(spec.key);
        // Field names only: credential values never reach the audit log.
        await recordAudit(em, { actor, action: 'integration.updated', integrationKey: spec.key, details: { fields: changedFields } });
      }
      const listed = new Set(specs.map((spec) => spec.key));
      for (const row of existing.values()) {
        if (listed.has(row.key) || !row.enabled) continue;
        row.enabled = false;
        result.disabled.push(row.key);
        await recordAudit(em, { actor, action: 'integration.disabled', integrationKey: row.key, details: { reason: 'not in the applied file' } });
      }
      for (const key of result.created) await recordAudit(em, { actor, action: 'integration.created', integrationKey: key });
      if (dryRun) throw new DryRunRollback();
    });
  }

  async list(): Promise<Integration[]> {
    return this.em.fork().find(IntegrationSchema, {}, { orderBy: { key: 'asc' } });
  }

  async findByKey(key: string): Promise<Integration | null> {
    return this.em.fork().findOne(IntegrationSchema, { key });
  }

  /** What the engine needs to run it; credentials are opened only when the run asks for them. */
  async findRuntime(key: string): Promise<IntegrationRuntime | null> {
    const row = await this.findByKey(key);
    if (!row) return null;
    return {
      id: row.id,
      key: row.key,
      name: row.name,
      connector: row.connector,
      domains: row.domains as DomainType[],
      config: row.config,
      enabled: row.enabled,
      dryRun: row.dryRun,
      matchSkuCodes: row.matchSkuCodes,
      openCredentials: () => this.openCredentials(row),
    };
  }

  private openCredentials(row: Integration): Record<string, string> {
    return row.credentialsSealed ? this.secrets.openJson(row.credentialsSealed) : {};
  }
}
