import { DOMAIN_TYPES, isDomainType, type DomainType } from '../domain/domain-types.js';
import { ITEM_STATUSES, type ItemStatus } from '../domain/statuses.js';
import { didYouMean } from '../domain/suggest.js';
import type { AppServices } from '../app.js';
import type { Integration } from '../db/entities/index.js';
import { UsageError } from './usage-error.js';

export function parseWholeNumber(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return Number(value);
}

export function parseId(what: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${what} must be a positive whole number (got "${value}")`);
  }
  return Number(value);
}

export function parseDomain(value: string): DomainType {
  if (!isDomainType(value)) {
    throw new UsageError(`--domain must be one of ${DOMAIN_TYPES.join(', ')} (got "${value}")${didYouMean(value, DOMAIN_TYPES)}`);
  }
  return value;
}

export function parseStatuses(value: string): ItemStatus[] {
  return value.split(',').map((part) => {
    const status = part.trim();
    if (!(ITEM_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be one or more of ${ITEM_STATUSES.join(', ')}, comma-separated (got "${status}")${didYouMean(status, ITEM_STATUSES)}`);
    }
    return status as ItemStatus;
  });
}

export async function requireIntegration(app: AppServices, key: string): Promise<Integration> {
  const found = await app.integrations.findByKey(key);
  if (found) return found;
  const keys = (await app.integrations.list()).map((row) => row.key);
  const known = keys.length ? ` Known: ${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', …' : ''}.` : ' None is configured yet: run tether integrations apply <file.yml>.';
  throw new UsageError(`Unknown integration "${key}"${didYouMean(key, keys)}.${known}`);
}

export function domainsToRun(integration: Integration, domain: DomainType | undefined): DomainType[] {
  const domains = integration.domains as DomainType[];
  if (!domain) return domains;
  if (!domains.includes(domain)) {
    throw new UsageError(`Integration "${integration.key}" does not sync ${domain} (it syncs: ${domains.join(', ')})`);
  }
  return [domain];
}
