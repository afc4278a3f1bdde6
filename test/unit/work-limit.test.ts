import { describe, expect, it } from 'vitest';
import { createWorkLimit } from '../../src/slack/work-limit.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createWorkLimit', () => {
  it('runs at most max tasks at once, the rest in the order they came', async () => {
    const inTurn = createWorkLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = Array.from({ length: 5 }, (_, i) =>
      inTurn(async () => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    releases[1]!();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    while (releases.length < 5 || running > 0) {
      releases.forEach((release) => release());
      await tick();
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('a failing task frees its place and its caller gets the error', async () => {
    const inTurn = createWorkLimit(1);
    const failed = inTurn(async () => {
      throw new Error('boom');
    });
    const next = inTurn(async () => 'next ran');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('next ran');
  });

  it('refuses a limit below 1', () => {
    expect(() => createWorkLimit(0)).toThrow('at least 1');
  });
});
