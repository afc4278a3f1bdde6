import type { ExecutionsRepository } from '../db/executions.repository.js';
import type { Integration } from '../db/entities/index.js';
import type { HeartbeatsRepository } from '../db/heartbeats.repository.js';
import { assessSchedule, describeSchedule, nextRuns } from '../domain/schedule.js';

export interface ScheduleView {
  integration: string;
  enabled: boolean;
  cron: string | null;
  timezone: string;
  description: string | null;
  lastSyncAt: string | null;
  nextSyncAt: string | null;
  nextRuns: string[];
  stale: boolean;
  reasons: string[];
}

/** Schedule, last sync, next sync(s) and the stale flag with its reasons, for one integration. */
export async function buildScheduleView(
  app: { executions: ExecutionsRepository },
  heartbeats: HeartbeatsRepository,
  integration: Integration,
  options: { next: number; now: Date },
): Promise<ScheduleView> {
  const activity = await app.executions.recentActivity(integration.id);
  const lastWorkerSeenAt = await heartbeats.lastSeen();
  const upcoming = integration.cron && integration.enabled ? nextRuns(integration.cron, integration.timezone, options.now, Math.max(1, options.next)) : [];
  const assessment = assessSchedule({
    cron: integration.cron ?? null,
    timezone: integration.timezone,
    enabled: integration.enabled,
    lastSyncAt: activity.lastStartedAt,
    scheduledSince: integration.updatedAt,
    recentStatuses: activity.statuses,
    lastWorkerSeenAt,
    now: options.now,
  });
  return {
    integration: integration.key,
    enabled: integration.enabled,
    cron: integration.cron ?? null,
    timezone: integration.timezone,
    description: integration.cron ? describeSchedule(integration.cron, integration.timezone) : null,
    lastSyncAt: activity.lastStartedAt?.toISOString() ?? null,
    nextSyncAt: upcoming[0]?.toISOString() ?? null,
    nextRuns: upcoming.slice(0, options.next).map((date) => date.toISOString()),
    stale: assessment.stale,
    reasons: assessment.reasons,
  };
}
