import { describe, expect, it } from 'vitest';
import { loadSandboxConfig } from '../../src/config/sandbox-config.js';

describe('sandbox configuration (SANDBOX_*)', () => {
  it('defaults to port 3000 on 127.0.0.1, and takes SANDBOX_PORT / SANDBOX_HOST', () => {
    expect(loadSandboxConfig({})).toEqual({ port: 3000, host: '127.0.0.1' });
    expect(loadSandboxConfig({ SANDBOX_PORT: '3100', SANDBOX_HOST: '0.0.0.0' })).toEqual({ port: 3100, host: '0.0.0.0' });
    expect(loadSandboxConfig({ SANDBOX_PORT: '' })).toEqual({ port: 3000, host: '127.0.0.1' });
  });

  it('names a bad port or host', () => {
    expect(() => loadSandboxConfig({ SANDBOX_PORT: 'abc' })).toThrow('SANDBOX_PORT must be a port number (0-65535)');
    expect(() => loadSandboxConfig({ SANDBOX_PORT: '70000' })).toThrow(/SANDBOX_PORT/);
    expect(() => loadSandboxConfig({ SANDBOX_HOST: 'two words' })).toThrow('SANDBOX_HOST must be a host name or IP address');
  });

  it('refuses to stand in for Slack when real Slack settings are configured, naming them but never their values', () => {
    const attempt = () => loadSandboxConfig({ SLACK_BOT_TOKEN: 'xoxb-secret-value', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' });
    expect(attempt).toThrow('The local Slack sandbox does not start while real Slack settings are configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)');
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('xoxb-secret-value');
      expect((error as Error).message).toContain('npm run demo -- --once');
    }
    expect(() => loadSandboxConfig({ SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/SLACK_APP_TOKEN/);
    expect(() => loadSandboxConfig({ SLACK_API_URL: 'https://slack.com/api/' })).toThrow(/SLACK_API_URL/);
    // Set but empty is not set.
    expect(loadSandboxConfig({ SLACK_BOT_TOKEN: '' }).port).toBe(3000);
  });
});
