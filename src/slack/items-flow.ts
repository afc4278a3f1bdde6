import type { WebClient } from '@slack/web-api';
import type { ItemStatus } from '../domain/statuses.js';
import type { DomainType } from '../domain/domain-types.js';
import { errorAnswer } from './answers.js';
import { itemBreakdownModal, itemsModal, loadingModal } from './blocks/index.js';
import type { ItemsModalState, ModalView } from './blocks/types.js';
import { summarize, type SlackContext } from './context.js';
import { encodeItemsState, ITEMS_PAGE_SIZE, RECORD_ERRORS_PAGE_SIZE, statusesOf } from './items-state.js';

/** A modal that only says what went wrong (the person is already looking at a modal). */
export function errorModal(title: string, text: string): ModalView {
  const view = loadingModal(title);
  return { ...view, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** The items modal for a state: the page it points at, rendered. */
export async function renderItemsModal(ctx: SlackContext, state: ItemsModalState): Promise<ModalView> {
  const { services } = ctx;
  const execution = await services.executions.get(state.executionId);
  const integration = await services.integrations.get(execution.integrationKey);
  const page = await services.executions.items(
    state.executionId,
    { statuses: statusesOf(state.status) as ItemStatus[], domainType: (state.domainType ?? undefined) as DomainType | undefined, search: state.search ?? undefined },
    { limit: ITEMS_PAGE_SIZE, after: state.after },
  );
  return itemsModal({ execution, integration: summarize(integration), state, items: page.items, nextCursor: page.nextCursor, purged: page.purged, searchedFraction: page.searchedUpTo?.fraction ?? null, metadata: encodeItemsState(state) });
}

/**
 * Opens the items modal: a "Loading…" view first, within the trigger's 3 seconds, then the page
 * once it is read (views.update with the view's hash, so a newer update is never overwritten).
 */
export async function openItemsModal(ctx: SlackContext, client: WebClient, triggerId: string, state: ItemsModalState, push = false): Promise<void> {
  const loading = loadingModal('Items');
  const opened = push ? await client.views.push({ trigger_id: triggerId, view: loading }) : await client.views.open({ trigger_id: triggerId, view: loading });
  await showInModal(ctx, client, { id: opened.view!.id!, hash: opened.view!.hash! }, () => renderItemsModal(ctx, state), 'Items');
}

/** Replaces a modal's content with `render()`, or with the error if it fails. */
export async function showInModal(
  ctx: SlackContext,
  client: WebClient,
  view: { id: string; hash?: string },
  render: () => Promise<ModalView>,
  title: string,
): Promise<void> {
  let next: ModalView;
  try {
    next = await render();
  } catch (error) {
    next = errorModal(title, errorAnswer(error, ctx.log).text);
  }
  try {
    await client.views.update({ view_id: view.id, hash: view.hash, view: next });
  } catch (error) {
    // A newer update won (the person changed a filter again): this one is stale, drop it.
    if ((error as { data?: { error?: string } }).data?.error === 'hash_conflict') return;
    throw error;
  }
}

/** The per-record breakdown of an aggregate item: the page of its record errors after the last of `afterIds`. */
export async function renderBreakdown(ctx: SlackContext, itemId: number, afterIds: number[]): Promise<ModalView> {
  const detail = await ctx.services.executions.item(itemId, { limit: RECORD_ERRORS_PAGE_SIZE, afterErrorId: afterIds.at(-1) });
  return itemBreakdownModal({
    item: detail.item,
    recordErrors: detail.recordErrors,
    page: afterIds.length + 1,
    hasPrevious: afterIds.length > 0,
    hasNext: detail.nextErrorCursor !== null,
    metadata: encodeBreakdownState({ itemId, afterIds, next: detail.nextErrorCursor }),
  });
}

/** Where the breakdown modal is: the item, the cursors that led to this page, the next page's cursor. */
export interface BreakdownState {
  itemId: number;
  afterIds: number[];
  next: number | null;
}

export function encodeBreakdownState(state: BreakdownState): string {
  // 200 cursors of ≤ 12 digits stay well within private_metadata's 3000 chars.
  return JSON.stringify({ i: state.itemId, a: state.afterIds.slice(-200), x: state.next });
}

export function decodeBreakdownState(metadata: string): BreakdownState {
  const raw = JSON.parse(metadata) as { i: number; a: number[]; x: number | null };
  return { itemId: Number(raw.i), afterIds: Array.isArray(raw.a) ? raw.a.map(Number) : [], next: raw.x ?? null };
}
