/**
 * `/tether status`, `/tether history` and `/tether schedule` answers.
 *
 * Block budgets (50 per message): status = header + context + one section per card (at most 47)
 * + "…and N more"; history = header + context + packed lines (at most 48 sections, in practice
 * one or two); schedule = at most 7.
 */
import type { KnownBlock } from '@slack/types';
import type { ScheduleView } from '../../scheduler/schedule-view.js';
import type { ExecutionRecord } from '../../sync/ports.js';
import { SLASH_COMMAND } from '../ids.js';
import { code, escapeMrkdwn, escapeTruncate, formatDuration, formatNumber, oneLine, plural, slackDate, truncateMrkdwn } from './escape.js';
import { compact, context, header, packLines, section } from './kit.js';
import { andMore, capList, LIMITS } from './limits.js';
import { capCards, cardLines } from './status-card.js';
import type { IntegrationSummary, SlackMessage, StatusCard } from './types.js';
import {
  describeIssue,
  describeWorker,
  domainCode,
  DRY_RUN_SHORT,
  EXECUTION_BADGES,
  integrationPlain,
  integrationText,
  staleText,
  TRIGGER_WORDS,
} from './words.js';

const NO_INTEGRATIONS = 'No integrations yet — apply an integrations file';
const fallback = (text: string): string => truncateMrkdwn(text, LIMITS.messageText);

/** "…and 12 more integrations — use /tether status <integration>". */
export function moreIntegrations(hidden: number): string {
  return `${andMore(hidden, hidden === 1 ? 'integration' : 'integrations')} — use \`${SLASH_COMMAND} status &lt;integration&gt;\``;
}

/** One compact section per integration × domain type, as many as a message holds. */
export function statusMessage(cards: StatusCard[], options: { integrationKey?: string } = {}): SlackMessage {
  const first = cards[0]?.integration;
  const title = options.integrationKey ? `Status · ${first ? integrationPlain(first) : options.integrationKey}` : 'Sync status';
  if (!cards.length) {
    const empty = options.integrationKey ? `No status for ${code(options.integrationKey, 200)} yet.` : NO_INTEGRATIONS;
    return { text: fallback(empty), blocks: [header(title), section(empty)] };
  }
  const fixed = 3; // header, summary context, "…and N more"
  const { shown, hiddenIntegrations } = capCards(cards, LIMITS.messageBlocks - fixed);
  const integrations = new Set(cards.map((card) => card.integration.key)).size;
  const stale = cards.filter((card) => card.schedule?.assessment.stale).length;
  const failing = cards.filter((card) => card.lastExecution?.status === 'failed').length;
  const attention = cards.filter((card) => card.health?.overall === 'attention').length;
  const summary = [
    plural(integrations, 'integration'),
    plural(cards.length, 'domain type'),
    failing ? `:x: ${formatNumber(failing)} last run failed` : null,
    stale ? `:rotating_light: ${formatNumber(stale)} stale` : null,
    attention ? `:warning: ${formatNumber(attention)} need${attention === 1 ? 's' : ''} attention` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const blocks = compact([
    header(title),
    context(summary),
    ...shown.map((card) => section(cardLines(card).join('\n'))),
    hiddenIntegrations > 0 ? context(moreIntegrations(hiddenIntegrations)) : null,
  ]);
  return { text: fallback(`${escapeMrkdwn(title)}: ${summary}`), blocks };
}

function historyLine(e: ExecutionRecord, showDomain: boolean): string {
  const badge = EXECUTION_BADGES[e.status];
  return [
    `${badge.emoji} \`#${e.id}\` ${badge.word.toLowerCase()}`,
    showDomain ? domainCode(e.domainType) : null,
    TRIGGER_WORDS[e.trigger],
    e.startedAt ? slackDate(e.startedAt) : `queued ${slackDate(e.queuedAt)}`,
    formatDuration(e.durationMs),
    `${formatNumber(e.recordsFetched)} fetched${e.carriedOver ? ` + ${formatNumber(e.carriedOver)} carried over` : ''}`,
    `${formatNumber(e.successCount)} / ${formatNumber(e.failedCount)} / ${formatNumber(e.skippedCount)}`,
    e.dryRun ? DRY_RUN_SHORT : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The recent executions of an integration, newest first as given: one line each. */
export function historyMessage(integration: IntegrationSummary, executions: ExecutionRecord[]): SlackMessage {
  const title = `History · ${integrationPlain(integration)}`;
  if (!executions.length) {
    const empty = `No executions of ${integrationText(integration)} yet — \`${SLASH_COMMAND} sync ${escapeTruncate(oneLine(integration.key), 200)}\` runs one.`;
    return { text: fallback(`No executions of ${escapeTruncate(oneLine(integration.name), 200)} yet`), blocks: [header(title), section(empty)] };
  }
  const showDomain = new Set(executions.map((e) => e.domainType)).size > 1 || integration.domains.length > 1;
  const blocks = compact([
    header(title),
    context(`${integrationText(integration)} · newest first · counts are success / failed / skipped · times in your timezone`),
    ...packLines(
      executions.map((e) => historyLine(e, showDomain)),
      { maxBlocks: LIMITS.messageBlocks - 2, maxLineChars: 600, moreNoun: 'executions' },
    ),
  ]);
  const newest = executions[0]!;
  return {
    text: fallback(
      `History of ${escapeTruncate(oneLine(integration.name), 200)}: ${plural(executions.length, 'execution')}, newest #${newest.id} ${newest.status}`,
    ),
    blocks,
  };
}

/** The schedule in words, last / next sync, the next runs, staleness with its reasons, and the workers. */
export function scheduleMessage(integration: IntegrationSummary, view: ScheduleView): SlackMessage {
  const { assessment } = view;
  const title = `Schedule · ${integrationPlain(integration)}`;
  const next = view.nextRuns[0];
  const { shown: nextRuns, hidden: moreRuns } = capList(view.nextRuns.slice(1), 10);
  const fields = view.cron
    ? [
        `*Cron*\n${code(view.cron, 200)}`,
        `*Means*\n${view.description ? escapeTruncate(oneLine(view.description), 500) : '—'}`,
        `*Zone*\n${escapeTruncate(oneLine(view.timezone), 200)}`,
        `*Last sync*\n${view.lastSyncAt ? slackDate(view.lastSyncAt) : 'never'}`,
        `*Next sync*\n${next ? slackDate(next) : view.enabled ? '—' : 'none while disabled'}`,
        `*Workers*\n${describeWorker(assessment.worker)}`,
      ]
    : null;
  const blocks: KnownBlock[] = compact([
    header(title),
    section(
      `${integrationText(integration)}${view.enabled ? '' : ' · :zzz: disabled'}${integration.dryRun ? ` · ${DRY_RUN_SHORT} mode` : ''}` +
        (view.cron ? '' : `\nNo schedule: it runs only when asked (\`${SLASH_COMMAND} sync ${escapeTruncate(oneLine(integration.key), 200)}\`).`),
      fields ? { fields } : {},
    ),
    nextRuns.length
      ? section(`*Next runs*\n${nextRuns.map((run) => `• ${slackDate(run)}`).join('\n')}${moreRuns ? `\n${andMore(moreRuns)}` : ''}`)
      : null,
    assessment.stale ? section(staleText(assessment.reasons)) : null,
    assessment.warnings.length ? section(`:warning: *Warnings*: ${assessment.warnings.map(describeIssue).join('; ')}`) : null,
    view.cron ? null : section(`*Workers*: ${describeWorker(assessment.worker)}`),
    context(`Times are shown in your timezone; the schedule runs in ${escapeMrkdwn(oneLine(view.timezone).slice(0, 100))}.`),
  ]);
  const text =
    `Schedule of ${escapeTruncate(oneLine(integration.name), 200)}: ` +
    (view.cron ? `${escapeTruncate(view.description ?? view.cron, 300)}${assessment.stale ? ' — STALE' : ''}` : 'none (runs only when asked)');
  return { text: fallback(text), blocks };
}
