import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../../src/db/database.js';
import { parseDockerfile, run, runDockerfile } from '../support/dockerfile.js';
import { testDatabaseUrl } from '../support/test-app.js';
import { until } from '../support/until.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the Dockerfile, run outside Docker', () => {
  const databaseUrl = testDatabaseUrl();
  let scratch: string | null = null;
  afterAll(async () => {
    await dropDatabase(databaseUrl);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('its build and start steps give compiled JS without dev dependencies, running as non-root, migrating on start and answering /healthz', { timeout: 300_000 }, async () => {
    const dockerfile = await readFile(join(REPO, 'Dockerfile'), 'utf8');
    const instructions = parseDockerfile(dockerfile);
    expect(instructions.filter((i) => i.keyword === 'FROM')).toHaveLength(2); // multi-stage
    expect(existsSync(join(REPO, '.dockerignore'))).toBe(true);

    scratch = await mkdtemp(join(tmpdir(), 'tether-docker-'));
    // npm works from its cache (~/.npm) when it can; the registry is only asked for what is missing.
    const stages = await runDockerfile(dockerfile, { context: REPO, scratch, env: { npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' } });
    const final = stages.at(-1)!;
    const app = join(final.root, final.workdir);
    expect(final.runs.some((step) => /\bnpm ci\b.*--omit=dev/.test(step))).toBe(true);
    expect(final.user).toBeTruthy();
    expect(['root', '0']).not.toContain(final.user);
    expect(existsSync(join(app, 'dist/src/main.js'))).toBe(true);
    expect(existsSync(join(app, 'dist/migrations/index.js'))).toBe(true);
    expect(existsSync(join(app, 'src'))).toBe(false); // no TypeScript sources in the image
    for (const dev of ['tsx', 'typescript', 'vitest']) expect(existsSync(join(app, 'node_modules', dev))).toBe(false);
    expect(existsSync(join(app, 'node_modules/prom-client'))).toBe(true);
    expect(final.cmd!.join(' ')).not.toMatch(/tsx/);
    expect(final.healthcheck).not.toBeNull();

    const port = await freePort();
    const env = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      ...final.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl, // does not exist yet: the start step creates and migrates it
      TETHER_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      TETHER_ROLE: 'worker',
      WORKER_POLL_MS: '500',
    };
    const child = spawn(final.cmd![0]!, final.cmd!.slice(1), { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      // The image's own HEALTHCHECK command, as Docker would run it.
      const check = await until('the HEALTHCHECK to pass', async () => (child.exitCode === null ? run(final.healthcheck!, app, env) : { code: -1, output }), (r) => r.code === 0 || child.exitCode !== null, 60_000);
      expect(check.code, output).toBe(0);
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', database: { ok: true }, worker: { here: true, alive: true } });
      expect(output).toMatch(/Applied: Migration20261127000000Initial/);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(await metrics.text()).toContain('tether_database_up 1');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  });
});
