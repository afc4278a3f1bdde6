import type { Agenda } from 'agenda';
import type { Integration } from '../db/entities/index.js';
import type { DomainType } from '../domain/domain-types.js';
import { nextRuns } from '../domain/schedule.js';
import { SYNC_JOB, type SyncJobData } from './sync-job.js';

export interface ReconcileResult {
  /** "key/domain" pairs with a repeating job after the reconcile. */
  scheduled: string[];
  removed: number;
}

/**
 * Makes Agenda's repeating jobs match the integrations: one per enabled integration x domain type
 * with a cron, in its timezone; removed when the integration is disabled, unscheduled or gone.
 * A job whose cron and timezone did not change is left alone, so a run that is due (or overdue
 * while no worker was up) is not pushed to the next instant. New and changed jobs get their next
 * run from our DST-correct nextRuns. Workers read jobs from the database, so a change takes effect
 * without restarting them.
 */
export async function reconcileSchedules(agenda: Agenda, integrations: Integration[]): Promise<ReconcileResult> {
  const wanted = integrations.flatMap((integration) =>
    integration.enabled && integration.cron
      ? (integration.domains as DomainType[]).map((domainType) => ({ integration, domainType }))
      : [],
  );
  const wantedKeys = new Set(wanted.map(({ integration, domainType }) => `${integration.key}/${domainType}`));
  let removed = 0;
  const existing = await agenda.queryJobs({ name: SYNC_JOB, data: { kind: 'schedule' } });
  const current = new Map<string, string>();
  for (const job of existing.jobs) {
    const data = job.data as SyncJobData;
    const key = `${data.integrationKey}/${data.domainType}`;
    if (!wantedKeys.has(key)) {
      removed += await agenda.cancel({ name: SYNC_JOB, data: { integrationKey: data.integrationKey, domainType: data.domainType, kind: 'schedule' } });
    } else if (job.nextRunAt) current.set(key, `${job.repeatInterval} ${job.repeatTimezone}`);
  }
  for (const { integration, domainType } of wanted) {
    if (current.get(`${integration.key}/${domainType}`) === `${integration.cron} ${integration.timezone}`) continue;
    const data: SyncJobData = { integrationKey: integration.key, domainType, kind: 'schedule' };
    const job = agenda
      .create(SYNC_JOB, data)
      .repeatEvery(integration.cron!, { timezone: integration.timezone, skipImmediate: true })
      .unique({ 'data.integrationKey': integration.key, 'data.domainType': domainType, 'data.kind': 'schedule' });
    job.attrs.nextRunAt = nextRuns(integration.cron!, integration.timezone, new Date(), 1)[0]!;
    await job.save();
  }
  return { scheduled: [...wantedKeys].sort(), removed };
}

