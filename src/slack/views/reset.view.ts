import type { App } from '@slack/bolt';
import { errorAnswer } from '../answers.js';
import { adminRefusal } from '../blocks/index.js';
import { slackActor, type SlackContext } from '../context.js';
import { VIEWS } from '../ids.js';
import { errorModal } from '../items-flow.js';

/** How long the submission may work before it must ack (Slack waits 3 s for the answer). */
const ANSWER_IN_ACK_MS = 2_000;

/**
 * The reset confirmation's submission: checked again on the server (admins only), done (audited
 * with the Slack user, announced in the integration's channel through the outbox), and the modal
 * says what happened. The result goes in the ack when it is ready in time — a "Resetting…" ack
 * followed by views.update could reach Slack in the other order and leave "Resetting…" shown;
 * only a slow reset acks with "Resetting…" first and updates the view when it is done.
 */
export function registerResetView(app: App, ctx: SlackContext): void {
  app.view(VIEWS.resetConfirm, async ({ ack, body, view, client }) => {
    const outcome = resetOutcome(ctx, body.user.id, view.private_metadata);
    const inTime = await Promise.race([outcome, new Promise<null>((resolve) => setTimeout(() => resolve(null), ANSWER_IN_ACK_MS).unref())]);
    if (inTime !== null) {
      await ack({ response_action: 'update', view: errorModal('Reset sync state', inTime) });
      return;
    }
    await ack({ response_action: 'update', view: errorModal('Reset sync state', 'Resetting…') });
    const text = await outcome;
    await client.views.update({ view_id: view.id, view: errorModal('Reset sync state', text) }).catch((error) => ctx.log.warn({ err: error }, 'reset result view failed'));
  });
}

/** What the person is told: the refusal for a non-admin, the reset done, or why it was refused. */
async function resetOutcome(ctx: SlackContext, userId: string, privateMetadata: string | undefined): Promise<string> {
  const meta = JSON.parse(privateMetadata || '{}') as { key?: string; domain?: string | null; channel?: string | null };
  if (!(await ctx.admins.isAdmin(userId))) {
    return adminRefusal({ admins: ctx.admins.admins, workspaceAdminsAllowed: ctx.admins.workspaceAdmins }).text;
  }
  try {
    const reset = await ctx.services.admin.reset(meta.key ?? '', {
      domainType: meta.domain ?? null,
      actor: slackActor(userId),
      fallbackChannel: meta.channel ?? null,
      slackUser: userId,
    });
    return (
      `:white_check_mark: Reset \`${reset.integrationKey}\` (${reset.domains.join(', ')}): the next sync fetches everything.` +
      (reset.announcedIn ? ` Announced in ${reset.announcedIn}.` : '')
    );
  } catch (error) {
    return errorAnswer(error, ctx.log).text;
  }
}
