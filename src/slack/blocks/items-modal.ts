/**
 * The items modal: filters (status, domain type, search), one section per item, paging.
 *
 * Block budget (a view holds 100): 6 fixed blocks (context, filters, search, divider, page info,
 * paging) + one section per item (a page is 50) + one "not shown" line if a caller ever passes
 * more items than fit = at most 100.
 */
import type { InputBlock, KnownBlock } from '@slack/types';
import type { ItemRow, ItemsPurge } from '../../db/executions.repository.js';
import { ACTIONS, BLOCKS, VIEWS } from '../ids.js';
import { code, escapeTruncate, formatNumber, oneLine, plural, slackDate, truncate } from './escape.js';
import { actions, button, checkMetadata, compact, context, divider, option, plainText, section, staticSelect } from './kit.js';
import { andMore, LIMITS } from './limits.js';
import type { ItemsModalInput, ModalView } from './types.js';
import { domainCode, DRY_RUN_SHORT, executionBadge, ITEM_FILTER_LABELS, ITEM_FILTERS, itemBadge, integrationText } from './words.js';

/** Value of the "All domain types" option of the domain filter. */
export const ALL_DOMAINS = '*';

const FIXED_BLOCKS = 6;
/** Items one modal shows at most (the handler's page size should not exceed it). */
export const MAX_ITEMS_PER_MODAL = LIMITS.viewBlocks - FIXED_BLOCKS - 1;

/** Longest search text the field accepts: keeps the state in private_metadata small. */
export const SEARCH_MAX_CHARS = 500;

const ITEM_ID_CHARS = 150;
const ITEM_ERROR_CHARS = 600;

/** "12 %" (never 100 % while there is more to search). */
const searchedPercent = (fraction: number): string => `${Math.min(99, Math.max(1, Math.floor(fraction * 100)))} %`;

/** A modal shown at once (a trigger_id lives 3 s) and updated when the data is ready. */
export function loadingModal(title: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.loading,
    title: plainText(title, LIMITS.modalTitle),
    close: plainText('Close', LIMITS.modalButton),
    blocks: [section(':hourglass_flowing_sand: Loading…')],
  };
}

function itemSection(item: ItemRow, showDomain: boolean): KnownBlock {
  const facts = [
    itemBadge(item.status),
    showDomain ? domainCode(item.domainType) : null,
    item.aggregate ? plural(item.recordCount, 'record') : null,
    `fetched ${slackDate(item.fetchedAt)}`,
    item.carriedOver ? ':recycle: carried over' : null,
  ].filter(Boolean);
  const error = item.errorMessage ? `\n${escapeTruncate(oneLine(item.errorMessage), ITEM_ERROR_CHARS)}` : '';
  const records = item.aggregate ? button({ text: 'Records', actionId: ACTIONS.itemOpen, value: String(item.id) }) : null;
  return section(`*${code(item.externalId, ITEM_ID_CHARS)}*  ${facts.join(' · ')}${error}`, { accessory: records });
}

/** Retention deleted the items; the execution's counts and error analysis are still there. */
function purgedSection(purged: ItemsPurge): KnownBlock {
  return section(
    `:wastebasket: Items of this execution were purged after ${plural(purged.afterDays, 'day')} (${slackDate(purged.at)}). ` +
      'Its counts and error analysis are kept.',
  );
}

function searchInput(search: string | null): InputBlock {
  const element: InputBlock['element'] = {
    type: 'plain_text_input',
    action_id: ACTIONS.itemsSearch,
    placeholder: plainText('External id or error text, then Enter', LIMITS.placeholder),
    max_length: SEARCH_MAX_CHARS,
    dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
  };
  if (search) element.initial_value = truncate(search, SEARCH_MAX_CHARS);
  return {
    type: 'input',
    block_id: BLOCKS.itemsSearch,
    dispatch_action: true,
    optional: true,
    label: plainText('Search', LIMITS.inputLabel),
    element,
  };
}

/**
 * The items of one page. `private_metadata` is `input.metadata` as given. The view has an input
 * block (search), so Slack requires a submit button: "Search" submits the view (view_submission
 * with callback_id VIEWS.items), Enter in the field sends a block action (ACTIONS.itemsSearch).
 * Paging buttons: Next's value is the next cursor; Previous's value is "previous" (the earlier
 * cursors travel in the state).
 */
export function itemsModal(input: ItemsModalInput): ModalView {
  checkMetadata(input.metadata);
  const { execution: e, integration, state } = input;
  const domains = [...new Set([...integration.domains, ...(state.domainType ? [state.domainType] : [])])];
  const showDomain = state.domainType === null && domains.length > 1;
  const page = state.previous.length + 1;
  const shown = input.items.slice(0, MAX_ITEMS_PER_MODAL);
  const hidden = input.items.length - shown.length;
  // A search over every item stopped at its scan limit: say how far it got, Next continues it.
  const searching = input.searchedFraction != null && input.nextCursor !== null;

  const blocks = compact([
    context(
      `${integrationText(integration)} · ${domainCode(e.domainType)} · execution #${e.id} · ${executionBadge(e.status)}` +
        `${e.startedAt ? ` · started ${slackDate(e.startedAt)}` : ''}${e.dryRun ? ` · ${DRY_RUN_SHORT}` : ''}`,
    ),
    actions(BLOCKS.itemsFilters, [
      staticSelect({
        actionId: ACTIONS.itemsStatus,
        placeholder: 'Status',
        options: ITEM_FILTERS.map((filter) => option(ITEM_FILTER_LABELS[filter], filter)),
        initialValue: state.status,
      }),
      staticSelect({
        actionId: ACTIONS.itemsDomain,
        placeholder: 'Domain type',
        options: [option('All domain types', ALL_DOMAINS), ...domains.map((domain) => option(domain, domain))],
        initialValue: state.domainType ?? ALL_DOMAINS,
      }),
    ]),
    searchInput(state.search),
    divider(),
    ...(input.purged
      ? [purgedSection(input.purged)]
      : shown.length
        ? shown.map((item) => itemSection(item, showDomain))
        : [section(searching ? `:mag: No matches so far${state.search ? ` for ${code(state.search, 200)}` : ''}.` : `:mag: No items match these filters${state.search ? ` (search ${code(state.search, 200)})` : ''}.`)]),
    hidden > 0 ? context(`${andMore(hidden, 'items')} on this page are not shown`) : null,
    context(
      searching
        ? `Page ${formatNumber(page)} · ${plural(input.items.length, 'match', 'matches')} · searched ${searchedPercent(input.searchedFraction!)} of this execution's items so far: *Continue search* looks further, or refine the search`
        : `Page ${formatNumber(page)} · ${plural(input.items.length, 'item')}${input.nextCursor ? ' · more on the next page' : ''}`,
    ),
    actions(BLOCKS.itemsPaging, [
      state.previous.length > 0 ? button({ text: '← Previous', actionId: ACTIONS.itemsPrevious, value: 'previous' }) : null,
      input.nextCursor ? button({ text: searching ? 'Continue search →' : 'Next →', actionId: ACTIONS.itemsNext, value: input.nextCursor }) : null,
    ]),
  ]);

  return {
    type: 'modal',
    callback_id: VIEWS.items,
    title: plainText(`Items of #${e.id}`, LIMITS.modalTitle),
    submit: plainText('Search', LIMITS.modalButton),
    close: plainText('Close', LIMITS.modalButton),
    private_metadata: input.metadata,
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
}
