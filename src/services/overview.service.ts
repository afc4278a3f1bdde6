import type { Integration } from '../db/entities/index.js';
import type { ExecutionsRepository } from '../db/executions.repository.js';
import type { ScheduleView } from '../scheduler/schedule-view.js';
import type { ExecutionRecord } from '../sync/ports.js';
import type { IntegrationLookup } from './integration-lookup.js';
import type { IntegrationService } from './integrations.service.js';
import type { ScheduleService } from './schedules.service.js';

/** One integration × domain type: its newest run and its schedule. */
export interface PairOverview {
  integration: Integration;
  domainType: string;
  lastExecution: ExecutionRecord | null;
  schedule: ScheduleView | null;
}

/** Where every integration stands (App Home, `/tether status`): newest run per domain type, schedule, stale flag. */
export class OverviewService {
  constructor(
    private readonly lookup: IntegrationLookup,
    private readonly integrations: IntegrationService,
    private readonly executions: ExecutionsRepository,
    private readonly schedules: ScheduleService,
  ) {}

  /**
   * Enabled integrations first, then by key; at most `limit` integrations (the rest are counted in
   * `more`, so a surface can say "…and N more").
   */
  async pairs(options: { integrationKey?: string | null; limit: number; now?: Date }): Promise<{ pairs: PairOverview[]; more: number }> {
    const all = options.integrationKey ? [await this.lookup.require(options.integrationKey)] : await this.integrations.list();
    const sorted = [...all].sort((a, b) => Number(b.enabled) - Number(a.enabled) || a.key.localeCompare(b.key));
    const shown = sorted.slice(0, options.limit);
    const latest = new Map((await this.executions.latestPerPair()).map((execution) => [`${execution.integrationId}/${execution.domainType}`, execution]));
    const pairs: PairOverview[] = [];
    for (const integration of shown) {
      const schedule = integration.cron ? await this.schedules.view(integration.key, { next: 3, now: options.now }) : null;
      for (const domainType of integration.domains) {
        pairs.push({ integration, domainType, lastExecution: latest.get(`${integration.id}/${domainType}`) ?? null, schedule });
      }
    }
    return { pairs, more: sorted.length - shown.length };
  }
}
