import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { parseDatabaseUrl } from '../../src/db/database.js';
import { createLogger } from '../../src/logging.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { FakeSocketMode } from '../fakes/fake-socket-mode.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { parsePrometheus, sampleValue } from '../support/prometheus.js';
import { scalar } from '../support/queries.js';
import { SIGNING_SECRET } from '../support/slack-bot.js';
import { buildCommand, signSlackRequest } from '../support/slack-requests.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

const clean = { unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 };

async function get(port: number, path: string): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function healthz(port: number) {
  const answer = await get(port, '/healthz');
  return { status: answer.status, type: answer.type, body: JSON.parse(answer.text) };
}

async function metrics(port: number) {
  const answer = await get(port, '/metrics');
  expect(answer.status).toBe(200);
  expect(answer.type).toContain('text/plain');
  return parsePrometheus(answer.text);
}

async function waitForExecution(app: TestApp, id: number): Promise<string> {
  return until('the run to finish', async () => scalar<string>(app.pool, `SELECT status FROM sync_execution WHERE id = $1`, [id]), (s) => !['queued', 'running'].includes(s), 30_000);
}

/** Runs SQL as the server's superuser on the maintenance database (what an outage looks like). */
async function asAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

describe('/healthz and /metrics of a worker process (TETHER_ROLE=worker: a server of its own on PORT)', () => {
  let app: TestApp;
  let runtime: Runtime;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    await app.integrations.apply([demoSpec({ key: 'shop', domains: ['sales_orders'], schedule: null, config: { orders: 30, page_size: 10, ...clean } })], { actor: 'test' });
    await seedCatalog(app, 'shop');
    const config = loadConfig({ DATABASE_URL: app.config.databaseUrl, TETHER_ROLE: 'worker', PORT: '0', WORKER_POLL_MS: '200' }, 'test');
    // The real logger, to read the JSON lines an operator gets.
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).trim().split('\n').map((line) => JSON.parse(line))), done()) });
    runtime = await startRuntime(config, { log: createLogger('info', sink) });
  });
  afterAll(async () => {
    await runtime?.stop();
    await app?.destroy();
  });

  it('says healthy with the database, this worker and the outbox, as JSON', async () => {
    expect(runtime.bot).toBeNull();
    const { status, type, body } = await healthz(runtime.port);
    expect(status).toBe(200);
    expect(type).toContain('application/json');
    expect(body).toMatchObject({ status: 'ok', problems: [], stopping: false, database: { ok: true }, worker: { here: true, id: runtime.worker!.id, alive: true }, slack: null, outbox: { pending: 0 } });
    expect(body.worker.heartbeatAgeSeconds).toBeLessThan(20);
    expect((await get(runtime.port, '/nothing-here')).status).toBe(404);
  });

  it('after a real sync, /metrics counts the execution, its items and its duration, in valid exposition text', async () => {
    const [queued] = await runtime.app.services.syncs.queue({ integrationKey: 'shop', actor: 'test' });
    expect(await waitForExecution(app, queued!.executionId)).toBe('success');
    const success = await scalar<number>(app.pool, `SELECT success_count FROM sync_execution WHERE id = $1`, [queued!.executionId]);
    const durationMs = await scalar<number>(app.pool, `SELECT duration_ms FROM sync_execution WHERE id = $1`, [queued!.executionId]);
    expect(success).toBeGreaterThan(0);

    const { samples, types } = await metrics(runtime.port);
    const labels = { integration: 'shop', domain_type: 'sales_orders' };
    expect(types.get('tether_executions_total')).toBe('counter');
    expect(types.get('tether_execution_duration_seconds')).toBe('histogram');
    expect(sampleValue(samples, 'tether_executions_total', { ...labels, status: 'success' })).toBe(1);
    expect(sampleValue(samples, 'tether_items_total', { ...labels, status: 'success' })).toBe(success);
    expect(sampleValue(samples, 'tether_items_total', { ...labels, status: 'failed' })).toBe(0);
    expect(sampleValue(samples, 'tether_execution_duration_seconds_count', { domain_type: 'sales_orders', status: 'success' })).toBe(1);
    expect(sampleValue(samples, 'tether_execution_duration_seconds_sum', { domain_type: 'sales_orders', status: 'success' })).toBeCloseTo(durationMs / 1000, 3);
    expect(sampleValue(samples, 'tether_execution_duration_seconds_bucket', { domain_type: 'sales_orders', status: 'success', le: '+Inf' })).toBe(1);
    expect(sampleValue(samples, 'tether_executions', { status: 'queued' })).toBe(0);
    expect(sampleValue(samples, 'tether_executions', { status: 'running' })).toBe(0);
    expect(sampleValue(samples, 'tether_workers_alive')).toBe(1);
    expect(sampleValue(samples, 'tether_database_up')).toBe(1);
    expect(sampleValue(samples, 'tether_slack_outbox_backlog')).toBe(0);
    expect(sampleValue(samples, 'tether_queue_lag_seconds')).toBeLessThan(5);
    expect(samples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);

    // Every log line of the run carries its execution id, integration and domain type.
    const runLines = lines.filter((line) => line.executionId === queued!.executionId);
    expect(runLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['sync started', 'sync finished']));
    for (const line of runLines) expect(line).toMatchObject({ integration: 'shop', domainType: 'sales_orders' });
  });

  it('queue lag is the age of the oldest run waiting for a worker', async () => {
    const integrationId = await scalar<number>(app.pool, `SELECT id FROM integration WHERE key = 'shop'`);
    const waiting = await scalar<number>(
      app.pool,
      `INSERT INTO sync_execution (integration_id, domain_type, status, trigger, dry_run, queued_at) VALUES ($1, 'inventory', 'queued', 'manual', false, now() - interval '90 seconds') RETURNING id`,
      [integrationId],
    );
    try {
      const { samples } = await metrics(runtime.port);
      expect(sampleValue(samples, 'tether_queue_lag_seconds')).toBeGreaterThanOrEqual(90);
      expect(sampleValue(samples, 'tether_executions', { status: 'queued' })).toBe(1);
    } finally {
      await app.pool.query(`DELETE FROM sync_execution WHERE id = $1`, [waiting]);
    }
  });

  it('a stale worker heartbeat makes it 503, and a fresh one makes it healthy again', async () => {
    await app.pool.query(`UPDATE worker_heartbeat SET last_seen_at = now() - interval '5 minutes' WHERE id = $1`, [runtime.worker!.id]);
    const stale = await healthz(runtime.port);
    expect(stale.status).toBe(503);
    expect(stale.body.status).toBe('unhealthy');
    expect(stale.body.worker.alive).toBe(false);
    expect(stale.body.problems.join('; ')).toMatch(/worker heartbeat is 3\d\d s old/);
    await app.pool.query(`UPDATE worker_heartbeat SET last_seen_at = now() WHERE id = $1`, [runtime.worker!.id]);
    expect((await healthz(runtime.port)).status).toBe(200);
  });

  it('with the database refusing connections: 503 naming it, /metrics still answers with tether_database_up 0, and it recovers', async () => {
    const { database } = parseDatabaseUrl(app.config.databaseUrl);
    await asAdmin(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
    try {
      await asAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`);
      const down = await healthz(runtime.port);
      expect(down.status).toBe(503);
      expect(down.body.database.ok).toBe(false);
      expect(down.body.problems[0]).toMatch(/^database unreachable: /);
      const { samples } = await metrics(runtime.port);
      expect(sampleValue(samples, 'tether_database_up')).toBe(0);
    } finally {
      await asAdmin(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`);
    }
    await until('healthy again', async () => (await healthz(runtime.port)).status, (status) => status === 200, 20_000);
  });
});

describe('/healthz and /metrics of a bot process', () => {
  let app: TestApp;
  let slack: FakeSlack;

  beforeAll(async () => {
    app = await startTestApp();
    slack = new FakeSlack();
    await slack.start();
  });
  afterAll(async () => {
    await slack?.stop();
    await app?.destroy();
  });

  const botEnv = (overrides: Record<string, string> = {}) =>
    loadConfig({ DATABASE_URL: app.config.databaseUrl, PORT: '0', WORKER_POLL_MS: '200', SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, ...overrides }, 'test');

  it('HTTP mode serves them on Slack\'s port (Bolt custom routes) and counts Slack API errors', async () => {
    await app.integrations.apply([demoSpec({ key: 'loud', domains: ['sales_orders'], schedule: null, slackChannel: 'G0NOTMEMBER', notify: 'always', config: { orders: 5, ...clean } })], { actor: 'test' });
    await seedCatalog(app, 'loud');
    slack.setChannel('G0NOTMEMBER', { isPrivate: true, isMember: false });
    const runtime = await startRuntime(botEnv(), { log: createLogger('silent') });
    try {
      expect(runtime.port).toBe(runtime.bot!.address!.port);
      const healthy = await healthz(runtime.port);
      expect(healthy.status).toBe(200);
      expect(healthy.body.slack).toMatchObject({ transport: 'http', connection: 'listening', tokenRejected: false });
      expect(healthy.body.worker).toMatchObject({ here: true, alive: true });
      // Slack's own endpoint is still Bolt's: unsigned requests are refused.
      expect((await fetch(`http://127.0.0.1:${runtime.port}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(401);
      // Every Slack request's ack is timed by the front, with who acked it; the 401 above is a refusal, not an ack.
      const body = new URLSearchParams(buildCommand(slack, 'help').fields).toString();
      const help = await fetch(`http://127.0.0.1:${runtime.port}/slack/events`, { method: 'POST', headers: signSlackRequest(SIGNING_SECRET, body), body });
      expect(help.status).toBe(200);
      const acks = await until('the ack to be counted', async () => sampleValue((await metrics(runtime.port)).samples, 'tether_slack_ack_seconds_count', { acked_by: 'bot' }) ?? 0, (n) => n >= 1, 5_000);
      expect(acks).toBe(1);
      expect(sampleValue((await metrics(runtime.port)).samples, 'tether_slack_ack_seconds_bucket', { acked_by: 'bot', le: '3' })).toBe(1);
      const [queued] = await runtime.app.services.syncs.queue({ integrationKey: 'loud', actor: 'test' });
      await waitForExecution(app, queued!.executionId);
      const errors = await until(
        'the refused post to be counted',
        async () => sampleValue((await metrics(runtime.port)).samples, 'tether_slack_api_errors_total', { method: 'chat.postMessage', error: 'channel_not_found' }) ?? 0,
        (n) => n >= 1,
        15_000,
      );
      expect(errors).toBeGreaterThanOrEqual(1);
      const { samples } = await metrics(runtime.port);
      expect(sampleValue(samples, 'tether_executions_total', { integration: 'loud', status: 'success' })).toBe(1);
      expect(sampleValue(samples, 'tether_slack_outbox_backlog')).toBeGreaterThanOrEqual(1); // kept for retry
      const report = await healthz(runtime.port);
      expect(report.body.slack.lastApiError).toMatchObject({ method: 'chat.postMessage', error: 'channel_not_found' });
      expect(report.body.outbox.pending).toBeGreaterThanOrEqual(1);
      expect(report.status).toBe(200); // a channel problem is not the process's health
    } finally {
      await runtime.stop();
    }
  });

  it('a bot token Slack rejects makes /healthz 503 and says so', async () => {
    const picky = new FakeSlack({ botToken: 'xoxb-the-real-one' });
    const url = await picky.start();
    const runtime = await startRuntime(botEnv({ TETHER_ROLE: 'bot', SLACK_API_URL: url }), { log: createLogger('silent') });
    try {
      const report = await until('the token check', () => healthz(runtime.port), (r) => r.status === 503, 15_000);
      expect(report.body.slack.tokenRejected).toBe(true);
      expect(report.body.problems).toContain('Slack rejects the bot token (invalid_auth)');
      expect(report.body.worker).toMatchObject({ here: false });
      const { samples } = await metrics(runtime.port);
      expect(sampleValue(samples, 'tether_slack_api_errors_total', { method: 'auth.test', error: 'invalid_auth' })).toBe(1);
    } finally {
      await runtime.stop();
      await picky.stop();
    }
  });

  it('Socket Mode serves them on a server of its own on PORT and reports the socket state', async () => {
    const socketSlack = new FakeSlack();
    const socket = new FakeSocketMode({ slack: socketSlack });
    await socketSlack.start();
    await socket.start();
    const runtime = await startRuntime(botEnv({ TETHER_ROLE: 'bot', SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '', SLACK_API_URL: socketSlack.url }), { log: createLogger('silent') });
    try {
      expect(runtime.bot!.server).toBeNull();
      const report = await until('the socket to connect', () => healthz(runtime.port), (r) => r.body.slack?.connection === 'connected', 15_000);
      expect(report.status).toBe(200);
      expect(report.body.slack.transport).toBe('socket');
      const { samples } = await metrics(runtime.port);
      expect(sampleValue(samples, 'tether_database_up')).toBe(1);
    } finally {
      await runtime.stop();
      await socket.stop();
      await socketSlack.stop();
    }
  });
});
