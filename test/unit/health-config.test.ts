import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { DEFAULT_HEALTH_THRESHOLDS } from '../../src/domain/health.js';

describe('HEALTH_* thresholds', () => {
  it('default to the documented values', () => {
    expect(loadConfig({}, 'test').health).toEqual({
      window: 20,
      minRuns: 5,
      failuresInARow: 3,
      madK: 3,
      recentRuns: 3,
      failedMinRise: 5,
      fetchedDropRatio: 0.5,
      durationRatio: 2,
      durationFloorMs: 30_000,
    });
    expect(loadConfig({}, 'test').health).toEqual(DEFAULT_HEALTH_THRESHOLDS);
  });

  it('are read from the environment', () => {
    const health = loadConfig(
      {
        HEALTH_WINDOW: '30',
        HEALTH_MIN_RUNS: '8',
        HEALTH_FAILURES_IN_A_ROW: '2',
        HEALTH_MAD_K: '2.5',
        HEALTH_RECENT_RUNS: '4',
        HEALTH_FAILED_MIN_RISE: '0',
        HEALTH_FETCHED_DROP_RATIO: '0.3',
        HEALTH_DURATION_RATIO: '1.5',
        HEALTH_DURATION_FLOOR_MS: '0',
      },
      'test',
    ).health;
    expect(health).toEqual({
      window: 30,
      minRuns: 8,
      failuresInARow: 2,
      madK: 2.5,
      recentRuns: 4,
      failedMinRise: 0,
      fetchedDropRatio: 0.3,
      durationRatio: 1.5,
      durationFloorMs: 0,
    });
  });

  it('refuse bad values with one message naming the variable, what is allowed, what it is for and the default', () => {
    const error = (env: Record<string, string>) => {
      try {
        loadConfig(env, 'test');
      } catch (caught) {
        return (caught as Error).message;
      }
      return 'no error';
    };
    expect(error({ HEALTH_WINDOW: 'twenty' })).toBe(
      'Invalid configuration: HEALTH_WINDOW must be a whole number from 2 to 200 (earlier runs in a baseline; default 20)',
    );
    expect(error({ HEALTH_FAILURES_IN_A_ROW: '2.5' })).toMatch(/HEALTH_FAILURES_IN_A_ROW must be a whole number from 1 to 100 \(failed runs in a row that need attention; default 3\)$/);
    expect(error({ HEALTH_MAD_K: '0' })).toMatch(/HEALTH_MAD_K must be a number above 0 and at most 100/);
    expect(error({ HEALTH_FETCHED_DROP_RATIO: '1.5' })).toMatch(/HEALTH_FETCHED_DROP_RATIO must be a number above 0 and at most 1 /);
    expect(error({ HEALTH_DURATION_RATIO: '0.5' })).toMatch(/HEALTH_DURATION_RATIO must be a number from 1 to 1000/);
    expect(error({ HEALTH_DURATION_FLOOR_MS: '-1' })).toMatch(/HEALTH_DURATION_FLOOR_MS must be a whole number from 0 to 86400000/);
    expect(error({ HEALTH_MIN_RUNS: '30' })).toBe(
      'Invalid configuration: HEALTH_MIN_RUNS must be at most HEALTH_WINDOW + 1 (the newest run and its baseline): got 30 with HEALTH_WINDOW 20',
    );
    expect(error({ HEALTH_RECENT_RUNS: '5' })).toMatch(/HEALTH_RECENT_RUNS must be below HEALTH_MIN_RUNS, so the recent runs have earlier ones to compare with: got 5 with HEALTH_MIN_RUNS 5$/);
    // Two bad values: both named in the one message.
    expect(error({ HEALTH_WINDOW: '0', HEALTH_MAD_K: 'x' })).toMatch(/HEALTH_WINDOW .*; HEALTH_MAD_K /);
  });
});
