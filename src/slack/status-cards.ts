import type { PairOverview } from '../services/overview.service.js';
import type { StatusCard } from './blocks/types.js';
import { summarize } from './context.js';

export const toStatusCards = (pairs: PairOverview[]): StatusCard[] =>
  pairs.map((pair) => ({
    integration: summarize(pair.integration),
    domainType: pair.domainType,
    lastExecution: pair.lastExecution,
    schedule: pair.schedule,
  }));
