/**
 * The App Home: an overview of every integration × domain type, and the messages Slack refused.
 *
 * Block budget (100 per view): header + "updated" context + delivery problems (divider + one
 * section) + admin hint + "…and N more" = 6 fixed; each card takes 3 (divider, section, actions),
 * so at most 31 cards are shown and the rest are counted.
 */
import type { KnownBlock } from '@slack/types';
import { ACTIONS, SLASH_COMMAND } from '../ids.js';
import { escapeTruncate, oneLine, plural, slackDate } from './escape.js';
import { actions, button, compact, context, divider, header, jsonValue, packLines, section } from './kit.js';
import { andMore, LIMITS } from './limits.js';
import { muteText } from './health-alert.js';
import { moreIntegrations } from './status.js';
import { capCards, cardLines } from './status-card.js';
import type { DeliveryProblem, HomeInput, HomeView, ItemsModalRequest, StatusCard } from './types.js';

const FIXED_BLOCKS = 6;
const BLOCKS_PER_CARD = 3;
/** Cards the Home shows at most. */
export const MAX_HOME_CARDS = Math.floor((LIMITS.viewBlocks - FIXED_BLOCKS) / BLOCKS_PER_CARD);
const MAX_DELIVERY_PROBLEMS = 10;
const MAX_MUTES_SHOWN = 3;

function cardBlocks(card: StatusCard): KnownBlock[] {
  const key = card.integration.key;
  const last = card.lastExecution;
  const keyFits = key.length > 0 && key.length <= LIMITS.buttonValue;
  const failedItems: ItemsModalRequest | null = last && last.failedCount > 0 ? { executionId: last.id, status: 'problems' } : null;
  const failedValue = failedItems ? jsonValue(failedItems) : null;
  // Sync now runs this card's domain type only.
  const syncValue = jsonValue({ integrationKey: key, domainType: card.domainType });
  return compact([
    divider(),
    section(cardLines(card).join('\n')),
    actions(undefined, [
      keyFits && syncValue ? button({ text: card.integration.dryRun ? 'Dry-run now' : 'Sync now', actionId: ACTIONS.homeSync, value: syncValue, style: 'primary' }) : null,
      keyFits ? button({ text: 'History', actionId: ACTIONS.homeHistory, value: key }) : null,
      failedValue ? button({ text: 'Failed items', actionId: ACTIONS.openItems, value: failedValue }) : null,
    ]),
  ]);
}

/** Muted alerts: one line each with its Unmute button (at most a few; the rest counted). */
function muteBlocks(mutes: NonNullable<HomeInput['mutes']>): KnownBlock[] {
  if (!mutes.length) return [];
  const shown = mutes.slice(0, MAX_MUTES_SHOWN);
  return compact([
    divider(),
    ...shown.map((mute) =>
      section(`Alerts of \`${escapeTruncate(oneLine(mute.integrationKey), 80)}\`: ${muteText(mute)}`, {
        accessory: button({ text: 'Unmute', actionId: ACTIONS.unmute, value: mute.integrationKey.slice(0, LIMITS.buttonValue) }),
      }),
    ),
    mutes.length > shown.length ? context(andMore(mutes.length - shown.length, 'muted integrations')) : null,
  ]);
}

function deliveryProblemLine(problem: DeliveryProblem): string {
  return (
    `• ${escapeTruncate(oneLine(problem.channel), 100)}: ${escapeTruncate(oneLine(problem.error), 200)} since ${slackDate(problem.since)}` +
    ` — *fix:* ${escapeTruncate(oneLine(problem.fix), 300)}`
  );
}

export function homeView(input: HomeInput): HomeView {
  const mutes = muteBlocks(input.mutes ?? []);
  const { shown, hiddenIntegrations } = capCards(input.cards, Math.floor((LIMITS.viewBlocks - FIXED_BLOCKS - mutes.length) / BLOCKS_PER_CARD));
  const problems = input.deliveryProblems;
  const integrations = new Set(input.cards.map((card) => card.integration.key)).size;
  const blocks = compact([
    header('Tether Sync'),
    context(
      `Updated ${slackDate(input.generatedAt)} · ${plural(integrations, 'integration')}` +
        (problems.length ? ` · :no_entry: ${plural(problems.length, 'delivery problem')}` : ''),
    ),
    ...(problems.length
      ? [
          divider(),
          ...packLines(problems.slice(0, MAX_DELIVERY_PROBLEMS).map(deliveryProblemLine), {
            maxBlocks: 1,
            heading: ':no_entry: *Delivery problems* — messages Slack refused:',
            moreNoun: 'problems',
            alsoHidden: Math.max(0, problems.length - MAX_DELIVERY_PROBLEMS),
          }),
        ]
      : []),
    ...mutes,
    ...(input.cards.length ? shown.flatMap(cardBlocks) : [divider(), section('No integrations yet — apply an integrations file')]),
    hiddenIntegrations > 0 ? context(moreIntegrations(hiddenIntegrations)) : null,
    input.viewerIsAdmin && input.cards.length
      ? context(`:lock: You are an admin: \`${SLASH_COMMAND} reset &lt;integration&gt;\` empties an integration’s sync state (it asks first).`)
      : null,
  ]);
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
