/**
 * `/tether help`, the usage line of each subcommand, and the ephemeral error answer.
 */
import { SLASH_COMMAND } from '../ids.js';
import { escapeMrkdwn, escapeTruncate, oneLine, truncateMrkdwn } from './escape.js';
import { compact, context, header, section } from './kit.js';
import { LIMITS } from './limits.js';
import type { SlackMessage } from './types.js';

export interface SubcommandHelp {
  /** Arguments after the subcommand name, as typed: `<required> [optional]`. */
  args: string;
  description: string;
  example: string;
  adminOnly: boolean;
}

/** Every `/tether` subcommand, in the order help lists them. */
export const SUBCOMMANDS = {
  help: { args: '', description: 'Show these commands.', example: 'help', adminOnly: false },
  sync: {
    args: '<integration> [domain] [dry-run]',
    description: 'Queue a sync now; the run is posted as one message, edited as it goes, in the channel where you asked.',
    example: 'sync shopify-eu sales_orders dry-run',
    adminOnly: false,
  },
  status: {
    args: '[integration]',
    description: 'Last run, next sync and health of every integration, or of one.',
    example: 'status shopify-eu',
    adminOnly: false,
  },
  history: {
    args: '<integration> [domain]',
    description: 'The recent executions of an integration.',
    example: 'history shopify-eu warehouse_inventory',
    adminOnly: false,
  },
  items: {
    args: '<execution-id> [status] [search text]',
    description: 'Browse the items of an execution, filtered by status and text.',
    example: 'items 1234 failed Unmapped SKU',
    adminOnly: false,
  },
  reset: {
    args: '<integration> [domain]',
    description: 'Empty the sync state so the next run fetches everything (admins only; asks first).',
    example: 'reset shopify-eu sales_orders',
    adminOnly: true,
  },
  schedule: {
    args: '<integration>',
    description: 'The schedule in words, the next runs, and whether it is stale.',
    example: 'schedule shopify-eu',
    adminOnly: false,
  },
} as const satisfies Record<string, SubcommandHelp>;

export type Subcommand = keyof typeof SUBCOMMANDS;
export const SUBCOMMAND_NAMES = Object.keys(SUBCOMMANDS) as Subcommand[];

export const isSubcommand = (value: string): value is Subcommand => Object.hasOwn(SUBCOMMANDS, value);

/** "/tether sync <integration> [domain] [dry-run]" — plain text (escape it for mrkdwn). */
export function usageLine(subcommand: Subcommand): string {
  const { args } = SUBCOMMANDS[subcommand];
  return `${SLASH_COMMAND} ${subcommand}${args ? ` ${args}` : ''}`;
}

export function helpMessage(): SlackMessage {
  const blocks = compact([
    header(`${SLASH_COMMAND} commands`),
    ...SUBCOMMAND_NAMES.map((name) => {
      const help: SubcommandHelp = SUBCOMMANDS[name];
      return section(
        `*\`${escapeMrkdwn(usageLine(name))}\`*${help.adminOnly ? '  :lock: _admins_' : ''}\n` +
          `${escapeMrkdwn(help.description)}\n` +
          `Example: \`${escapeMrkdwn(`${SLASH_COMMAND} ${help.example}`)}\``,
      );
    }),
    context(
      '`&lt;…&gt;` is required, `[…]` optional. Run results, alerts and resets are posted in the integration’s channel; the App Home shows every integration at a glance.',
    ),
  ]);
  return { text: `${SLASH_COMMAND} commands: ${SUBCOMMAND_NAMES.join(', ')}`, blocks };
}

export interface ErrorMessageOptions {
  /** A subcommand (its usage line is shown) or a usage line from usageLine(). */
  usage?: Subcommand | string | null;
  /** "Did you mean …": one value or several (integration keys, subcommands, domain types). */
  suggestion?: string | string[] | null;
}

/**
 * An ephemeral error answer: what was wrong, the usage line, and "did you mean …". Every part is
 * treated as external text (it may quote what the person typed) and escaped.
 */
export function errorMessage(text: string, options: ErrorMessageOptions = {}): SlackMessage {
  const usage = options.usage ? (isSubcommand(options.usage) ? usageLine(options.usage) : options.usage) : null;
  const suggestions = (Array.isArray(options.suggestion) ? options.suggestion : options.suggestion ? [options.suggestion] : [])
    .filter((s) => s.trim())
    .slice(0, 5);
  const didYouMean = suggestions.length
    ? `Did you mean ${suggestions.map((s) => `\`${escapeTruncate(oneLine(s), 200)}\``).join(' or ')}?`
    : null;
  const main = `:warning: ${escapeTruncate(text, 2000)}`;
  const blocks = compact([
    section(main),
    didYouMean ? section(didYouMean) : null,
    usage ? context(`Usage: \`${escapeTruncate(oneLine(usage), 500)}\` · \`${SLASH_COMMAND} help\` lists every command`) : null,
  ]);
  const fallback = [escapeMrkdwn(oneLine(text)), didYouMean, usage ? `Usage: ${escapeMrkdwn(oneLine(usage))}` : null].filter(Boolean).join(' · ');
  return { text: truncateMrkdwn(fallback, LIMITS.messageText), blocks };
}
