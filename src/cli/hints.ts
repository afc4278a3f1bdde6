import type { Refusal } from '../domain/refusals.js';
import type { ItemIssue } from '../domain/sync-errors.js';
import { ITEM_ISSUE_HINTS } from '../domain/sync-errors.js';

/** The CLI's words for a refusal: the service's message plus the next step, as a command. */
export function refusalText(refusal: Refusal): string {
  const { details } = refusal;
  switch (refusal.code) {
    case 'unknown_integration': {
      const known = details.known ?? [];
      if (!known.length) return `${refusal.message}. None is configured yet: run tether integrations apply <file.yml>.`;
      return `${refusal.message}. Known: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}.`;
    }
    case 'disabled':
      return `${refusal.message}: set enabled: true for it in the integrations file and run tether integrations apply <file.yml>`;
    case 'already_running':
      return details.executionId
        ? `${refusal.message} (to stop it: tether cancel ${details.executionId} --by <you>)`
        : refusal.message;
    case 'unknown_code':
      return details.problems && details.problems.length > 1
        ? refusal.message
        : `${refusal.message}; to add it to Tether: tether ${details.kind === 'channel' ? 'channels' : 'skus'} import <file.csv>`;
    case 'unknown_mapping':
      return `${refusal.message} (to see them: tether mappings list ${details.integrationKey ?? '<integration>'} --kind ${details.kind ?? 'sku'})`;
    default:
      return refusal.message;
  }
}

/** How to act on an item-level problem from the terminal. */
export function itemIssueHint(issue: ItemIssue): string {
  switch (issue) {
    case 'unmapped_sku':
    case 'unmapped_channel':
      return `${ITEM_ISSUE_HINTS[issue]} (most blocking first: tether mappings unmapped <integration>; map one: tether mappings add <integration> ${issue === 'unmapped_sku' ? 'sku' : 'channel'} <external_id> <code>, many: tether mappings import <file.csv>; then tether sync <integration>)`;
    default:
      return ITEM_ISSUE_HINTS[issue];
  }
}

/** A run that failed because its credentials do not open: what to do, as commands. */
export const CREDENTIALS_WAY_OUT =
  'To fix: set TETHER_PREVIOUS_KEYS to the key they were sealed with and run tether credentials rekey; if that key is lost, re-enter them with tether integrations apply <file> --replace-unreadable-credentials.';
