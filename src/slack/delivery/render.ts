import { Refusal } from '../../domain/refusals.js';
import type { ClaimedSlackMessage } from '../../services/slack-outbox.service.js';
import type { Services } from '../../services/services.js';
import { resetNotice, runMessage, unmappedAlert } from '../blocks/index.js';
import type { SlackMessage } from '../blocks/types.js';
import { summarize } from '../context.js';

/**
 * What an outbox message shows now, read from the database at delivery time (so a delayed
 * delivery shows the latest state, not a stale one). Null when there is nothing left to show.
 */
export async function renderOutboxMessage(services: Services, message: ClaimedSlackMessage): Promise<SlackMessage | null> {
  if (message.kind === 'notice') return renderNotice(message.payload);
  if (message.executionId === null) return null;
  try {
    const execution = await services.executions.get(message.executionId);
    const integration = summarize(await services.integrations.get(execution.integrationKey));
    if (message.kind === 'unmapped_alert') return unmappedAlert({ execution, integration });
    const requestedBy = typeof message.payload.requestedBy === 'string' ? message.payload.requestedBy : null;
    return runMessage({ execution, integration, requestedBy });
  } catch (error) {
    if (error instanceof Refusal) return null; // the execution or integration is gone
    throw error;
  }
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
