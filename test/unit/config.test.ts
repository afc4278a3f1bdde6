import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_ENCRYPTION_KEY, loadConfig, readRunMode } from '../../src/config/config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OLD_1 = Buffer.alloc(32, 8).toString('base64');
const OLD_2 = Buffer.alloc(32, 9).toString('base64');

describe('config', () => {
  it('uses the documented default database and requires the encryption key in production', () => {
    expect(() => loadConfig({})).toThrow(/TETHER_ENCRYPTION_KEY is required/);
    const config = loadConfig({ TETHER_ENCRYPTION_KEY: KEY });
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/tether');
    expect(config.usingDevKey).toBe(false);
    expect(config.logLevel).toBe('info');
  });

  it('lets the dev key stand in for demo and test only, and says so', () => {
    const config = loadConfig({}, 'demo');
    expect(config.usingDevKey).toBe(true);
    expect(config.encryptionKey.toString('base64')).toBe(DEV_ENCRYPTION_KEY);
    expect(loadConfig({ TETHER_ENCRYPTION_KEY: KEY }, 'demo').usingDevKey).toBe(false);
    // Set explicitly, the public dev key is still the dev key, and refused as a production key.
    expect(loadConfig({ TETHER_ENCRYPTION_KEY: DEV_ENCRYPTION_KEY }, 'test').usingDevKey).toBe(true);
    expect(() => loadConfig({ TETHER_ENCRYPTION_KEY: DEV_ENCRYPTION_KEY })).toThrow(
      'TETHER_ENCRYPTION_KEY is the public dev key from this repository; generate a key of your own',
    );
    // It may still open old values as a previous key (moving a demo database to a real key).
    expect(loadConfig({ TETHER_ENCRYPTION_KEY: KEY, TETHER_PREVIOUS_KEYS: DEV_ENCRYPTION_KEY }).previousKeys).toHaveLength(1);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y', TETHER_ENCRYPTION_KEY: 'short', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'mysql://x/y', TETHER_ENCRYPTION_KEY: 'short', LOG_LEVEL: 'loud' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('TETHER_ENCRYPTION_KEY must be a base64-encoded 32-byte key');
      expect(message).toContain('LOG_LEVEL');
    }
  });

  it('reads TETHER_PREVIOUS_KEYS as comma-separated keys (spaces and empty entries ignored), none by default', () => {
    expect(loadConfig({ TETHER_ENCRYPTION_KEY: KEY }).previousKeys).toEqual([]);
    const config = loadConfig({ TETHER_ENCRYPTION_KEY: KEY, TETHER_PREVIOUS_KEYS: ` ${OLD_1} ,${OLD_2},` });
    expect(config.previousKeys).toEqual([Buffer.from(OLD_1, 'base64'), Buffer.from(OLD_2, 'base64')]);
    expect(loadConfig({ TETHER_PREVIOUS_KEYS: OLD_1 }, 'test').previousKeys).toHaveLength(1);
  });

  it('names TETHER_PREVIOUS_KEYS and the bad entry, never printing a key', () => {
    const tooShort = Buffer.alloc(16, 3).toString('base64');
    const notBase64 = 'not-a-key!';
    let message = '';
    try {
      loadConfig({ TETHER_ENCRYPTION_KEY: KEY, TETHER_PREVIOUS_KEYS: `${OLD_1},${tooShort},${OLD_2},${notBase64}` });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('TETHER_PREVIOUS_KEYS entry 2 of 4 is not a base64-encoded 32-byte key');
    expect(message).toContain('TETHER_PREVIOUS_KEYS entry 4 of 4 is not a base64-encoded 32-byte key');
    expect(message).not.toMatch(/entry [13] /);
    for (const secret of [KEY, OLD_1, OLD_2, tooShort, notBase64]) expect(message).not.toContain(secret);
  });

  it('rejects an unknown TETHER_MODE', () => {
    expect(() => readRunMode({ TETHER_MODE: 'dev' })).toThrow(/TETHER_MODE must be one of production, demo, test/);
    expect(readRunMode({})).toBe('production');
  });

  it('reads the item retention: days, "off", and refuses 0 or words with the allowed values', () => {
    const base = { TETHER_ENCRYPTION_KEY: KEY };
    expect(loadConfig(base).retention).toEqual({ itemRetentionDays: 30, purgeBatchSize: 5000, purgePauseMs: 100 });
    expect(loadConfig({ ...base, TETHER_ITEM_RETENTION_DAYS: '7' }).retention.itemRetentionDays).toBe(7);
    expect(loadConfig({ ...base, TETHER_ITEM_RETENTION_DAYS: 'OFF' }).retention.itemRetentionDays).toBeNull();
    const allowed = 'TETHER_ITEM_RETENTION_DAYS must be a whole number of days from 1 to 36500, or "off" to keep items forever (default 30)';
    expect(() => loadConfig({ ...base, TETHER_ITEM_RETENTION_DAYS: '0' })).toThrow(`${allowed} (got "0")`);
    expect(() => loadConfig({ ...base, TETHER_ITEM_RETENTION_DAYS: 'forever' })).toThrow(`${allowed} (got "forever")`);
    expect(() => loadConfig({ ...base, TETHER_ITEM_RETENTION_DAYS: '1.5' })).toThrow(`${allowed} (got "1.5")`);
    expect(() => loadConfig({ ...base, TETHER_PURGE_BATCH_SIZE: '0' })).toThrow('TETHER_PURGE_BATCH_SIZE must be a whole number from 1 to 100000');
    expect(() => loadConfig({ ...base, TETHER_PURGE_PAUSE_MS: '-1' })).toThrow('TETHER_PURGE_PAUSE_MS must be a whole number from 0 to 60000');
  });
});
