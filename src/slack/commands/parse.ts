import { closestMatch } from '../../domain/suggest.js';
import { DOMAIN_TYPES } from '../../domain/domain-types.js';
import { ITEM_STATUS_FILTERS, type ItemStatusFilter } from '../ids.js';

import { SUBCOMMAND_NAMES, type Subcommand } from '../blocks/help.js';

export type { Subcommand };

/** What `/tether …` asked for, checked for shape only (no database): unknown names are the services' to refuse. */
export type ParsedCommand =
  | { subcommand: 'help' }
  | { subcommand: 'sync'; integrationKey: string; domainType: string | null; dryRun: boolean }
  | { subcommand: 'status'; integrationKey: string | null }
  | { subcommand: 'history'; integrationKey: string; domainType: string | null }
  | { subcommand: 'items'; executionId: number; status: ItemStatusFilter; search: string | null }
  | { subcommand: 'reset'; integrationKey: string; domainType: string | null }
  | { subcommand: 'schedule'; integrationKey: string };

/** A command that cannot be understood: what was wrong, the usage line to show, and a suggestion. */
export interface ParseError {
  error: string;
  usage: Subcommand | null;
  suggestion: string | null;
}

/** Splits command text into words; "quoted text" stays one word. Slack sends curly quotes too. */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  const pattern = /["“”]([^"“”]*)["“”]|(\S+)/g;
  for (const match of text.trim().matchAll(pattern)) words.push(match[1] ?? match[2]!);
  return words;
}

const DRY_RUN_WORDS = ['dry-run', 'dryrun', '--dry-run', 'dry_run'];

export function parseCommand(text: string): ParsedCommand | ParseError {
  const [word, ...args] = tokenize(text);
  if (!word || word === 'help' || word === '-h' || word === '--help') return { subcommand: 'help' };
  const subcommand = word.toLowerCase();
  if (!(SUBCOMMAND_NAMES as readonly string[]).includes(subcommand)) {
    const suggestion = closestMatch(subcommand, SUBCOMMAND_NAMES);
    return { error: `Unknown subcommand \`${word}\`.`, usage: null, suggestion: suggestion ? `/tether ${suggestion}` : null };
  }
  const fail = (error: string, suggestion: string | null = null): ParseError => ({ error, usage: subcommand as Subcommand, suggestion });
  const tooMany = (max: number) => (args.length > max ? fail(`Too many arguments: \`${args.slice(max).join(' ')}\` is not understood.`) : null);
  switch (subcommand as Subcommand) {
    case 'help':
      return { subcommand: 'help' };
    case 'sync': {
      const [integrationKey, ...rest] = args;
      if (!integrationKey) return fail('Which integration? Give its key.');
      let dryRun = false;
      let domainType: string | null = null;
      for (const arg of rest) {
        if (DRY_RUN_WORDS.includes(arg.toLowerCase())) dryRun = true;
        else if (domainType === null) domainType = arg;
        else return fail(`Too many arguments: \`${arg}\` is not understood.`);
      }
      return { subcommand: 'sync', integrationKey, domainType, dryRun };
    }
    case 'status':
      return tooMany(1) ?? { subcommand: 'status', integrationKey: args[0] ?? null };
    case 'history':
      if (!args[0]) return fail('Which integration? Give its key.');
      return tooMany(2) ?? { subcommand: 'history', integrationKey: args[0], domainType: args[1] ?? null };
    case 'schedule':
      if (!args[0]) return fail('Which integration? Give its key.');
      return tooMany(1) ?? { subcommand: 'schedule', integrationKey: args[0] };
    case 'reset':
      if (!args[0]) return fail('Which integration? Give its key.');
      return tooMany(2) ?? { subcommand: 'reset', integrationKey: args[0], domainType: args[1] ?? null };
    case 'items': {
      const [id, maybeStatus, ...rest] = args;
      if (!id) return fail('Which execution? Give its id (it is on every run message).');
      const executionId = /^#?\d+$/.test(id) ? Number(id.replace('#', '')) : Number.NaN;
      if (!Number.isSafeInteger(executionId) || executionId < 1 || executionId > 2_147_483_647) {
        return fail(`\`${id}\` is not an execution id (a positive whole number).`);
      }
      let status: ItemStatusFilter = 'all';
      let searchWords = rest;
      if (maybeStatus !== undefined) {
        const normalized = maybeStatus.toLowerCase();
        if (normalized in ITEM_STATUS_FILTERS) status = normalized as ItemStatusFilter;
        else if (normalized === 'failures' || normalized === 'problem') status = 'problems';
        else {
          // A near miss of a status is a typo, not a search.
          const near = closestMatch(normalized, Object.keys(ITEM_STATUS_FILTERS));
          if (near && near.length > 3) return fail(`Unknown status \`${maybeStatus}\`.`, `/tether items ${executionId} ${near}`);
          searchWords = [maybeStatus, ...rest];
        }
      }
      const search = searchWords.join(' ').trim();
      return { subcommand: 'items', executionId, status, search: search || null };
    }
  }
}

/** Did-you-mean for a domain type word, for refusals the services return. */
export function suggestDomain(word: string): string | null {
  return closestMatch(word, DOMAIN_TYPES);
}

export const isParseError = (value: ParsedCommand | ParseError): value is ParseError => 'error' in value;
