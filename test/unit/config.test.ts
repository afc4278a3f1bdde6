import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_ENCRYPTION_KEY, loadConfig, readRunMode } from '../../src/config/config.js';
import { SecretBox } from '../../src/domain/secret-box.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

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

  it('rejects an unknown TETHER_MODE', () => {
    expect(() => readRunMode({ TETHER_MODE: 'dev' })).toThrow(/TETHER_MODE must be one of production, demo, test/);
    expect(readRunMode({})).toBe('production');
  });
});

describe('secret box', () => {
  it('round-trips, never stores the plaintext, and detects a wrong key or tampering', () => {
    const box = new SecretBox(Buffer.from(KEY, 'base64'));
    const sealed = box.sealJson({ token: 'tok-123' });
    expect(sealed).not.toContain('tok-123');
    expect(box.openJson(sealed)).toEqual({ token: 'tok-123' });
    expect(box.seal('x')).not.toBe(box.seal('x'));
    expect(() => new SecretBox(Buffer.alloc(32, 1)).open(sealed)).toThrow(/TETHER_ENCRYPTION_KEY differs/);
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64');
    expect(() => box.open(parts.join(':'))).toThrow();
  });
});
