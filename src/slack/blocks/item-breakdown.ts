/**
 * The per-record breakdown of an aggregate item (pushed over the items modal).
 *
 * Block budget (100 per view): 4 fixed (item, context, divider, page info) + paging (1) + the
 * record errors packed several to a section (at most 90 sections; a page of 50 needs far fewer).
 */
import type { RecordErrorRow } from '../../db/executions.repository.js';
import { ACTIONS, BLOCKS, VIEWS } from '../ids.js';
import { code, escapeTruncate, formatNumber, oneLine, plural, slackDate } from './escape.js';
import { actions, button, checkMetadata, compact, context, divider, packLines, plainText, section } from './kit.js';
import { LIMITS } from './limits.js';
import type { ItemBreakdownInput, ModalView } from './types.js';
import { AGGREGATE_ITEM_NOUNS, domainCode, itemBadge } from './words.js';

const FIXED_BLOCKS = 5;

const errorLine = (error: RecordErrorRow): string =>
  `• ${code(error.recordRef, 120)} — ${escapeTruncate(oneLine(error.message), 400)}` +
  (error.unmappedSku && !error.message.includes(error.unmappedSku) ? ` (SKU ${code(error.unmappedSku, 100)})` : '');

/**
 * Paging buttons: Next's value is the id of the last record error shown (the keyset cursor of the
 * next page); Previous's value is the number of the page before.
 */
export function itemBreakdownModal(input: ItemBreakdownInput): ModalView {
  checkMetadata(input.metadata);
  const { item, recordErrors } = input;
  const noun = AGGREGATE_ITEM_NOUNS[item.domainType]?.[0] ?? 'item';
  const facts = [
    itemBadge(item.status),
    plural(item.recordCount, 'record'),
    item.carriedOver ? ':recycle: carried over' : null,
  ].filter(Boolean);
  const last = recordErrors.at(-1);
  const errorSections = recordErrors.length
    ? packLines(recordErrors.map(errorLine), { maxBlocks: LIMITS.viewBlocks - FIXED_BLOCKS, moreNoun: 'record errors' })
    : [section(input.page > 1 ? 'No more record errors.' : `:white_check_mark: No record errors in this ${noun}.`)];

  const blocks = compact([
    section(
      `*${code(item.externalId, 200)}*  ${facts.join(' · ')}` +
        (item.errorMessage ? `\n${escapeTruncate(oneLine(item.errorMessage), 1000)}` : ''),
    ),
    context(`${noun[0]!.toUpperCase()}${noun.slice(1)} #${item.id} of execution #${item.executionId} · ${domainCode(item.domainType)} · fetched ${slackDate(item.fetchedAt)}`),
    divider(),
    ...errorSections,
    context(`Page ${formatNumber(input.page)} · ${plural(recordErrors.length, 'record error')}${input.hasNext ? ' · more on the next page' : ''}`),
    actions(BLOCKS.itemErrorsPaging, [
      input.hasPrevious ? button({ text: '← Previous', actionId: ACTIONS.itemErrorsPrevious, value: String(Math.max(1, input.page - 1)) }) : null,
      input.hasNext && last ? button({ text: 'Next →', actionId: ACTIONS.itemErrorsNext, value: String(last.id) }) : null,
    ]),
  ]);

  return {
    type: 'modal',
    callback_id: VIEWS.itemBreakdown,
    title: plainText(item.aggregate ? `${noun[0]!.toUpperCase()}${noun.slice(1)}` : 'Item', LIMITS.modalTitle),
    close: plainText('Back', LIMITS.modalButton),
    private_metadata: input.metadata,
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
}
