import { hash } from 'node:crypto';
import { z } from 'zod';

/** Field validators whose messages say what was expected, for "Invalid field "x": ..." errors. */
const isMissing = (value: unknown): boolean => value === undefined || value === null;
const missingOr = (expected: string) => (issue: { input?: unknown }) => (isMissing(issue.input) ? 'is missing' : expected);

export const text = (max = 255) =>
  z.string({ error: missingOr('must be text') }).trim().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` });

export const externalId = () =>
  z.unknown().transform((value, ctx) => {
    const id = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : null;
    if (id === null || id === '' || id.length > 255) {
      const message = isMissing(value) ? 'is missing' : id === '' ? 'must not be empty' : id ? 'must be at most 255 characters' : 'must be text or a number';
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return id;
  });

/** An ISO-8601 instant, kept as the source wrote it (PostgreSQL parses it; no Date churn per record). */
export const timestamp = () =>
  z
    .string({ error: missingOr('must be an ISO-8601 timestamp') })
    .pipe(z.iso.datetime({ offset: true, error: 'must be an ISO-8601 timestamp like 2026-11-27T10:00:00Z' }));

/** A whole number, given as a JSON number or a string of digits (CSV). */
export const wholeNumber = (options: { min?: number } = {}) => {
  const min = options.min ?? -2_147_483_648;
  const expected = min >= 1 ? 'must be a whole number of at least 1' : min === 0 ? 'must be a whole number, 0 or more' : 'must be a whole number';
  return z.unknown().transform((value, ctx) => {
    const number =
      typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(number) || number < min || number > 2_147_483_647) {
      ctx.addIssue({ code: 'custom', message: isMissing(value) ? 'is missing' : number > 2_147_483_647 ? 'is too large' : expected });
      return z.NEVER;
    }
    return number;
  });
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
  // Dates serialise as ISO-8601 through their toJSON; no replacer (it costs ~3x).
  return hash('sha1', JSON.stringify(value));
}

/** A text or number field of a raw record (trimmed, at most 255 characters), or null. */
export function rawField(raw: unknown, key: string): string | null {
  if (raw && typeof raw === 'object') {
    const value = (raw as Record<string, unknown>)[key];
    if ((typeof value === 'string' && value.trim()) || typeof value === 'number') return String(value).trim().slice(0, 255);
  }
  return null;
}

/** Best-effort id of a record that failed validation, so the item can still be found. */
export function rawRef(raw: unknown, key: string, fallback: string): string {
  return rawField(raw, key) ?? fallback;
}
