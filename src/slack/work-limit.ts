/**
 * Runs at most `max` tasks at once; the others wait their turn, first come first served. A task
 * that fails frees its place like one that succeeds.
 */
export function createWorkLimit(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`a work limit must be a whole number of at least 1 (got ${max})`);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      // The place goes straight to the next in line (running stays the same), or is freed.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
