import { Refusal } from '../../domain/refusals.js';
import type { ClaimedSlackMessage } from '../../services/slack-outbox.service.js';
import type { Services } from '../../services/services.js';
import { PROBLEM_TITLES, type ProblemKey } from '../../domain/health.js';
import { alertFollowup, healthAlertMessage, resetNotice, runMessage, unmappedAlert } from '../blocks/index.js';
import { toHealthView } from '../health-view.js';
import type { SlackMessage } from '../blocks/types.js';
import { summarize } from '../context.js';

/**
 * What an outbox message shows now, read from the database at delivery time (so a delayed
 * delivery shows the latest state, not a stale one). Null when there is nothing left to show.
 */
export async function renderOutboxMessage(services: Services, message: ClaimedSlackMessage): Promise<SlackMessage | null> {
  if (message.kind === 'notice') return renderNotice(message.payload);
  if (message.kind === 'health_alert' || message.kind === 'alert_followup') return renderAlert(services, message);
  if (message.executionId === null) return null;
  try {
    const execution = await services.executions.get(message.executionId);
    const integration = summarize(await services.integrations.get(execution.integrationKey));
    if (message.kind === 'unmapped_alert') return unmappedAlert({ execution, integration });
    const requestedBy = typeof message.payload.requestedBy === 'string' ? message.payload.requestedBy : null;
    const retriedBy = execution.finishedAt ? await services.executions.latestRetryOf(execution.id) : null;
    return runMessage({ execution, integration, requestedBy, retriedBy });
  } catch (error) {
    if (error instanceof Refusal) return null; // the execution or integration is gone
    throw error;
  }
}

/** An alert message (or its thread follow-up) as the alert stands now: open or resolved, muted or not. */
async function renderAlert(services: Services, message: ClaimedSlackMessage): Promise<SlackMessage | null> {
  const alert = await services.alerts.get(Number(message.payload.alertId));
  if (!alert) return null;
  const integration = summarize(await services.integrations.get(alert.integrationKey));
  const view = {
    id: alert.id,
    domainType: alert.domainType,
    problemKey: alert.problemKey,
    title: PROBLEM_TITLES[alert.problemKey as ProblemKey] ?? alert.problemKey,
    category: alert.category,
    reason: alert.reason,
    fix: alert.fix,
    occurrences: alert.occurrences,
    openedAt: alert.openedAt,
    lastSeenAt: alert.lastSeenAt,
    resolvedAt: alert.resolvedAt,
    lastExecutionId: alert.lastExecutionId,
  };
  if (message.kind === 'alert_followup') {
    const executionId = typeof message.payload.executionId === 'number' ? message.payload.executionId : null;
    return alertFollowup({ alert: view, integration, executionId, occurrence: Number(message.payload.occurrence ?? alert.occurrences) });
  }
  const [report, mute, retryable] = await Promise.all([
    alert.resolvedAt ? null : services.alerts.healthOf(alert.integrationKey, alert.domainType),
    services.alerts.muteOf(alert.integrationKey),
    alert.resolvedAt ? new Map<string, number>() : services.alerts.retryable(alert.integrationKey),
  ]);
  return healthAlertMessage({
    alert: view,
    integration,
    health: report ? toHealthView(report) : null,
    mute: mute ? { until: mute.until, untilResolved: mute.untilResolved, mutedBy: mute.mutedBy.replace(/^slack:/, '') } : null,
    retryable: retryable.get(alert.domainType) ?? 0,
  });
}

function renderNotice(payload: Record<string, unknown>): SlackMessage | null {
  if (payload.type !== 'reset') return null;
  const actor = String(payload.slackUser ?? payload.actor ?? 'someone');
  return resetNotice({
    integrationKey: String(payload.integrationKey),
    integrationName: String(payload.integrationName ?? payload.integrationKey),
    domains: Array.isArray(payload.domains) ? payload.domains.map(String) : [],
    actorUserId: actor,
    at: new Date(String(payload.at)),
  });
}
