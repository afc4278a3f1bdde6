/**
 * Preload (node --import) for profiling a worker: counts every SQL statement sent through `pg`
 * and the time until its answer, by statement, and writes them to QUERY_STATS_FILE at exit.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';

const stats = new Map<string, { count: number; ms: number }>();
const original = pg.Client.prototype.query;
const key = (config: unknown) => {
  const text = typeof config === 'string' ? config : ((config as { text?: string })?.text ?? '?');
  return text.replace(/\s+/g, ' ').trim().slice(0, 90);
};
pg.Client.prototype.query = function patched(this: pg.Client, ...args: unknown[]) {
  const started = performance.now();
  const entry = stats.get(key(args[0])) ?? { count: 0, ms: 0 };
  stats.set(key(args[0]), entry);
  entry.count += 1;
  const result = (original as (...a: unknown[]) => unknown).apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(
      () => (entry.ms += performance.now() - started),
      () => (entry.ms += performance.now() - started),
    );
  }
  return result;
} as typeof original;

process.on('exit', () => {
  const file = process.env.QUERY_STATS_FILE;
  if (!file) return;
  const rows = [...stats].sort((a, b) => b[1].count - a[1].count).map(([sql, s]) => `${String(s.count).padStart(7)} ${s.ms.toFixed(0).padStart(8)} ms  ${sql}`);
  writeFileSync(file, rows.join('\n') + '\n');
});
