import { DOMAIN_TYPES, type DomainType } from '../domain/domain-types.js';
import { Refusal } from '../domain/refusals.js';
import { ITEM_STATUSES, type ItemStatus } from '../domain/statuses.js';
import { didYouMean } from '../domain/suggest.js';
import { parseDomainType } from '../services/integration-lookup.js';
import { UsageError } from './usage-error.js';

export function parseWholeNumber(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return Number(value);
}

/** Ids are PostgreSQL integers or bigints; anything past this is no id of ours. */
const MAX_ID = 2_147_483_647;

export function parseId(what: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_ID) {
    throw new UsageError(`${what} must be a positive whole number, at most ${MAX_ID} (got "${value}")`);
  }
  return Number(value);
}

export function parseDomain(value: string): DomainType {
  try {
    return parseDomainType(value);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    throw new UsageError(`--domain must be one of ${DOMAIN_TYPES.join(', ')} (got "${value}")${didYouMean(value, DOMAIN_TYPES)}`);
  }
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
