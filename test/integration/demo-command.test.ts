import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/test-app.js';

const DEMO = fileURLToPath(new URL('../../src/demo/run-demo.ts', import.meta.url));

/** `npm run demo` as a process: its refusals, and `--once` for scripts. */
function runDemo(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SLACK_') && !name.startsWith('SANDBOX_')));
  const child = spawn(process.execPath, ['--import', 'tsx', DEMO, ...args], { env: { ...clean, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run demo', () => {
  it('refuses to start the sandbox when real Slack tokens are configured, naming them but not their values', async () => {
    const result = await runDemo([], { DATABASE_URL: testDatabaseUrl(), SLACK_BOT_TOKEN: 'xoxb-real-looking-token', SLACK_SIGNING_SECRET: '0123456789abcdef0123' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: The local Slack sandbox does not start while real Slack settings are configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)');
    expect(result.stderr + result.stdout).not.toContain('xoxb-real-looking-token');
    expect(result.stdout).not.toContain('Local Slack sandbox:');
  });

  it('says when the sandbox port is taken, and refuses unknown options', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as AddressInfo).port;
      const taken = await runDemo([], { DATABASE_URL: testDatabaseUrl(), SANDBOX_PORT: String(port) });
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain(`error: port ${port} is already in use: set SANDBOX_PORT to a free port`);
    } finally {
      busy.close();
    }
    const unknown = await runDemo(['--twice'], {});
    expect(unknown).toMatchObject({ code: 2, stderr: 'error: unknown option --twice (npm run demo [-- --once])\n' });
  });

  it('--once syncs the samples, prints their summaries and exits, with no sandbox', async () => {
    const result = await runDemo(['--once'], { DATABASE_URL: testDatabaseUrl() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Integrations: demo-shop, demo-3pl, demo-marketplace');
    expect(result.stdout).toMatch(/Catalog: \d+ SKUs/);
    expect(result.stdout).toContain('records/s');
    expect(result.stdout).not.toContain('Local Slack sandbox');
  });
});
