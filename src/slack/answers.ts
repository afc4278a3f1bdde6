import { InvalidInput, Refusal } from '../domain/refusals.js';
import type { Logger } from '../sync/ports.js';
import { errorMessage } from './blocks/index.js';
import type { SlackMessage } from './blocks/types.js';
import type { Subcommand } from './commands/parse.js';
import { slackRefusal, type Rebuild } from './refusals.js';

/** An ephemeral answer to one person (slash command ack / respond). */
export const ephemeral = (message: SlackMessage) => ({ response_type: 'ephemeral' as const, text: message.text, blocks: message.blocks });

/**
 * Any error as an answer a person can act on: refusals and bad input in words with the usage and a
 * suggestion; anything unexpected logged in full and answered without a stack trace.
 */
export function errorAnswer(error: unknown, log: Logger, options: { subcommand?: Subcommand | null; rebuild?: Rebuild } = {}): SlackMessage {
  if (error instanceof Refusal) {
    const refusal = slackRefusal(error, options.subcommand ?? null, options.rebuild);
    return errorMessage(refusal.error, { usage: refusal.usage ?? undefined, suggestion: refusal.suggestion ?? undefined });
  }
  if (error instanceof InvalidInput) return errorMessage(error.message, { usage: options.subcommand ?? undefined });
  const reference = Math.random().toString(36).slice(2, 8);
  log.error({ err: error, reference }, 'slack handler failed');
  return errorMessage(`Something went wrong on our side (reference ${reference}, in the bot's log). Try again; if it keeps happening, tell whoever runs Tether.`);
}
