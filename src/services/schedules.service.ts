import type pg from 'pg';
import { cronProblem } from '../config/integrations-file.js';
import { HeartbeatsRepository } from '../db/heartbeats.repository.js';
import type { ExecutionsRepository } from '../db/executions.repository.js';
import { Refusal } from '../domain/refusals.js';
import { nextRuns } from '../domain/schedule.js';
import { buildScheduleView, type ScheduleView } from '../scheduler/schedule-view.js';
import type { IntegrationLookup } from './integration-lookup.js';

/** Schedules: what an integration's looks like (last / next sync, stale and why), and previews of a cron. */
export class ScheduleService {
  private readonly heartbeats: HeartbeatsRepository;

  constructor(
    private readonly lookup: IntegrationLookup,
    private readonly executions: ExecutionsRepository,
    pool: pg.Pool,
  ) {
    this.heartbeats = new HeartbeatsRepository(pool);
  }

  async view(integrationKey: string, options: { next: number; now?: Date }): Promise<ScheduleView> {
    const integration = await this.lookup.require(integrationKey);
    return buildScheduleView({ executions: this.executions }, this.heartbeats, integration, { next: options.next, now: options.now ?? new Date() });
  }

  preview(cron: string, timezone: string, options: { from?: string | Date; next: number }): Date[] {
    return previewSchedule(cron, timezone, options);
  }
}

/**
 * The next n instants of a cron in a zone after `from`; a bad cron, zone or instant is refused
 * with the reason. Needs no database, so front ends may call it before the app starts.
 */
export function previewSchedule(cron: string, timezone: string, options: { from?: string | Date; next: number }): Date[] {
  const problem = cronProblem(cron, timezone);
  if (problem) throw new Refusal('invalid_input', `Cannot preview: ${problem}`);
  const from = options.from === undefined ? new Date() : new Date(options.from);
  if (Number.isNaN(from.getTime())) throw new Refusal('invalid_input', `The start must be an ISO-8601 instant like 2026-03-08T00:00:00Z (got "${String(options.from)}")`);
  return nextRuns(cron, timezone, from, options.next);
}
