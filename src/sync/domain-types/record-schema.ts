import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Field validators whose messages say what was expected, for "Invalid field "x": ..." errors. */
const missingOr = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null ? 'is missing' : expected;

export const text = (max = 255) =>
  z.string({ error: missingOr('must be text') }).trim().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` });

export const externalId = () =>
  z
    .union([z.string(), z.number()], { error: missingOr('must be text or a number') })
    .transform((value) => String(value).trim())
    .pipe(z.string().min(1, { error: 'must not be empty' }).max(255, { error: 'must be at most 255 characters' }));

export const timestamp = () =>
  z
    .string({ error: missingOr('must be an ISO-8601 timestamp') })
    .pipe(z.iso.datetime({ offset: true, error: 'must be an ISO-8601 timestamp like 2026-11-27T10:00:00Z' }))
    .transform((value) => new Date(value));

export const wholeNumber = (options: { min?: number } = {}) => {
  const min = options.min ?? -2_147_483_648;
  const expected = min >= 1 ? 'must be a whole number of at least 1' : min === 0 ? 'must be a whole number, 0 or more' : 'must be a whole number';
  return z
    .union([z.number(), z.string().regex(/^-?\d+$/)], { error: missingOr(expected) })
    .transform(Number)
    .pipe(z.number().int({ error: expected }).min(min, { error: expected }).max(2_147_483_647, { error: 'is too large' }));
};

/** Money stays a decimal string end to end: never a float. numeric(14,4) holds 10 integer digits. */
export const decimalString = () =>
  z
    .string({ error: missingOr('must be a decimal string like "12.50"') })
    .regex(/^-?\d{1,10}(\.\d{1,4})?$/, { error: 'must be a decimal string like "12.50"' });

/** Turns a zod failure into `Invalid field "lines[0].quantity": must be ...`. */
export function describeRecordError(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    '',
  );
  return path ? `Invalid field "${path}": ${issue.message}` : `Invalid record: ${issue.message}`;
}

/** A stable fingerprint of a validated record: unchanged source data → same hash → `skipped`. */
export function contentHash(value: unknown): string {
  return createHash('sha1')
    .update(JSON.stringify(value, (_key, v: unknown) => (v instanceof Date ? v.toISOString() : v)))
    .digest('hex');
}

/** Best-effort id of a record that failed validation, so the item can still be found. */
export function rawRef(raw: unknown, key: string, fallback: string): string {
  if (raw && typeof raw === 'object') {
    const value = (raw as Record<string, unknown>)[key];
    if ((typeof value === 'string' && value.trim()) || typeof value === 'number') return String(value).trim().slice(0, 255);
  }
  return fallback;
}
