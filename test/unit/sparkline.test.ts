import { describe, expect, it } from 'vitest';
import { SPARK_BLOCKS, sparkline } from '../../src/domain/sparkline.js';

describe('sparkline', () => {
  it('one block per value, oldest first, scaled min (▁) to max (█)', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([7, 0])).toBe('█▁');
    expect(sparkline([1000, 1050, 1000, 1050, 1100, 1050, 1000, 12])).toBe('▇█▇███▇▁');
  });

  it('a drop is seen: a steady series with one low value ends on ▁', () => {
    const line = sparkline([980, 1010, 995, 1050, 1100, 1020, 960, 12]);
    expect(line).toHaveLength(8);
    expect(line.at(-1)).toBe('▁');
    expect([...line.slice(0, -1)].every((block) => block >= '▇')).toBe(true);
  });

  it('all equal → a flat middle line; empty → empty; one value → middle', () => {
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([0, 0])).toBe('▄▄');
    expect(sparkline([42])).toBe('▄');
    expect(sparkline([])).toBe('');
  });

  it('non-finite values are drawn as the minimum and do not break the scale', () => {
    expect(sparkline([Number.NaN, 0, 7])).toBe('▁▁█');
    expect(sparkline([Number.POSITIVE_INFINITY, 3, 3])).toBe('▁▄▄');
  });

  it('uses only the eight block characters', () => {
    const line = sparkline(Array.from({ length: 200 }, (_, i) => Math.sin(i / 5) * 1000));
    expect(line).toHaveLength(200);
    for (const block of line) expect(SPARK_BLOCKS).toContain(block);
  });
});
