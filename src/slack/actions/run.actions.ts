import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ephemeral, errorAnswer } from '../answers.js';
import { historyMessage } from '../blocks/index.js';
import { slackActor, summarize, type SlackContext } from '../context.js';
import { ACTIONS } from '../ids.js';
import { errorModal } from '../items-flow.js';

interface SyncAgainValue {
  integrationKey: string;
  domainType?: string | null;
  dryRun?: boolean;
}

/** Buttons that queue runs: "Sync again" on a run message, and sync / history on the App Home. */
export function registerRunActions(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.syncAgain, async ({ ack, body, action, respond }) => {
    await ack();
    try {
      const value = JSON.parse(action.value ?? '{}') as SyncAgainValue;
      const channel = body.channel?.id ?? null;
      const queued = await ctx.services.syncs.queue({
        integrationKey: value.integrationKey,
        domainType: value.domainType ?? null,
        dryRun: value.dryRun === true,
        actor: slackActor(body.user.id),
        announce: channel ? { channel, requestedBy: body.user.id } : null,
      });
      await respond({ ...ephemeral({ text: `Queued ${queued.map((run) => `#${run.executionId}`).join(', ')}: its progress is posted here.`, blocks: [] }), replace_original: false });
    } catch (error) {
      await respond({ ...ephemeral(errorAnswer(error, ctx.log)), replace_original: false });
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.homeSync, async ({ ack, body, action, client }) => {
    await ack();
    const userId = body.user.id;
    try {
      const value = JSON.parse(action.value ?? '{}') as { integrationKey?: string; domainType?: string | null };
      const integration = await ctx.services.integrations.get(value.integrationKey ?? '');
      await ctx.services.syncs.queue({
        integrationKey: integration.key,
        domainType: value.domainType ?? null,
        actor: slackActor(userId),
        announce: integration.slackChannel ? { channel: integration.slackChannel, requestedBy: userId } : null,
      });
    } catch (error) {
      // The Home has no thread to answer in: a small modal says what went wrong.
      const answer = errorAnswer(error, ctx.log);
      await client.views.open({ trigger_id: body.trigger_id, view: errorModal('Sync', answer.text) }).catch(() => {});
    }
    await ctx.home.publish(userId).catch((error) => ctx.log.warn({ err: error }, 'App Home publish failed'));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.homeHistory, async ({ ack, body, action, client }) => {
    await ack();
    const opened = await client.views.open({
      trigger_id: body.trigger_id,
      view: { type: 'modal', title: { type: 'plain_text', text: 'History' }, close: { type: 'plain_text', text: 'Close' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Loading…' } }] },
    });
    let blocks;
    try {
      const integration = await ctx.services.integrations.get(action.value ?? '');
      const executions = await ctx.services.executions.list(integration.key, { limit: 10 });
      blocks = historyMessage(summarize(integration), executions).blocks;
    } catch (error) {
      blocks = errorAnswer(error, ctx.log).blocks;
    }
    await client.views.update({
      view_id: opened.view!.id!,
      hash: opened.view!.hash!,
      view: { type: 'modal', title: { type: 'plain_text', text: 'History' }, close: { type: 'plain_text', text: 'Close' }, blocks: blocks.slice(0, 100) },
    });
  });
}
