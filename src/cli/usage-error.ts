/** Bad usage or bad input: one clear line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT = { ok: 0, syncFailed: 1, usage: 2 } as const;
