import type { ExecutionsRepository } from '../db/executions.repository.js';
import type { Integration } from '../db/entities/index.js';
import type { HeartbeatsRepository } from '../db/heartbeats.repository.js';
import { assessSchedule, describeSchedule, nextRuns, type ScheduleAssessment } from '../domain/schedule.js';

/** One integration's schedule as data: front ends choose the words and the time zone to show. */
export interface ScheduleView {
  integration: string;
  enabled: boolean;
  cron: string | null;
  timezone: string;
  description: string | null;
  lastSyncAt: Date | null;
  /** The next runs (empty without a cron or when disabled); the first is the next sync. */
  nextRuns: Date[];
  /** Stale flag, its reasons, warnings and whether a worker is alive. */
  assessment: ScheduleAssessment;
}

/** Schedule, last sync, next sync(s), the stale flag with its reasons and the worker status, for one integration. */
export async function buildScheduleView(
  app: { executions: ExecutionsRepository },
  heartbeats: HeartbeatsRepository,
  integration: Integration,
  options: { next: number; now: Date },
): Promise<ScheduleView> {
  const activity = await app.executions.recentActivity(integration.id);
  const workers = await heartbeats.activity();
  const cron = integration.cron ?? null;
  return {
    integration: integration.key,
    enabled: integration.enabled,
    cron,
    timezone: integration.timezone,
    description: cron ? describeSchedule(cron, integration.timezone) : null,
    lastSyncAt: activity.lastStartedAt,
    nextRuns: cron && integration.enabled ? nextRuns(cron, integration.timezone, options.now, Math.max(1, options.next)) : [],
    assessment: assessSchedule({
      cron,
      timezone: integration.timezone,
      enabled: integration.enabled,
      lastSyncAt: activity.lastStartedAt,
      scheduledSince: integration.updatedAt,
      recentStatuses: activity.statuses,
      workers,
      now: options.now,
    }),
  };
}
