import { DOMAIN_TYPES, isDomainType, type DomainType } from '../domain/domain-types.js';
import { Refusal } from '../domain/refusals.js';
import { closestMatch } from '../domain/suggest.js';
import type { Integration } from '../db/entities/index.js';
import type { IntegrationsRepository } from '../db/integrations.repository.js';

/** Finds integrations by key and domain types by name, with "did you mean" when mistyped. */
export class IntegrationLookup {
  constructor(private readonly repository: IntegrationsRepository) {}

  async require(key: string): Promise<Integration> {
    const found = await this.repository.findByKey(key);
    if (found) return found;
    const known = (await this.repository.list()).map((row) => row.key);
    const suggestion = closestMatch(key, known);
    throw new Refusal('unknown_integration', `Unknown integration "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, {
      integrationKey: key,
      suggestion,
      known,
    });
  }

  /** Every integration, by key. */
  all(): Promise<Integration[]> {
    return this.repository.list();
  }

  /** The domain types to run: the one asked for (which the integration must sync), or all of them. */
  domainsToRun(integration: Integration, domain?: string | null): DomainType[] {
    const domains = integration.domains as DomainType[];
    if (domain === undefined || domain === null) return domains;
    const asked = parseDomainType(domain);
    if (!domains.includes(asked)) {
      throw new Refusal('unsupported_domain', `Integration "${integration.key}" does not sync ${asked} (it syncs: ${domains.join(', ')})`, {
        integrationKey: integration.key,
        domainType: asked,
        known: domains,
      });
    }
    return [asked];
  }
}

/** A domain type name, or a refusal that lists the known ones and suggests the closest. */
export function parseDomainType(value: string): DomainType {
  if (isDomainType(value)) return value;
  const suggestion = closestMatch(value, DOMAIN_TYPES);
  throw new Refusal(
    'unknown_domain',
    `Unknown domain type "${value}": use one of ${DOMAIN_TYPES.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    { domainType: value, suggestion, known: [...DOMAIN_TYPES] },
  );
}
