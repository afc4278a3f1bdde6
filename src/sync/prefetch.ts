/**
 * Iterates `source` one item ahead: the next page is being fetched while the current one is
 * mapped and committed. A failure to fetch the next page surfaces only after the current page
 * has been handed over (and committed), so nothing already fetched is dropped.
 */
export async function* prefetchOne<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    while (true) {
      const result = await next;
      if (result.done) return;
      next = iterator.next();
      next.catch(() => {}); // awaited (and thrown) on the next turn of the loop
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}
