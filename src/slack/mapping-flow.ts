import type { WebClient } from '@slack/web-api';
import { errorAnswer } from './answers.js';
import { loadingModal, mappingModal } from './blocks/index.js';
import type { MappingModalInput, ModalView } from './blocks/types.js';
import { summarize, type SlackContext } from './context.js';
import { errorModal, showInModal } from './items-flow.js';

/** Unmapped values per page of the mapping modal (fewer when long values would not fit the metadata). */
export const MAPPING_PAGE_SIZE = 15;
const METADATA_BUDGET = 2800;

/** Where the mapping modal is: the integration, the kind, the page's values (to save against), the cursors. */
export interface MappingState {
  integrationKey: string;
  kind: 'sku' | 'channel';
  /** The values shown, in block order (their input blocks: mappingValueBlockIds(values)). */
  values: string[];
  /** Cursors of the pages before the current one (oldest first), and the current page's. */
  previous: (string | null)[];
  after: string | null;
  next: string | null;
}

export const encodeMappingState = (state: MappingState): string =>
  JSON.stringify({ k: state.integrationKey, t: state.kind, v: state.values, p: state.previous, a: state.after, n: state.next });

export function decodeMappingState(metadata: string): MappingState {
  const raw = JSON.parse(metadata) as { k: string; t: 'sku' | 'channel'; v: string[]; p: (string | null)[]; a: string | null; n: string | null };
  return { integrationKey: raw.k, kind: raw.t === 'channel' ? 'channel' : 'sku', values: raw.v ?? [], previous: raw.p ?? [], after: raw.a ?? null, next: raw.n ?? null };
}

/** A page of the mapping modal, read now (values mapped meanwhile have left the list). */
export async function renderMappingModal(
  ctx: SlackContext,
  position: { integrationKey: string; kind: 'sku' | 'channel'; previous: (string | null)[]; after: string | null },
  extra: Pick<MappingModalInput, 'saved' | 'error'> = { saved: null, error: null },
): Promise<ModalView> {
  const { services } = ctx;
  const integration = await services.integrations.get(position.integrationKey);
  const page = await services.catalog.unmappedValues(integration.key, { kind: position.kind, limit: MAPPING_PAGE_SIZE, after: position.after });
  let values = page.values;
  let hasMore = page.nextCursor !== null;
  // Long external ids: show fewer on this page rather than lose the state.
  const state = (shown: typeof values): MappingState => ({ ...position, integrationKey: integration.key, values: shown.map((v) => v.value), next: page.nextCursor });
  while (values.length > 1 && encodeMappingState(state(values)).length > METADATA_BUDGET) {
    values = values.slice(0, -1);
    hasMore = true;
  }
  const retryable = [...(await services.alerts.retryable(integration.key)).values()].reduce((sum, n) => sum + n, 0);
  return mappingModal({
    integration: summarize(integration),
    kind: position.kind,
    values,
    total: page.total,
    page: position.previous.length + 1,
    hasNext: hasMore && page.nextCursor !== null,
    saved: extra.saved,
    retryable,
    error: extra.error,
    metadata: encodeMappingState(state(values)),
  });
}

/** Opens the mapping modal: "Loading…" within the trigger's 3 s, then the first page. */
export async function openMappingModal(ctx: SlackContext, client: WebClient, triggerId: string, integrationKey: string, kind: 'sku' | 'channel'): Promise<void> {
  const opened = await client.views.open({ trigger_id: triggerId, view: loadingModal(kind === 'sku' ? 'Map SKUs' : 'Map channels') });
  await showInModal(ctx, client, { id: opened.view!.id!, hash: opened.view!.hash! }, () => renderMappingModal(ctx, { integrationKey, kind, previous: [], after: null }), 'Mapping');
}

/** The modal shows an error in place of the page (e.g. the integration is gone). */
export const mappingErrorModal = (ctx: SlackContext, error: unknown): ModalView => errorModal('Mapping', errorAnswer(error, ctx.log).text);
