import type { Refusal } from '../domain/refusals.js';
import type { Subcommand } from './commands/parse.js';

/** A refusal in the Slack app's words: what is wrong, and the next step as a `/tether` command. */
export interface SlackRefusal {
  error: string;
  usage: Subcommand | null;
  suggestion: string | null;
}

/** A typed word shown back as code. The answer's builder (errorMessage) escapes the whole text for mrkdwn. */
const code = (text: string | null | undefined): string => `\`${String(text ?? '').replace(/`/g, "'")}\``;

/** Writes the command again with the mistyped word replaced by the suggestion. */
export type Rebuild = (mistyped: string, corrected: string) => string;

/** Turns a service refusal into an ephemeral answer, with the corrected command as the suggestion. */
export function slackRefusal(refusal: Refusal, subcommand: Subcommand | null, rebuild?: Rebuild): SlackRefusal {
  const { details } = refusal;
  const mistyped = refusal.code === 'unknown_domain' ? details.domainType : details.integrationKey;
  const suggestion = details.suggestion && rebuild && mistyped ? rebuild(mistyped, details.suggestion) : null;
  switch (refusal.code) {
    case 'unknown_integration': {
      const known = details.known ?? [];
      const list = known.length ? ` Known: ${known.slice(0, 15).map(code).join(', ')}${known.length > 15 ? ', …' : ''}.` : ' None is configured yet.';
      return { error: `Unknown integration ${code(details.integrationKey)}.${list}`, usage: subcommand, suggestion };
    }
    case 'unknown_domain':
      return { error: `Unknown domain type ${code(details.domainType)}: use ${(details.known ?? []).map(code).join(' or ')}.`, usage: subcommand, suggestion };
    case 'unsupported_domain':
      return {
        error: `${code(details.integrationKey)} does not sync ${details.domainType}; it syncs ${(details.known ?? []).map(code).join(', ')}.`,
        usage: subcommand,
        suggestion: null,
      };
    case 'disabled':
      return { error: `${code(details.integrationKey)} is disabled (enabled: false in its integrations file); enable it to sync it.`, usage: null, suggestion: null };
    case 'already_running':
      return { error: `${refusal.message}.`, usage: null, suggestion: details.executionId ? `/tether items ${details.executionId}` : null };
    case 'unknown_execution':
      return { error: `There is no execution #${details.executionId}. Execution ids are on every run message and in \`/tether history <integration>\`.`, usage: subcommand, suggestion: null };
    default:
      return { error: refusal.message, usage: subcommand, suggestion: null };
  }
}
