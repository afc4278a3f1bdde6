import { InvalidInput } from '../domain/refusals.js';

/** Bad usage or bad input on the command line: one clear line on stderr, exit code 2. */
export class UsageError extends InvalidInput {
  override name = 'UsageError';
}

/**
 * Exit codes (README, "The tether command"). A sync that ended `partial` is a success of the
 * tool; scripts can tell a failed sync from one stopped by a signal or cancelled by a person.
 */
export const EXIT = { ok: 0, syncFailed: 1, usage: 2, interrupted: 3, cancelled: 4 } as const;
