/**
 * The unmapped-values alert posted after a run: the unique unmapped SKUs and channels with their
 * counts, most frequent first, the fix, and a button to the affected items.
 */
import { ITEM_ISSUE_HINTS } from '../../domain/sync-errors.js';
import { ACTIONS } from '../ids.js';
import { code, escapeMrkdwn, escapeTruncate, formatNumber, oneLine, plural, slackDate, truncateMrkdwn } from './escape.js';
import { actions, button, compact, context, header, jsonValue, packLines, section } from './kit.js';
import { LIMITS } from './limits.js';
import type { ItemsModalRequest, SlackMessage, SyncAgainValue, UnmappedAlertInput } from './types.js';
import { domainCode, DRY_RUN_SHORT, integrationPlain, integrationText } from './words.js';

/** Values listed per kind before "…and N more" (fewer when they are long). */
export const ALERT_TOP_VALUES = 20;

type Counted = { value: string; count: number };

/** Most frequent first; the analysis is sorted already, this keeps it so whatever the caller passes. */
const byCount = (list: readonly Counted[]): Counted[] => [...list].sort((a, b) => b.count - a.count);

const total = (list: readonly Counted[]): number => list.reduce((sum, v) => sum + v.count, 0);

function valueList(kind: string, list: readonly Counted[], hint: string) {
  if (!list.length) return [];
  const sorted = byCount(list);
  const heading = `*Unmapped ${kind}s* — ${formatNumber(sorted.length)} unique, ${plural(total(sorted), 'occurrence')}`;
  const lines = sorted.slice(0, ALERT_TOP_VALUES).map((v) => `• ${code(v.value, 100)} — ${formatNumber(v.count)}`);
  const [listed] = packLines(lines, {
    maxBlocks: 1,
    maxLineChars: 600,
    heading,
    moreNoun: `${kind}s`,
    alsoHidden: sorted.length - lines.length,
  });
  return compact([listed, context(`:bulb: To fix: ${escapeMrkdwn(hint)}`)]);
}

export function unmappedAlert(input: UnmappedAlertInput): SlackMessage {
  const e = input.execution;
  const skus = e.errorAnalysis?.unmappedSkus ?? [];
  const channels = e.errorAnalysis?.unmappedChannels ?? [];
  const request: ItemsModalRequest = { executionId: e.id, status: 'problems', search: 'Unmapped' };
  const again: SyncAgainValue = { integrationKey: e.integrationKey, domainType: e.domainType, dryRun: e.dryRun };
  const requestValue = jsonValue(request);
  const againValue = jsonValue(again);
  const counts = [skus.length ? plural(skus.length, 'SKU') : null, channels.length ? plural(channels.length, 'channel') : null]
    .filter(Boolean)
    .join(' and ');
  const blocks = compact([
    header(`:label: Unmapped values · ${integrationPlain(input.integration)} · ${e.domainType}`),
    section(
      counts
        ? `Execution #${e.id} of ${integrationText(input.integration)} · ${domainCode(e.domainType)} met ${counts} with no mapping. ` +
            'The records that use them were kept: once they are mapped, the next sync processes them again.'
        : `Execution #${e.id} of ${integrationText(input.integration)} · ${domainCode(e.domainType)} met no unmapped values.`,
    ),
    ...valueList('SKU', skus, ITEM_ISSUE_HINTS.unmapped_sku),
    ...valueList('channel', channels, ITEM_ISSUE_HINTS.unmapped_channel),
    context(`${e.dryRun ? `${DRY_RUN_SHORT} · ` : ''}${e.startedAt ? `run started ${slackDate(e.startedAt)}` : `execution #${e.id}`}`),
    actions(undefined, [
      requestValue ? button({ text: 'View unmapped items', actionId: ACTIONS.openItems, value: requestValue, style: 'primary' }) : null,
      againValue ? button({ text: e.dryRun ? 'Dry-run again' : 'Sync again', actionId: ACTIONS.syncAgain, value: againValue }) : null,
    ]),
  ]);
  const text = truncateMrkdwn(
    `:label: Unmapped values in ${escapeTruncate(oneLine(input.integration.name || e.integrationKey), 200)} ` +
      `(${escapeTruncate(e.domainType, 60)}, execution #${e.id}): ${counts || 'none'}`,
    LIMITS.messageText,
  );
  return { text, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
