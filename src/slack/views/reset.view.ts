import type { App } from '@slack/bolt';
import { errorAnswer } from '../answers.js';
import { adminRefusal } from '../blocks/index.js';
import { slackActor, type SlackContext } from '../context.js';
import { VIEWS } from '../ids.js';
import { errorModal } from '../items-flow.js';

/**
 * The reset confirmation's submission: acked at once with a "Resetting…" view, checked again on
 * the server (admins only), done (audited with the Slack user, announced in the integration's
 * channel through the outbox), and the modal then says what happened.
 */
export function registerResetView(app: App, ctx: SlackContext): void {
  app.view(VIEWS.resetConfirm, async ({ ack, body, view, client }) => {
    await ack({ response_action: 'update', view: errorModal('Reset sync state', 'Resetting…') });
    const userId = body.user.id;
    const meta = JSON.parse(view.private_metadata || '{}') as { key?: string; domain?: string | null; channel?: string | null };
    let text: string;
    if (!(await ctx.admins.isAdmin(userId))) {
      text = adminRefusal({ admins: ctx.admins.admins, workspaceAdminsAllowed: ctx.admins.workspaceAdmins }).text;
    } else {
      try {
        const reset = await ctx.services.admin.reset(meta.key ?? '', {
          domainType: meta.domain ?? null,
          actor: slackActor(userId),
          fallbackChannel: meta.channel ?? null,
          slackUser: userId,
        });
        text =
          `:white_check_mark: Reset \`${reset.integrationKey}\` (${reset.domains.join(', ')}): the next sync fetches everything.` +
          (reset.announcedIn ? ` Announced in ${reset.announcedIn}.` : '');
      } catch (error) {
        text = errorAnswer(error, ctx.log).text;
      }
    }
    await client.views.update({ view_id: view.id, view: errorModal('Reset sync state', text) }).catch((error) => ctx.log.warn({ err: error }, 'reset result view failed'));
  });
}
