import type { App, BlockAction, ButtonAction, PlainTextInputAction, StaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ALL_DOMAINS, loadingModal } from '../blocks/index.js';
import type { ItemsModalState } from '../blocks/types.js';
import type { SlackContext } from '../context.js';
import { ACTIONS, BLOCKS, ITEM_STATUS_FILTERS, VIEWS, type ItemStatusFilter } from '../ids.js';
import { decodeBreakdownState, errorModal, openItemsModal, renderBreakdown, renderItemsModal, showInModal } from '../items-flow.js';
import { decodeItemsState, parseOpenItemsValue } from '../items-state.js';

type ViewRef = { id: string; hash: string; private_metadata: string };

/**
 * The items modal: opened from buttons (run summary, alert, App Home), re-queried in place when a
 * filter changes or a page is turned (views.update with the view's hash), and an aggregate item's
 * record breakdown pushed on top (views.push), paged too. Every action is acked first.
 */
export function registerItemsActions(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.openItems, async ({ ack, body, action, client }) => {
    await ack();
    const request = parseOpenItemsValue(action.value);
    if (!request) return;
    const state: ItemsModalState = {
      executionId: request.executionId,
      status: request.status && request.status in ITEM_STATUS_FILTERS ? request.status : 'problems',
      domainType: request.domainType ?? null,
      search: request.search ?? null,
      previous: [],
      after: null,
    };
    // From inside a modal (e.g. the history modal) the items modal goes on top of it.
    await openItemsModal(ctx, client, body.trigger_id, state, body.view !== undefined && body.container?.type === 'view');
  });

  const refilter = (change: (state: ItemsModalState, action: BlockAction['actions'][number]) => ItemsModalState) =>
    async ({ ack, body, action, client }: { ack: () => Promise<void>; body: BlockAction; action: BlockAction['actions'][number]; client: WebClient }) => {
      await ack();
      const view = body.view as ViewRef | undefined;
      if (!view) return;
      const state = change(decodeItemsState(view.private_metadata), action);
      await showInModal(ctx, client, view, () => renderItemsModal(ctx, state), 'Items');
    };

  const firstPage = (state: ItemsModalState): ItemsModalState => ({ ...state, previous: [], after: null });
  app.action<BlockAction<StaticSelectAction>>(ACTIONS.itemsStatus, refilter((state, action) => {
    const value = (action as StaticSelectAction).selected_option?.value as ItemStatusFilter | undefined;
    return firstPage({ ...state, status: value && value in ITEM_STATUS_FILTERS ? value : 'all' });
  }));
  app.action<BlockAction<StaticSelectAction>>(ACTIONS.itemsDomain, refilter((state, action) => {
    const value = (action as StaticSelectAction).selected_option?.value;
    return firstPage({ ...state, domainType: !value || value === ALL_DOMAINS ? null : value });
  }));
  app.action<BlockAction<PlainTextInputAction>>(ACTIONS.itemsSearch, refilter((state, action) => {
    const value = ((action as PlainTextInputAction).value ?? '').trim();
    return firstPage({ ...state, search: value || null });
  }));
  app.action<BlockAction<ButtonAction>>(ACTIONS.itemsNext, refilter((state, action) => ({
    ...state,
    previous: [...state.previous, state.after],
    after: (action as ButtonAction).value ?? null,
  })));
  app.action<BlockAction<ButtonAction>>(ACTIONS.itemsPrevious, refilter((state) => ({
    ...state,
    previous: state.previous.slice(0, -1),
    after: state.previous.at(-1) ?? null,
  })));

  // The modal's "Search" button submits it: same as Enter in the search field, and the modal stays.
  app.view(VIEWS.items, async ({ ack, view, client }) => {
    await ack({ response_action: 'update', view: loadingModal('Items') });
    const typed = view.state.values[BLOCKS.itemsSearch]?.[ACTIONS.itemsSearch]?.value ?? '';
    const state = { ...decodeItemsState(view.private_metadata), search: typed.trim() || null, previous: [], after: null };
    await showInModal(ctx, client, { id: view.id }, () => renderItemsModal(ctx, state), 'Items');
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.itemOpen, async ({ ack, body, action, client }) => {
    await ack();
    const itemId = Number(action.value);
    if (!Number.isSafeInteger(itemId)) return;
    const pushed = await client.views.push({ trigger_id: body.trigger_id, view: errorModal('Records', 'Loading…') });
    await showInModal(ctx, client, { id: pushed.view!.id!, hash: pushed.view!.hash! }, () => renderBreakdown(ctx, itemId, []), 'Records');
  });

  const turnBreakdown = (direction: 1 | -1) => async ({ ack, body, client }: { ack: () => Promise<void>; body: BlockAction; client: WebClient }) => {
    await ack();
    const view = body.view as ViewRef | undefined;
    if (!view) return;
    const state = decodeBreakdownState(view.private_metadata);
    const afterIds = direction === 1 ? (state.next === null ? state.afterIds : [...state.afterIds, state.next]) : state.afterIds.slice(0, -1);
    await showInModal(ctx, client, view, () => renderBreakdown(ctx, state.itemId, afterIds), 'Records');
  };
  app.action<BlockAction<ButtonAction>>(ACTIONS.itemErrorsNext, turnBreakdown(1));
  app.action<BlockAction<ButtonAction>>(ACTIONS.itemErrorsPrevious, turnBreakdown(-1));
}
