/**
 * Expected refusals: the answer to a request that cannot be done as asked. Services throw them;
 * each front end (CLI, Slack) turns the code and details into its own words and next step.
 * Messages say what is wrong in plain words and never name a CLI command or a Slack button.
 */
export const REFUSAL_CODES = [
  'unknown_integration',
  'unknown_domain',
  'unsupported_domain',
  'disabled',
  'already_running',
  'unknown_execution',
  'not_cancellable',
  'nothing_to_retry',
  'unknown_item',
  'unknown_code',
  'unknown_mapping',
  'invalid_input',
  'database_missing',
  'scheduler_unavailable',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface RefusalDetails {
  integrationKey?: string;
  /** The closest known value to a mistyped one ("did you mean"). */
  suggestion?: string | null;
  /** Known values, for "known: …" answers. */
  known?: string[];
  domainType?: string;
  executionId?: number | null;
  status?: string;
  database?: string;
  /** Mappings: the kind (`sku` | `channel`), the external id and the Tether code at fault. */
  kind?: string;
  externalId?: string;
  tetherCode?: string;
  /**
   * Every fault of a batch of entries (e.g. a mapping form), by position, so a front end can put
   * each message next to its field. The refusal's own message sums them up.
   */
  problems?: EntryProblem[];
}

export interface EntryProblem {
  /** Position of the entry in the batch (0-based). */
  index: number;
  field: 'kind' | 'externalId' | 'code';
  code: RefusalCode;
  message: string;
  suggestion: string | null;
}

export class Refusal extends Error {
  override name = 'Refusal';
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details: RefusalDetails = {},
  ) {
    super(message);
  }
}

/** Bad input (a file, a flag, a cursor): the base of every input error, so front ends treat them alike. */
export class InvalidInput extends Error {
  override name = 'InvalidInput';
}
