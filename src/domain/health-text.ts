/**
 * Numbers in the words health reasons use: thousands separators, ranges with an en dash, and
 * durations a person reads at once. Pure and locale-independent (the same text everywhere).
 */

/** 1234567 → "1,234,567" (rounded to a whole number). */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "950–1,100", or one value when both ends are the same. */
export function formatRange(low: number, high: number, format: (value: number) => string = formatCount): string {
  const [a, b] = [format(low), format(high)];
  return a === b ? a : `${a}–${b}`;
}

/** 850 → "850 ms", 4_200 → "4.2 s", 42_000 → "42 s", 725_000 → "12 min 5 s", 7_500_000 → "2 h 5 min", 3 days and more → "3 days". */
export function formatDurationMs(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1000) return `${value} ms`;
  if (value < 10_000) return `${(Math.round(value / 100) / 10).toFixed(1).replace(/\.0$/, '')} s`;
  const seconds = Math.round(value / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) {
    const [min, s] = [Math.floor(seconds / 60), seconds % 60];
    return s ? `${min} min ${s} s` : `${min} min`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 48 * 60) {
    const [h, min] = [Math.floor(minutes / 60), minutes % 60];
    return min ? `${h} h ${min} min` : `${h} h`;
  }
  return `${Math.floor(minutes / (24 * 60))} days`;
}

/** How long ago, to the minute: "under a minute", "12 min", "5 h 12 min", "3 days". */
export function formatAge(ms: number): string {
  if (ms < 60_000) return 'under a minute';
  return formatDurationMs(Math.round(ms / 60_000) * 60_000);
}

/** "1 record" / "12 records". */
export const plural = (count: number, one: string, many = `${one}s`): string => `${formatCount(count)} ${count === 1 ? one : many}`;

/** "a, b and c". */
export function listWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
