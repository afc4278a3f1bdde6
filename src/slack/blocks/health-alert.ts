/**
 * Health alerts: ONE message per alert (integration × domain type × problem), edited in place
 * over its life — open (why, the fix, how often, the trends, mute state, buttons for the next
 * step), then resolved (when, after how many runs; no buttons) — and short thread replies when
 * the problem is seen again.
 *
 * Block budget (50 per message): open = header + what/why + fix + seen + trends + attention +
 * mute + actions = at most 8; resolved = header + section + context = 3; follow-up = 2.
 * Buttons: at most 7 (map, retry, view, three mutes) of the 25 an actions block takes.
 */
import { ACTIONS, BLOCKS } from '../ids.js';
import { escapeTruncate, formatDuration, formatNumber, mentionUser, oneLine, plural, slackDate, truncate, truncateMrkdwn } from './escape.js';
import { actions, button, compact, context, header, jsonValue, section } from './kit.js';
import { andMore, capList, LIMITS } from './limits.js';
import { sparkline, SPARKLINE_MAX_POINTS } from './sparkline.js';
import type {
  AlertFollowupInput,
  HealthAlertInput,
  HealthView,
  ItemsModalRequest,
  MuteView,
  OpenMappingValue,
  RetryValue,
  SlackMessage,
} from './types.js';
import { attentionIndicators, domainCode, INDICATOR_LABELS, integrationPlain, integrationText } from './words.js';

/** How loud an open alert is, by its problem: critical stops data, warning holds some back. */
export const ALERT_SEVERITY: Record<'critical' | 'warning', { emoji: string; word: string }> = {
  critical: { emoji: ':rotating_light:', word: 'Critical' },
  warning: { emoji: ':warning:', word: 'Warning' },
};
const CRITICAL_PROBLEMS = new Set(['authentication', 'failing', 'stale']);
export const alertSeverity = (problemKey: string): keyof typeof ALERT_SEVERITY => (CRITICAL_PROBLEMS.has(problemKey) ? 'critical' : 'warning');

export const RESOLVED_BADGE = ':white_check_mark:';

/** Indicators needing attention listed on an alert before "…and N more" (there are five in all). */
const MAX_ATTENTION = 5;

const MAPPING_BUTTONS: Partial<Record<string, { text: string; kind: OpenMappingValue['kind'] }>> = {
  unmapped_skus: { text: 'Map SKUs', kind: 'sku' },
  unmapped_channels: { text: 'Map channels', kind: 'channel' },
};

type Alert = HealthAlertInput['alert'];

/** "Unmapped SKUs · Shopify EU · sales_orders" for plain-text places (headers), each part cut. */
const titlePlain = (alert: Alert, integration: HealthAlertInput['integration']): string =>
  `${truncate(oneLine(alert.title) || alert.problemKey, 60)} · ${integrationPlain(integration, 50)} · ${truncate(oneLine(alert.domainType), 30)}`;

/** "Records fetched  ▅▆▅▆▇▆▅▁  last 0": the label, the sparkline and the newest value. */
function trendLine(label: string, values: number[], last: (value: number) => string): string {
  const line = sparkline(values);
  const newest = values.filter((v) => Number.isFinite(v)).at(-1);
  return `*${label}*  ${line || '—'}${newest === undefined ? '' : `  last ${last(newest)}`}`;
}

function trendsSection(health: HealthView) {
  const { recordsFetched, failed, durationMs } = health.trends;
  const runs = Math.min(Math.max(recordsFetched.length, failed.length, durationMs.length), SPARKLINE_MAX_POINTS);
  if (!runs) return section('*Trends*: no finished runs yet');
  return section(
    [
      `*Last ${plural(runs, 'run')}* (oldest → newest)`,
      trendLine('Records fetched', recordsFetched, formatNumber),
      trendLine('Failed', failed, formatNumber),
      trendLine('Duration', durationMs, formatDuration),
    ].join('\n'),
  );
}

function attentionSection(health: HealthView) {
  const flagged = attentionIndicators(health);
  if (!flagged.length) return null;
  const { shown, hidden } = capList(flagged, MAX_ATTENTION);
  const lines = shown.map(({ key, reason }) => `• *${INDICATOR_LABELS[key]}*: ${escapeTruncate(oneLine(reason), 400)}`);
  if (hidden) lines.push(andMore(hidden));
  return section(`:warning: *Needs attention*\n${lines.join('\n')}`);
}

/** "Muted until <date> by <@U…>", "Muted until resolved by <@U…>". */
export function muteText(mute: MuteView): string {
  const until = mute.untilResolved ? ' until resolved' : mute.until ? ` until ${slackDate(mute.until)}` : '';
  return `:mute: Muted${until} by ${mentionUser(mute.mutedBy)}`;
}

function alertActions(input: HealthAlertInput) {
  const { alert, integration, mute } = input;
  const key = integration.key;
  const mapping = MAPPING_BUTTONS[alert.problemKey];
  const mappingValue = mapping ? jsonValue({ integrationKey: key, kind: mapping.kind } satisfies OpenMappingValue) : null;
  const retryValue = input.retryable > 0 ? jsonValue({ integrationKey: key, domainType: alert.domainType } satisfies RetryValue) : null;
  const itemsValue = alert.lastExecutionId !== null ? jsonValue({ executionId: alert.lastExecutionId, status: 'problems' } satisfies ItemsModalRequest) : null;
  const muteButtons = mute
    ? [button({ text: 'Unmute', actionId: ACTIONS.unmute, value: key })]
    : [
        button({ text: 'Mute 1 h', actionId: ACTIONS.muteHour, value: key }),
        button({ text: 'Mute 24 h', actionId: ACTIONS.muteDay, value: key }),
        button({ text: 'Mute until resolved', actionId: ACTIONS.muteUntilResolved, value: key }),
      ];
  return actions(BLOCKS.alertActions, [
    mapping && mappingValue ? button({ text: mapping.text, actionId: ACTIONS.openMapping, value: mappingValue, style: 'primary' }) : null,
    retryValue ? button({ text: 'Retry failed items', actionId: ACTIONS.retryFailed, value: retryValue, style: mapping ? undefined : 'primary' }) : null,
    itemsValue ? button({ text: 'View failed items', actionId: ACTIONS.openItems, value: itemsValue }) : null,
    ...muteButtons,
  ]);
}

/** One line for notifications and screen readers: state, title, integration, domain type. */
function fallbackText(input: HealthAlertInput): string {
  const { alert, integration } = input;
  const state = alert.resolvedAt
    ? `${RESOLVED_BADGE} Resolved`
    : `${ALERT_SEVERITY[alertSeverity(alert.problemKey)].emoji} Open${input.mute ? ' (muted)' : ''}`;
  return truncateMrkdwn(
    `${state}: ${escapeTruncate(oneLine(alert.title), 200)} — ${escapeTruncate(oneLine(integration.name || integration.key), 200)} ` +
      `(${escapeTruncate(oneLine(alert.domainType), 60)})`,
    LIMITS.messageText,
  );
}

const executionRef = (id: number | null): string | null => (id === null ? null : `last execution #${id}`);

function openBlocks(input: HealthAlertInput) {
  const { alert, integration, health } = input;
  const severity = ALERT_SEVERITY[alertSeverity(alert.problemKey)];
  return compact([
    header(`${severity.emoji} ${titlePlain(alert, integration)}`),
    section(`${integrationText(integration)} · ${domainCode(alert.domainType)}\n${escapeTruncate(oneLine(alert.reason), 1500)}`),
    section(`:bulb: *To fix:* ${escapeTruncate(alert.fix, 1500)}`),
    context(
      [
        `Seen in ${plural(alert.occurrences, 'run')} since ${slackDate(alert.openedAt)} · last ${slackDate(alert.lastSeenAt)}`,
        executionRef(alert.lastExecutionId),
        input.retryable > 0 ? `${plural(input.retryable, 'failed record')} kept for a retry` : null,
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    health ? trendsSection(health) : null,
    health ? attentionSection(health) : null,
    input.mute ? context(muteText(input.mute)) : null,
    alertActions(input),
  ]);
}

function resolvedBlocks(input: HealthAlertInput, resolvedAt: Date) {
  const { alert, integration } = input;
  return compact([
    header(`${RESOLVED_BADGE} Resolved · ${titlePlain(alert, integration)}`),
    section(
      `${integrationText(integration)} · ${domainCode(alert.domainType)}\n` +
        `*Resolved* at ${slackDate(resolvedAt)} after ${plural(alert.occurrences, 'run')}`,
    ),
    context(
      [`Was: ${escapeTruncate(oneLine(alert.reason), 1500)}`, `opened ${slackDate(alert.openedAt)}`, executionRef(alert.lastExecutionId)]
        .filter(Boolean)
        .join(' · '),
    ),
  ]);
}

/**
 * The alert message, for chat.postMessage when it opens and chat.update every time it changes
 * (seen again, muted or unmuted, resolved). Resolved alerts carry no buttons.
 */
export function healthAlertMessage(input: HealthAlertInput): SlackMessage {
  const resolvedAt = input.alert.resolvedAt;
  const blocks = resolvedAt ? resolvedBlocks(input, resolvedAt) : openBlocks(input);
  return { text: fallbackText(input), blocks: blocks.slice(0, LIMITS.messageBlocks) };
}

/** A thread reply under the alert: "Still happening (3×): <reason>", with the run. */
export function alertFollowup(input: AlertFollowupInput): SlackMessage {
  const { alert, integration } = input;
  const times = `${formatNumber(input.occurrence)}×`;
  const reason = escapeTruncate(oneLine(alert.reason), 1500);
  const run = input.executionId === null ? null : `execution #${input.executionId}`;
  const text =
    `Still happening (${times}): ${escapeTruncate(oneLine(alert.title), 200)} in ` +
    `${escapeTruncate(oneLine(integration.name || integration.key), 200)}${run ? `, ${run}` : ''} — ${reason}`;
  return {
    text: truncateMrkdwn(text, LIMITS.messageText),
    blocks: compact([
      section(`:repeat: *Still happening (${times})*: ${reason}`),
      context(`${run ? `Run: ${run} · ` : ''}${integrationText(integration)} · ${domainCode(alert.domainType)}`),
    ]),
  };
}
