/**
 * The text of one integration × domain type card, shared by `/tether status` and the App Home.
 */
import { escapeTruncate, oneLine, slackDate } from './escape.js';
import { andMore, capList } from './limits.js';
import { sparkline } from './sparkline.js';
import type { HealthView, StatusCard } from './types.js';
import {
  attentionIndicators,
  countsText,
  describeIssue,
  domainCode,
  DRY_RUN_SHORT,
  EXECUTION_BADGES,
  healthBadge,
  integrationText,
  staleText,
} from './words.js';

const NO_RUN_BADGE = ':white_circle:';

/**
 * The first cards that fit in `max`, cut between integrations rather than inside one (unless a
 * single integration has more cards than fit), and how many integrations were left out whole or
 * in part.
 */
export function capCards(cards: StatusCard[], max: number): { shown: StatusCard[]; hiddenIntegrations: number } {
  let shown = cards.slice(0, Math.max(0, max));
  const next = cards[shown.length];
  if (next) {
    let end = shown.length;
    while (end > 0 && shown[end - 1]!.integration.key === next.integration.key) end -= 1;
    if (end > 0) shown = shown.slice(0, end);
  }
  const hiddenIntegrations = new Set(cards.slice(shown.length).map((card) => card.integration.key)).size;
  return { shown, hiddenIntegrations };
}

/** Reasons of indicators needing attention a card shows before "…and N more". */
export const MAX_CARD_REASONS = 2;

/** "fetched ▅▆▅▆▇▆▅▁ · failed ▁▁▁▂▁▁▁▁ · duration ▃▃▄▃▃▃▃▃"; null when there is no trend yet. */
export function compactTrends(health: HealthView): string | null {
  const parts = [
    ['fetched', health.trends.recordsFetched],
    ['failed', health.trends.failed],
    ['duration', health.trends.durationMs],
  ] as const;
  const shown = parts.map(([label, values]) => [label, sparkline(values)] as const).filter(([, line]) => line);
  return shown.length ? shown.map(([label, line]) => `${label} ${line}`).join(' · ') : null;
}

/** "*Health*: :warning: needs attention — <reason>; <reason>; …and 1 more", then the trends. */
export function healthLines(health: HealthView): string[] {
  const { shown, hidden } = capList(attentionIndicators(health), MAX_CARD_REASONS);
  const reasons = shown.map(({ reason }) => escapeTruncate(oneLine(reason), 200));
  if (hidden) reasons.push(andMore(hidden));
  const trends = compactTrends(health);
  return [`*Health*: ${healthBadge(health.overall)}${reasons.length ? ` — ${reasons.join('; ')}` : ''}`, ...(trends ? [trends] : [])];
}

/** Lines of a card: who and what, the last run, the schedule, the health. */
export function cardLines(card: StatusCard): string[] {
  const { integration, lastExecution: last, schedule } = card;
  const badge = last ? EXECUTION_BADGES[last.status].emoji : NO_RUN_BADGE;
  const markers = [
    integration.enabled ? null : ':zzz: disabled',
    integration.dryRun ? `${DRY_RUN_SHORT} mode` : last?.dryRun ? `last run was a ${DRY_RUN_SHORT}` : null,
  ].filter(Boolean);
  const lines = [`${badge} ${integrationText(integration)} · ${domainCode(card.domainType)}${markers.length ? ` · ${markers.join(' · ')}` : ''}`];

  if (!last) lines.push('Never run yet');
  else if (last.status === 'queued') lines.push(`${EXECUTION_BADGES.queued.word} since ${slackDate(last.queuedAt)}`);
  else {
    const when = last.startedAt ? slackDate(last.startedAt) : '—';
    const word = EXECUTION_BADGES[last.status].word.toLowerCase();
    lines.push(`${last.status === 'running' ? 'Running since' : 'Last run'} ${when} · ${word} · ${countsText(last)}${last.status === 'running' ? ' so far' : ''}`);
  }

  if (!schedule || !schedule.cron) lines.push('No schedule: runs only when asked');
  else {
    const next = schedule.nextRuns[0];
    const words = schedule.description ? escapeTruncate(oneLine(schedule.description), 200) : escapeTruncate(`${schedule.cron} (${schedule.timezone})`, 200);
    lines.push(`${next ? `Next sync ${slackDate(next)}` : 'No next sync'} · ${words}`);
  }

  const assessment = schedule?.assessment;
  if (assessment?.stale) lines.push(staleText(assessment.reasons));
  else if (assessment?.warnings.length) lines.push(`:warning: ${assessment.warnings.map(describeIssue).join('; ')}`);
  if (card.health) lines.push(...healthLines(card.health));
  return lines;
}
