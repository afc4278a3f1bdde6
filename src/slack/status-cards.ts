import type { PairHealthReport } from '../services/health.service.js';
import type { PairOverview } from '../services/overview.service.js';
import type { StatusCard } from './blocks/types.js';
import { summarize } from './context.js';
import { toHealthView } from './health-view.js';

/** Cards for `/tether status` and the App Home: the overview, with each pair's health when known. */
export function toStatusCards(pairs: PairOverview[], health: PairHealthReport[] = []): StatusCard[] {
  const byPair = new Map(health.map((report) => [`${report.integration.key}/${report.domainType}`, report]));
  return pairs.map((pair) => {
    const report = byPair.get(`${pair.integration.key}/${pair.domainType}`);
    return {
      integration: summarize(pair.integration),
      domainType: pair.domainType,
      lastExecution: pair.lastExecution,
      schedule: pair.schedule,
      health: report ? toHealthView(report) : null,
    };
  });
}
