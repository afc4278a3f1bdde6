/**
 * One message per run: a live view while it is queued or running (edited as pages commit), the
 * execution summary once it ended.
 */
import { ITEM_ISSUE_HINTS } from '../../domain/sync-errors.js';
import type { ExecutionRecord } from '../../sync/ports.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { escapeMrkdwn, escapeTruncate, formatDuration, formatNumber, isSlackUserId, oneLine, plural, slackDate, truncateMrkdwn } from './escape.js';
import { actions, button, compact, context, header, jsonValue, section } from './kit.js';
import { andMore, LIMITS } from './limits.js';
import type { ItemsModalRequest, RetryValue, RunMessageInput, SlackMessage, SyncAgainValue } from './types.js';
import {
  countsText,
  domainCode,
  DRY_RUN_MARKER,
  EXECUTION_BADGES,
  fetchedText,
  integrationPlain,
  integrationText,
  TRIGGER_WORDS,
} from './words.js';

/** Top errors shown on the summary; the rest are counted ("…and N more"). */
export const SUMMARY_TOP_ERRORS = 5;

const isLive = (e: ExecutionRecord): boolean => e.status === 'queued' || e.status === 'running';

/** Who asked: `<@U…>` for a Slack user id (ours), otherwise the recorded actor as escaped text. */
function whoText(e: ExecutionRecord, requestedBy: string | null | undefined): string | null {
  if (isSlackUserId(requestedBy)) return `<@${requestedBy}>`;
  const actor = requestedBy || e.triggeredBy;
  return actor ? escapeTruncate(oneLine(actor), 80) : null;
}

function startedText(e: ExecutionRecord): string {
  if (e.startedAt) return slackDate(e.startedAt);
  return e.status === 'queued' ? `not yet (queued ${slackDate(e.queuedAt)})` : '—';
}

function fields(e: ExecutionRecord, input: RunMessageInput): string[] {
  const live = isLive(e);
  const who = whoText(e, input.requestedBy);
  const list = [
    `*Integration*\n${integrationText(input.integration)}`,
    `*Domain type*\n${domainCode(e.domainType)}`,
    `*Trigger*\n${TRIGGER_WORDS[e.trigger]}${who ? ` by ${who}` : ''}`,
    `*Started*\n${startedText(e)}`,
  ];
  if (!live) list.push(`*Duration*\n${formatDuration(e.durationMs)}`);
  list.push(`*${live ? 'Fetched so far' : 'Fetched'}*\n${fetchedText(e)}`);
  list.push(`*${live ? 'Items so far' : 'Items'}*\n${countsText(e)}`);
  if (e.carriedOver > 0) {
    list.push(`*Carried over*\n${plural(e.carriedOver, 'problem record')} from earlier runs, processed again`);
  }
  return list;
}

function errorSection(e: ExecutionRecord) {
  if (!e.error) return null;
  const category = e.error.category.replace(/_/g, ' ');
  return section(
    `:x: *Error (${escapeMrkdwn(category)})*: ${escapeTruncate(e.error.message || 'no message', 1500)}\n` +
      `:bulb: ${escapeTruncate(e.error.hint, 1000)}`,
  );
}

function topErrorsSection(e: ExecutionRecord) {
  const top = e.errorAnalysis?.topErrors ?? [];
  if (!top.length) return null;
  const lines = top
    .slice(0, SUMMARY_TOP_ERRORS)
    .map((error) => `• *${formatNumber(error.count)}×* ${escapeTruncate(oneLine(error.message), 300)}`);
  if (top.length > SUMMARY_TOP_ERRORS) lines.push(andMore(top.length - SUMMARY_TOP_ERRORS, 'kinds of error'));
  return section(`*Top errors*\n${lines.join('\n')}`);
}

function unmappedSection(e: ExecutionRecord) {
  const skus = e.errorAnalysis?.unmappedSkus ?? [];
  const channels = e.errorAnalysis?.unmappedChannels ?? [];
  if (!skus.length && !channels.length) return null;
  const lines: string[] = [];
  const occurrences = (list: { count: number }[]) => list.reduce((sum, v) => sum + v.count, 0);
  if (skus.length) {
    lines.push(`:label: *${plural(skus.length, 'unmapped SKU')}* (${plural(occurrences(skus), 'occurrence')}) — ${escapeMrkdwn(ITEM_ISSUE_HINTS.unmapped_sku)}`);
  }
  if (channels.length) {
    lines.push(
      `:label: *${plural(channels.length, 'unmapped channel')}* (${plural(occurrences(channels), 'occurrence')}) — ${escapeMrkdwn(ITEM_ISSUE_HINTS.unmapped_channel)}`,
    );
  }
  return section(lines.join('\n'));
}

function noRecordsSection(e: ExecutionRecord) {
  const completed = e.status === 'success' || e.status === 'partial';
  if (!completed || e.error || e.recordsFetched > 0 || e.carriedOver > 0) return null;
  return section(`:information_source: ${escapeMrkdwn(ITEM_ISSUE_HINTS.no_records)}`);
}

/**
 * Kept problem records a retry would process: only a live run (not a dry run) that was not itself
 * cancelled and failed some records keeps them.
 */
const retryable = (e: ExecutionRecord): boolean => e.failedCount > 0 && !e.dryRun && e.status !== 'cancelled';

/** The summary's buttons (at most 3 of the 25 an actions block takes; values ≤ 2000 chars or left out). */
function runActions(e: ExecutionRecord) {
  const openItems: ItemsModalRequest = { executionId: e.id, status: 'problems' };
  const again: SyncAgainValue = { integrationKey: e.integrationKey, domainType: e.domainType, dryRun: e.dryRun };
  const retry: RetryValue = { integrationKey: e.integrationKey, domainType: e.domainType, executionId: e.id };
  const itemsValue = jsonValue(openItems);
  const againValue = jsonValue(again);
  const retryValue = retryable(e) ? jsonValue(retry) : null;
  return actions(BLOCKS.runActions, [
    e.failedCount > 0 && itemsValue ? button({ text: 'View failed items', actionId: ACTIONS.openItems, value: itemsValue, style: 'primary' }) : null,
    retryValue ? button({ text: 'Retry failed items', actionId: ACTIONS.retryFailed, value: retryValue }) : null,
    againValue ? button({ text: e.dryRun ? 'Dry-run again' : 'Sync again', actionId: ACTIONS.syncAgain, value: againValue }) : null,
  ]);
}

/** One line for notifications and screen readers: status, integration, counts. */
function fallbackText(e: ExecutionRecord, input: RunMessageInput): string {
  const badge = EXECUTION_BADGES[e.status];
  const so = isLive(e) ? ' so far' : '';
  const text =
    `${badge.emoji} ${badge.word}: ${escapeTruncate(oneLine(input.integration.name || e.integrationKey), 200)} ` +
    `${escapeTruncate(e.domainType, 60)} sync #${e.id}${e.dryRun ? ' (DRY RUN — nothing saved)' : ''} — ` +
    `${fetchedText(e)}${so}; ${countsText(e)}${e.error ? `; error: ${escapeTruncate(oneLine(e.error.message), 500)}` : ''}`;
  return truncateMrkdwn(text, LIMITS.messageText);
}

/** The outcome of the retry asked for from this summary ("Retry failed items"). */
function retriedSection(retry: ExecutionRecord) {
  const badge = EXECUTION_BADGES[retry.status];
  const outcome = isLive(retry)
    ? `${badge.emoji} ${badge.word.toLowerCase()}`
    : `${badge.emoji} ${badge.word.toLowerCase()}: ${formatNumber(retry.successCount)} now saved, ${formatNumber(retry.failedCount)} still failing`;
  return context(`:repeat: Failed items retried in execution #${retry.id} — ${outcome}`);
}

export function runMessage(input: RunMessageInput): SlackMessage {
  const e = input.execution;
  const live = isLive(e);
  const badge = EXECUTION_BADGES[e.status];
  const footer = live
    ? `Execution #${e.id} · this message is updated as the run goes`
    : `Execution #${e.id}${e.finishedAt ? ` · finished ${slackDate(e.finishedAt)}` : ''}`;
  const blocks = compact([
    header(`${badge.emoji} ${badge.word} · ${integrationPlain(input.integration)} · ${e.domainType}`),
    e.dryRun ? section(DRY_RUN_MARKER) : null,
    section(null, { fields: fields(e, input) }),
    live ? null : errorSection(e),
    live ? null : noRecordsSection(e),
    live ? null : topErrorsSection(e),
    live ? null : unmappedSection(e),
    input.retriedBy ? retriedSection(input.retriedBy) : null,
    context(footer),
    live ? null : runActions(e),
  ]);
  return { text: fallbackText(e, input), blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
