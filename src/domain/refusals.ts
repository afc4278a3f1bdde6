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
