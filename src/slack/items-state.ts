import { ITEM_STATUS_FILTERS, type ItemStatusFilter } from './ids.js';
import type { ItemsModalState } from './blocks/types.js';

/** Items per page in the modal: room for filters, paging and one section per item within 100 blocks. */
export const ITEMS_PAGE_SIZE = 25;
/** Record errors per page in the breakdown modal. */
export const RECORD_ERRORS_PAGE_SIZE = 40;

const METADATA_LIMIT = 3000;

/**
 * The items modal's state in `private_metadata` (3000 chars at most). The cursors of earlier
 * pages are kept for Previous; when they would not fit, the oldest are dropped (Previous then
 * goes back to the first page from there).
 */
export function encodeItemsState(state: ItemsModalState): string {
  let previous = [...state.previous];
  for (;;) {
    const encoded = JSON.stringify({ e: state.executionId, s: state.status, d: state.domainType, q: state.search, p: previous, a: state.after });
    if (encoded.length <= METADATA_LIMIT || previous.length === 0) return encoded.length <= METADATA_LIMIT ? encoded : encodeItemsState({ ...state, search: (state.search ?? '').slice(0, 200), previous: [] });
    previous = previous.slice(Math.max(1, Math.ceil(previous.length / 4)));
    previous[0] = null;
  }
}

export function decodeItemsState(metadata: string): ItemsModalState {
  const raw = JSON.parse(metadata) as { e: number; s: string; d: string | null; q: string | null; p: (string | null)[]; a: string | null };
  const status = (raw.s in ITEM_STATUS_FILTERS ? raw.s : 'all') as ItemStatusFilter;
  return { executionId: Number(raw.e), status, domainType: raw.d ?? null, search: raw.q ?? null, previous: Array.isArray(raw.p) ? raw.p : [], after: raw.a ?? null };
}

/** The statuses a status filter stands for (empty = every status). */
export const statusesOf = (filter: ItemStatusFilter): string[] => [...ITEM_STATUS_FILTERS[filter]];

/** Request carried by buttons that open the items modal. */
export interface OpenItemsRequest {
  executionId: number;
  status?: ItemStatusFilter;
  search?: string | null;
  domainType?: string | null;
}

export function parseOpenItemsValue(value: string | undefined): OpenItemsRequest | null {
  try {
    const parsed = JSON.parse(value ?? '') as OpenItemsRequest;
    return Number.isSafeInteger(parsed.executionId) ? parsed : null;
  } catch {
    return null;
  }
}
