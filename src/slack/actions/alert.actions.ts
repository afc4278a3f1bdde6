import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { MuteSpan } from '../../services/alerts.service.js';
import { ephemeral, errorAnswer } from '../answers.js';
import { truncate } from '../blocks/index.js';
import type { OpenMappingValue, RetryValue } from '../blocks/types.js';
import { slackActor, type SlackContext } from '../context.js';
import { ACTIONS, mappingValueBlockIds, VIEWS } from '../ids.js';
import { errorModal, showInModal } from '../items-flow.js';
import { decodeMappingState, openMappingModal, renderMappingModal } from '../mapping-flow.js';

const parse = <T>(value: string | undefined): T | null => {
  try {
    return JSON.parse(value ?? '') as T;
  } catch {
    return null;
  }
};

/**
 * Fix from Slack: "Map SKUs / channels" (modal with a searchable Tether SKU / channel per unmapped
 * value, saved all or nothing and audited), "Retry failed items", and the alert mutes.
 */
export function registerAlertActions(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.openMapping, async ({ ack, body, action, client }) => {
    await ack();
    const value = parse<OpenMappingValue>(action.value);
    if (!value) return;
    await openMappingModal(ctx, client, body.trigger_id, value.integrationKey, value.kind === 'channel' ? 'channel' : 'sku');
  });

  // The searchable select: Tether SKUs / channels matching what was typed (fast over 100,000).
  app.options(ACTIONS.mappingTarget, async ({ ack, body }) => {
    const view = (body as { view?: { private_metadata?: string } }).view;
    const kind = view?.private_metadata ? decodeMappingState(view.private_metadata).kind : 'sku';
    const matches = await ctx.services.catalog.searchCatalog(kind, body.value ?? '', 100).catch(() => []);
    await ack({
      options: matches
        .filter((match) => match.code.length <= 150)
        .map((match) => ({ text: { type: 'plain_text' as const, text: truncate(`${match.code} · ${match.name}`, 75) }, value: match.code })),
    });
  });

  const turn = (direction: 1 | -1) => async ({ ack, body, client }: { ack: () => Promise<void>; body: BlockAction; client: WebClient }) => {
    await ack();
    const view = body.view as { id: string; hash: string; private_metadata: string } | undefined;
    if (!view) return;
    const state = decodeMappingState(view.private_metadata);
    const position =
      direction === 1
        ? { integrationKey: state.integrationKey, kind: state.kind, previous: [...state.previous, state.after], after: state.next }
        : { integrationKey: state.integrationKey, kind: state.kind, previous: state.previous.slice(0, -1), after: state.previous.at(-1) ?? null };
    await showInModal(ctx, client, view, () => renderMappingModal(ctx, position), 'Mapping');
  };
  app.action<BlockAction<ButtonAction>>(ACTIONS.mappingNext, turn(1));
  app.action<BlockAction<ButtonAction>>(ACTIONS.mappingPrevious, turn(-1));

  // Save: every value given a Tether SKU / channel on this page, all or nothing, audited; the modal
  // then shows what was saved, the values still unmapped, and "Retry failed items".
  app.view(VIEWS.mapping, async ({ ack, body, view, client }) => {
    const state = decodeMappingState(view.private_metadata);
    const blockIds = mappingValueBlockIds(state.values);
    const entries = state.values.flatMap((externalId, index) => {
      const code = view.state.values[blockIds[index]!]?.[ACTIONS.mappingTarget]?.selected_option?.value;
      return code ? [{ kind: state.kind, externalId, code }] : [];
    });
    if (!entries.length) {
      await ack({ response_action: 'errors', errors: { [blockIds[0] ?? '']: 'Pick a Tether SKU or channel for at least one value, then Save.' } });
      return;
    }
    await ack({ response_action: 'update', view: errorModal('Mapping', 'Saving…') });
    const position = { integrationKey: state.integrationKey, kind: state.kind, previous: state.previous, after: state.after };
    await showInModal(
      ctx,
      client,
      { id: view.id },
      async () => {
        try {
          const changes = await ctx.services.catalog.addMappings(state.integrationKey, entries, slackActor(body.user.id));
          return renderMappingModal(ctx, position, { saved: changes.map((c) => ({ externalId: c.externalId, code: c.code, outcome: c.outcome })), error: null });
        } catch (error) {
          return renderMappingModal(ctx, position, { saved: null, error: errorAnswer(error, ctx.log).text });
        }
      },
      'Mapping',
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.retryFailed, async ({ ack, body, action, client, respond }) => {
    await ack();
    const value = parse<RetryValue>(action.value);
    if (!value) return;
    let text: string;
    try {
      const integration = await ctx.services.integrations.get(value.integrationKey);
      const channel = body.channel?.id ?? integration.slackChannel ?? null;
      const { queued } = await ctx.services.syncs.retry({
        integrationKey: integration.key,
        domainType: value.domainType ?? null,
        actor: slackActor(body.user.id),
        announce: channel ? { channel, requestedBy: body.user.id, retryOf: value.executionId ?? null } : null,
      });
      text = `:repeat: Retrying the failed items of \`${integration.key}\`: ${queued.map((run) => `#${run.executionId} (${run.domainType})`).join(', ')}.${channel ? ' The run is posted in the channel.' : ''}`;
    } catch (error) {
      text = errorAnswer(error, ctx.log).text;
    }
    if (body.container?.type === 'view' && body.view) {
      const view = body.view;
      const { blocks } = view;
      await client.views
        .update({ view_id: view.id, view: { type: 'modal', callback_id: view.callback_id, title: view.title, close: view.close ?? undefined, submit: view.submit ?? undefined, private_metadata: view.private_metadata, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, ...blocks.slice(0, 99)] } as never })
        .catch((error) => ctx.log.warn({ err: error }, 'could not show the retry in the modal'));
    } else {
      await respond({ ...ephemeral({ text, blocks: [] }), replace_original: false });
    }
  });

  const mute = (span: MuteSpan | null) => async ({ ack, body, action, respond }: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction; respond: (message: object) => Promise<unknown> }) => {
    await ack();
    const integrationKey = action.value ?? '';
    let text: string;
    try {
      if (span === null) {
        await ctx.services.alerts.unmute(integrationKey, slackActor(body.user.id));
        text = `:bell: Alerts of \`${integrationKey}\` are on again.`;
      } else {
        const muted = await ctx.services.alerts.mute(integrationKey, span, slackActor(body.user.id));
        text = muted.untilResolved
          ? `:no_bell: Alerts of \`${integrationKey}\` are muted until they are resolved. Unmute on the alert or the App Home.`
          : `:no_bell: Alerts of \`${integrationKey}\` are muted until <!date^${Math.floor(muted.until!.getTime() / 1000)}^{date_short_pretty} {time}|${muted.until!.toISOString()}>. Unmute on the alert or the App Home.`;
      }
    } catch (error) {
      text = errorAnswer(error, ctx.log).text;
    }
    if (body.response_url) await respond({ ...ephemeral({ text, blocks: [] }), replace_original: false });
    await ctx.home.publish(body.user.id).catch(() => {});
  };
  app.action<BlockAction<ButtonAction>>(ACTIONS.muteHour, mute('1h'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.muteDay, mute('24h'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.muteUntilResolved, mute('until_resolved'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.unmute, mute(null));
}
