/**
 * Text helpers for Block Kit: escaping external text for mrkdwn, truncation that never breaks an
 * entity or one of our own `<…>` tokens, Slack date tokens, durations and numbers. Pure: no clock.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes external text for mrkdwn: `&`, `<` and `>` are all Slack needs, after which `<!channel>`,
 * `<@U…>` and `<url|label>` in source data are shown as text and never ping or link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Cuts text to at most `max` characters (UTF-16 units, which is never fewer than Slack counts),
 * ending with "…" when it had to cut; never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return '…';
  let cut = max - 1;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/**
 * Truncates mrkdwn that may hold escaped text and our own tokens (`<@U…>`, `<!date^…>`): the cut
 * never leaves half an entity (`&am…`) or an unclosed `<` behind.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = truncate(text, max).slice(0, -1);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  cut = cut.replace(/&[a-z]{0,3}$/, '');
  return `${cut}…`;
}

/** External text made safe for mrkdwn and cut to `max` characters (escaped length). */
export function escapeTruncate(text: string, max: number): string {
  // Escaping only lengthens text: what lies beyond `max + 1` characters can never be shown.
  return truncateMrkdwn(escapeMrkdwn(text.length > max + 1 ? text.slice(0, max + 1) : text), max);
}

/** Collapses line breaks and runs of white space, so one value stays on one line of a list. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * External text as an inline code span: escaped, on one line, cut to `max`, and with backticks
 * replaced so the value cannot end the span early.
 */
export function code(text: string, max: number): string {
  const inner = escapeTruncate(oneLine(text).replace(/`/g, 'ˋ'), max);
  return inner ? `\`${inner}\`` : '`(empty)`';
}

/** A Slack user id (`U…` / `W…`): only then is `<@id>` ours to write unescaped. */
export const isSlackUserId = (value: string | null | undefined): value is string =>
  typeof value === 'string' && /^[UW][A-Z0-9]{1,40}$/.test(value);

/** `<@U…>` for a Slack user id; anything else is shown as escaped text. */
export const mentionUser = (userId: string): string => (isSlackUserId(userId) ? `<@${userId}>` : escapeTruncate(oneLine(userId), 80));

/** "2026-03-08 09:30 UTC": the fallback of a date token, and the form used in plain text. */
export function utcText(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const DEFAULT_DATE_FORMAT = '{date_short_pretty} {time}';

/**
 * A date in the reader's own timezone: `<!date^UNIX^{date_short_pretty} {time}|2026-03-08 09:30 UTC>`.
 * `format` is Slack's token string (e.g. `{date_long} {time}`); the fallback is always UTC.
 */
export function slackDate(date: Date, format: string = DEFAULT_DATE_FORMAT): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return '—';
  const safeFormat = format.replace(/[|<>^]/g, '');
  return `<!date^${Math.floor(ms / 1000)}^${safeFormat}|${utcText(date)}>`;
}

/** "450 ms", "12.3 s", "4 min 05 s", "2 h 05 min"; "—" when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (ms < 3_600_000) return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${formatNumber(Math.floor(totalMinutes / 60))} h ${String(totalMinutes % 60).padStart(2, '0')} min`;
}

const NUMBER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** Thousands separators: 1234567 → "1,234,567". */
export const formatNumber = (n: number): string => NUMBER_FORMAT.format(n);

/** "1 record", "1,200 records"; pass the plural when it is not word + "s". */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${formatNumber(n)} ${n === 1 ? word : pluralWord}`;
}

/** Digits of an integer part grouped by thousands: "1234567" → "1,234,567" (linear, any length). */
function groupThousands(digits: string): string {
  const head = digits.length % 3 || 3;
  const groups = [digits.slice(0, head)];
  for (let i = head; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.join(',');
}

/**
 * A decimal amount given as a string (as the database returns NUMERIC), with thousands separators
 * and its decimals exactly as given: "1234.50" → "1,234.50", "-1000000" → "-1,000,000". Never goes
 * through a float, so no digit is rounded. Anything that is not a plain decimal is returned on one
 * line, unchanged. The result is cut to `max` characters.
 */
export function formatDecimal(amount: string, max = 40): string {
  const match = /^([+-]?)(\d+)(\.\d+)?$/.exec(amount.trim());
  if (!match) return truncate(oneLine(amount), max);
  const [, sign, integer, fraction = ''] = match;
  const digits = integer!.replace(/^0+(?=\d)/, '');
  return truncate(`${sign === '-' ? '-' : ''}${groupThousands(digits)}${fraction}`, max);
}
