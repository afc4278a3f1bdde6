import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ephemeral, errorAnswer } from '../answers.js';
import { adminRefusal, errorMessage, helpMessage, historyMessage, resetConfirmModal, scheduleMessage, statusMessage } from '../blocks/index.js';
import { slackActor, summarize, type SlackContext } from '../context.js';
import { SLASH_COMMAND } from '../ids.js';
import { openItemsModal } from '../items-flow.js';
import { toStatusCards } from '../status-cards.js';
import { createWorkLimit } from '../work-limit.js';
import { isParseError, parseCommand, type ParsedCommand } from './parse.js';

interface CommandArgs {
  command: SlashCommand;
  respond: RespondFn;
  client: WebClient;
  ctx: SlackContext;
}

/** At most this many integrations in a `/tether status` answer (the message says how many more). */
const STATUS_LIMIT = 15;
const HISTORY_LIMIT = 10;
/**
 * Answers worked on at once; the rest wait their turn. Acks never wait: a burst of commands is
 * acked at once, and its answers' database reads and Block Kit building come a few at a time, so
 * each event-loop pass stays short and the next requests are read (and acked) in time.
 */
const ANSWERS_AT_ONCE = 4;
/** These open a modal with the command's trigger_id, which Slack honours for 3 s only: never queued. */
const OPENS_MODAL = new Set<ParsedCommand['subcommand']>(['items', 'reset']);

/**
 * `/tether`: acked at once — with the answer itself when it needs no database (help, bad input),
 * empty otherwise — then the work, answered with `respond` (ephemeral) or a modal.
 */
export function registerTetherCommand(app: App, ctx: SlackContext): void {
  const inTurn = createWorkLimit(ANSWERS_AT_ONCE);
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    const parsed = parseCommand(command.text ?? '');
    if (isParseError(parsed)) {
      await ack(ephemeral(errorMessage(parsed.error, { usage: parsed.usage ?? undefined, suggestion: parsed.suggestion ?? undefined })));
      return;
    }
    if (parsed.subcommand === 'help') {
      await ack(ephemeral(helpMessage()));
      return;
    }
    await ack();
    const answer = () => HANDLERS[parsed.subcommand](parsed as never, { command, respond, client, ctx });
    try {
      await (OPENS_MODAL.has(parsed.subcommand) ? answer() : inTurn(answer));
    } catch (error) {
      await respond(ephemeral(errorAnswer(error, ctx.log, { subcommand: parsed.subcommand, rebuild: rebuildWith(command.text) })));
    }
  });
}

/** The command again with the mistyped word replaced, for "did you mean …". */
const rebuildWith = (text: string) => (mistyped: string, corrected: string) => {
  const words = text.trim().split(/\s+/);
  const at = words.findIndex((word, index) => index > 0 && word.toLowerCase() === mistyped.toLowerCase());
  if (at > 0) words[at] = corrected;
  return `${SLASH_COMMAND} ${words.join(' ')}`;
};

type Handler<S extends ParsedCommand['subcommand']> = (parsed: Extract<ParsedCommand, { subcommand: S }>, args: CommandArgs) => Promise<void>;

const HANDLERS: { [S in Exclude<ParsedCommand['subcommand'], 'help'>]: Handler<S> } = {
  async sync(parsed, { command, respond, ctx }) {
    const queued = await ctx.services.syncs.queue({
      integrationKey: parsed.integrationKey,
      domainType: parsed.domainType,
      dryRun: parsed.dryRun,
      actor: slackActor(command.user_id),
      announce: { channel: command.channel_id, requestedBy: command.user_id, responseUrl: command.response_url },
    });
    const runs = queued.map((run) => `#${run.executionId} (${run.domainType})`).join(', ');
    await respond({
      response_type: 'ephemeral',
      text: `Queued ${parsed.dryRun ? 'a dry run' : 'a sync'} of \`${parsed.integrationKey}\`: ${runs}. Its progress is posted in this channel as one message, edited as it goes.`,
    });
  },

  async status(parsed, { respond, ctx }) {
    const [{ pairs, more }, health] = await Promise.all([
      ctx.services.overview.pairs({ integrationKey: parsed.integrationKey, limit: STATUS_LIMIT }),
      ctx.services.health.all({ integrationKey: parsed.integrationKey, limit: STATUS_LIMIT }).then((result) => result.pairs),
    ]);
    const message = statusMessage(toStatusCards(pairs, health), { integrationKey: parsed.integrationKey ?? undefined });
    await respond(ephemeral(withMore(message, more)));
  },

  async history(parsed, { respond, ctx }) {
    const integration = await ctx.services.integrations.get(parsed.integrationKey);
    const executions = await ctx.services.executions.list(parsed.integrationKey, { domainType: parsed.domainType, limit: HISTORY_LIMIT });
    await respond(ephemeral(historyMessage(summarize(integration), executions)));
  },

  async schedule(parsed, { respond, ctx }) {
    const integration = await ctx.services.integrations.get(parsed.integrationKey);
    const view = await ctx.services.schedules.view(parsed.integrationKey, { next: 5 });
    await respond(ephemeral(scheduleMessage(summarize(integration), view)));
  },

  async items(parsed, { command, client, ctx }) {
    await openItemsModal(ctx, client, command.trigger_id, {
      executionId: parsed.executionId,
      status: parsed.status,
      domainType: null,
      search: parsed.search,
      previous: [],
      after: null,
    });
  },

  async reset(parsed, { command, respond, client, ctx }) {
    // Checked on the server, for every reset; the confirmation's submission is checked again.
    if (!(await ctx.admins.isAdmin(command.user_id))) {
      await respond(ephemeral(adminRefusal({ admins: ctx.admins.admins, workspaceAdminsAllowed: ctx.admins.workspaceAdmins })));
      return;
    }
    const integration = await ctx.services.integrations.get(parsed.integrationKey);
    const domains = ctx.services.integrations.lookup.domainsToRun(integration, parsed.domainType);
    await client.views.open({
      trigger_id: command.trigger_id,
      view: resetConfirmModal({
        integrationKey: integration.key,
        integrationName: integration.name,
        domains,
        metadata: JSON.stringify({ key: integration.key, domain: parsed.domainType, channel: command.channel_id }),
      }),
    });
  },
};

/** A status answer that could not show every integration says how many more there are. */
function withMore<T extends { text: string; blocks: unknown[] }>(message: T, more: number): T {
  if (!more) return message;
  return {
    ...message,
    blocks: [...message.blocks, { type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${more} more integration${more === 1 ? '' : 's'}: ask for one with \`/tether status <integration>\`` }] }],
  };
}
