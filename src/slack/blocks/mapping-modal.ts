/**
 * The "Map SKUs" / "Map channels" modal: a page of unmapped external values, most blocking first,
 * each with a searchable Tether SKU / channel select; what the last save did, with a Retry button;
 * paging without saving.
 *
 * Block budget (a view holds 100): 7 fixed blocks (error, intro, page info, saved, retry, divider,
 * paging) + one input block per value + one "not shown" line if a caller ever passes more values
 * than fit = at most 100. A page of 20 values takes at most 27 blocks.
 */
import { ACTIONS, mappingValueBlockIds, VIEWS } from '../ids.js';
import { code, escapeTruncate, formatDecimal, formatNumber, oneLine, plural, truncate } from './escape.js';
import { actions, button, checkMetadata, compact, context, divider, externalSelect, input, jsonValue, plainText, section } from './kit.js';
import { andMore, capList, LIMITS } from './limits.js';
import type { MappingModalInput, ModalView, RetryValue, UnmappedValueView } from './types.js';
import { integrationText } from './words.js';

const FIXED_BLOCKS = 7;
/** Values one modal shows at most (the handler's page size should not exceed it; 20 is comfortable). */
export const MAX_MAPPING_VALUES = LIMITS.viewBlocks - FIXED_BLOCKS - 1;

/** Input labels are the external values: cut short, they are read at a glance. */
export const MAPPING_LABEL_CHARS = 150;
/** Currencies listed in a value's hint before "+N more currencies". */
export const MAPPING_HINT_CURRENCIES = 3;
/** Saved mappings listed before "…and N more". */
export const MAPPING_SAVED_SHOWN = 10;

const NOUNS = {
  sku: { one: 'SKU', many: 'SKUs', title: 'Map SKUs', placeholder: 'Search Tether SKUs' },
  channel: { one: 'channel', many: 'channels', title: 'Map channels', placeholder: 'Search Tether channels' },
} as const;

const OUTCOME_WORDS: Record<NonNullable<MappingModalInput['saved']>[number]['outcome'], string> = {
  added: 'new',
  changed: 'changed',
  unchanged: 'unchanged',
};

/**
 * What a value holds back, in plain text (a hint is shown literally: never escaped):
 * "12 orders · 30 units · USD 1,234.50 · EUR 99.00 · 3 inventory rows". Amounts keep their
 * decimals exactly as given; currencies past the first three are counted.
 */
export function heldBackText(value: UnmappedValueView): string {
  const { shown, hidden } = capList(value.orderValue, MAPPING_HINT_CURRENCIES);
  const parts = [
    value.orders > 0 ? plural(value.orders, 'order') : null,
    value.units > 0 ? plural(value.units, 'unit') : null,
    ...shown.map(({ currency, amount }) => `${truncate(oneLine(currency), 12)} ${formatDecimal(amount)}`),
    hidden > 0 ? `+${formatNumber(hidden)} more ${hidden === 1 ? 'currency' : 'currencies'}` : null,
    value.inventoryRows > 0 ? plural(value.inventoryRows, 'inventory row') : null,
  ].filter((part): part is string => !!part);
  if (!parts.length) return `Holds back ${plural(value.heldBack, 'record')}`;
  return `Holds back ${parts.join(' · ')}`;
}

function savedBlocks(input: MappingModalInput) {
  const saved = input.saved;
  if (!saved) return [];
  const noun = NOUNS[input.kind];
  if (!saved.length) return [section(`:information_source: Nothing saved: no value had a Tether ${noun.one} chosen.`)];
  const { shown, hidden } = capList(saved, MAPPING_SAVED_SHOWN);
  const list = shown.map((m) => `${code(m.externalId, 80)} → ${code(m.code, 80)} (${OUTCOME_WORDS[m.outcome]})`);
  if (hidden) list.push(andMore(hidden));
  const retryValue = input.retryable > 0 ? jsonValue({ integrationKey: input.integration.key } satisfies RetryValue) : null;
  const retry = retryValue ? button({ text: 'Retry failed items', actionId: ACTIONS.retryFailed, value: retryValue, style: 'primary' }) : null;
  return compact([
    section(`:white_check_mark: Saved ${plural(saved.length, 'mapping')}: ${list.join(', ')}`),
    input.retryable > 0
      ? section(
          `:recycle: ${plural(input.retryable, 'failed record')} ${input.retryable === 1 ? 'is' : 'are'} kept and will be processed again with the new mappings` +
            (retry ? ': retry now, or the next sync will.' : ' by the next sync.'),
          { accessory: retry },
        )
      : null,
  ]);
}

function emptyText(input: MappingModalInput): string {
  const noun = NOUNS[input.kind];
  if (input.total > 0) return `:white_check_mark: No unmapped ${noun.many} on this page — see the previous values.`;
  return `:white_check_mark: Nothing left to map: no kept record names an unmapped ${noun.one}.`;
}

/**
 * A page of unmapped values. `private_metadata` is `input.metadata` as given (throws over 3000).
 * "Save" submits the view (view_submission, callback_id VIEWS.mapping); each value's choice is in
 * `state.values[mappingValueBlockIds(values)[index]][ACTIONS.mappingTarget].selected_option`. Paging buttons (block actions, no save):
 * their values are the page numbers they go to.
 */
export function mappingModal(modal: MappingModalInput): ModalView {
  checkMetadata(modal.metadata);
  const noun = NOUNS[modal.kind];
  const shown = modal.values.slice(0, MAX_MAPPING_VALUES);
  const blockIds = mappingValueBlockIds(shown.map((value) => value.value));
  const hidden = modal.values.length - shown.length;
  const total = Math.max(modal.total, modal.values.length);
  const page = Math.max(1, Math.floor(modal.page));

  const blocks = compact([
    modal.error ? section(`:x: ${escapeTruncate(modal.error, 2000)}`) : null,
    section(
      `${integrationText(modal.integration)} · ${plural(total, `unmapped ${noun.one}`, `unmapped ${noun.many}`)} ` +
        `${total === 1 ? 'holds' : 'hold'} back records; most blocking first.`,
    ),
    context(
      `Page ${formatNumber(page)} · ${plural(shown.length, noun.one, noun.many)} here of ${formatNumber(total)}` +
        (page > 1 || modal.hasNext ? ' · *Save* keeps the choices on this page; the page buttons do not' : ''),
    ),
    ...savedBlocks(modal),
    divider(),
    ...(shown.length
      ? shown.map((value, index) =>
          input({
            blockId: blockIds[index]!,
            label: oneLine(value.value),
            labelMax: MAPPING_LABEL_CHARS,
            optional: true,
            hint: heldBackText(value),
            element: externalSelect({ actionId: ACTIONS.mappingTarget, placeholder: noun.placeholder, minQueryLength: 1 }),
          }),
        )
      : [section(emptyText(modal))]),
    hidden > 0 ? context(`${andMore(hidden, noun.many)} on this page are not shown`) : null,
    actions(undefined, [
      page > 1 ? button({ text: 'Previous values', actionId: ACTIONS.mappingPrevious, value: String(page - 1) }) : null,
      modal.hasNext ? button({ text: 'Next values', actionId: ACTIONS.mappingNext, value: String(page + 1) }) : null,
    ]),
  ]);

  const view: ModalView = {
    type: 'modal',
    callback_id: VIEWS.mapping,
    title: plainText(noun.title, LIMITS.modalTitle),
    close: plainText('Close', LIMITS.modalButton),
    private_metadata: modal.metadata,
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
  // Nothing to choose, nothing to save: no Save button.
  if (shown.length) view.submit = plainText('Save', LIMITS.modalButton);
  return view;
}
