import { describe, expect, it } from 'vitest';
import { prefetchOne } from '../../src/sync/prefetch.js';

describe('prefetchOne', () => {
  it('asks for the next page while the current one is handled, and surfaces a fetch error only after it', async () => {
    const log: string[] = [];
    async function* source() {
      log.push('fetch 1');
      yield 1;
      log.push('fetch 2');
      yield 2;
      log.push('fetch 3');
      throw new Error('page 3 broke');
    }
    const handled: number[] = [];
    await expect(
      (async () => {
        for await (const page of prefetchOne(source())) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          log.push(`handled ${page}`);
          handled.push(page);
        }
      })(),
    ).rejects.toThrow('page 3 broke');
    expect(handled).toEqual([1, 2]);
    expect(log).toEqual(['fetch 1', 'fetch 2', 'handled 1', 'fetch 3', 'handled 2']);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        yield 1;
        yield 2;
        yield 3;
      } finally {
        closed = true;
      }
    }
    for await (const page of prefetchOne(source())) if (page === 1) break;
    expect(closed).toBe(true);
  });
});
