import { describe, expect, it } from 'vitest';
import { completedRunStatus, countItems } from '../../src/domain/statuses.js';

describe('counting rule', () => {
  it('counts success + mapped as success, failed + partial_mapped as failed, skipped as skipped', () => {
    expect(countItems(['success', 'mapped', 'failed', 'partial_mapped', 'partial_mapped', 'skipped', 'processing'])).toEqual({
      success: 2,
      failed: 3,
      skipped: 1,
    });
  });

  it('derives the status of a completed run from its counts', () => {
    expect(completedRunStatus({ success: 3, failed: 0, skipped: 2 }, 0)).toBe('success');
    expect(completedRunStatus({ success: 0, failed: 0, skipped: 0 }, 0)).toBe('success');
    expect(completedRunStatus({ success: 3, failed: 1, skipped: 0 }, 1)).toBe('partial');
    expect(completedRunStatus({ success: 0, failed: 1, skipped: 1 }, 1)).toBe('partial');
    expect(completedRunStatus({ success: 0, failed: 4, skipped: 0 }, 4)).toBe('failed');
  });

  it('a run whose items were all partly mapped saved data: partial, not failed', () => {
    // 4 items counted as failed, but none of them `failed` outright (all partial_mapped).
    expect(completedRunStatus({ success: 0, failed: 4, skipped: 0 }, 0)).toBe('partial');
    expect(completedRunStatus({ success: 0, failed: 4, skipped: 0 }, 3)).toBe('partial');
  });
});
