/**
 * `npm run demo`: the whole product on this machine — the database created, migrated and seeded
 * with the sample integrations on schedules every few minutes, the worker, the Slack bot, and the
 * local Slack sandbox (src/sandbox/) the bot talks to instead of Slack, with its page in a browser.
 */
import { loadConfig, type Config } from '../config/config.js';
import type { IntegrationSpec } from '../config/integrations-file.js';
import { loadSandboxConfig, type SandboxConfig } from '../config/sandbox-config.js';
import { createLogger } from '../logging.js';
import { newSigningSecret, SlackSandbox } from '../sandbox/sandbox-server.js';
import { startRuntime, type Runtime } from '../runtime.js';
import { seedDemo } from './seed-demo.js';

const say = (text = '') => process.stdout.write(`${text}\n`);
function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

/** Schedules that fire while someone watches (the samples' own are hours apart). */
export const SANDBOX_SCHEDULES: Record<string, string> = { 'demo-shop': '*/3 * * * *', 'demo-3pl': '*/4 * * * *', 'demo-marketplace': '*/5 * * * *' };
/** The sandbox's channels; every sample posts to one of them. */
const CHANNELS = [
  { id: 'C0OPSSYNC1', name: 'ops-sync' },
  { id: 'C0WAREHOUS', name: 'warehouse-ops' },
];
const CHANNEL_OF: Record<string, string> = { 'demo-3pl': '#warehouse-ops' };

const forSandbox = (spec: IntegrationSpec): IntegrationSpec => ({
  ...spec,
  schedule: { cron: SANDBOX_SCHEDULES[spec.key] ?? '*/5 * * * *', timezone: spec.schedule?.timezone ?? 'UTC' },
  slackChannel: spec.slackChannel ?? CHANNEL_OF[spec.key] ?? '#ops-sync',
});

let config: Config;
let sandboxConfig: SandboxConfig;
try {
  sandboxConfig = loadSandboxConfig(process.env);
  config = loadConfig(process.env, 'demo', { logLevel: 'warn' });
} catch (error) {
  fail((error as Error).message);
}
const log = createLogger(config.logLevel);
const signingSecret = newSigningSecret();
const sandbox = new SlackSandbox({ port: sandboxConfig.port, host: sandboxConfig.host, signingSecret, channels: CHANNELS, teamName: 'Tether Demo' });

let runtime: Runtime | null = null;
let stopping = false;
const stop = async () => {
  if (stopping) process.exit(130);
  stopping = true;
  say('Stopping the demo…');
  await runtime?.stop().catch(() => {});
  await sandbox.stop().catch(() => {});
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

try {
  // The port first: a port in use is told before any database work.
  const { apiUrl, pageUrl } = await sandbox.start();
  if (config.usingDevKey) say('Demo mode: credentials are sealed with the built-in dev key (set TETHER_ENCRYPTION_KEY for real data).');
  // What `npm start` runs (worker, bot, /healthz and /metrics), configured exactly as for Slack
  // but with the sandbox's Web API as SLACK_API_URL; the bot's HTTP port is an internal one.
  runtime = await startRuntime(
    {
      ...config,
      role: 'all',
      slack: { ...config.slack, botToken: 'xoxb-sandbox-not-a-real-token', appToken: null, signingSecret, apiUrl, port: 0, admins: [sandbox.userId], workspaceAdmins: false },
    },
    { log, bootstrap: { createDatabase: true } },
  );
  const { app, bot } = runtime;
  // Through the HTTP front, like Slack's requests in production.
  sandbox.botUrl = `http://127.0.0.1:${bot!.address!.port}/slack/events`;
  say(`Database ${new URL(config.databaseUrl).pathname.slice(1)} ready${app.migrationsApplied.length ? ` (applied ${app.migrationsApplied.length} migrations)` : ''}.`);
  const seed = await seedDemo(app.services, forSandbox);
  say(`Integrations: ${seed.integrations.join(', ')} — scheduled ${seed.specs.map((spec) => `${spec.key} ${spec.schedule!.cron}`).join(', ')}.`);
  say(`Catalog: ${seed.catalog}.`);

  say();
  say(`Local Slack sandbox: ${pageUrl}   (not Slack: a stand-in on this machine; nothing leaves it)`);
  say(`  Open it, then type /tether help or /tether sync demo-shop in #ops-sync. Ctrl+C stops the demo.`);
  say(`  The bot's own port: http://127.0.0.1:${runtime.port}/healthz and /metrics.`);
} catch (error) {
  const code = (error as { code?: string }).code;
  const why =
    code === 'EADDRINUSE'
      ? `port ${sandboxConfig.port} is already in use: set SANDBOX_PORT to a free port (e.g. SANDBOX_PORT=3100 npm run demo)`
      : code === 'ECONNREFUSED'
        ? `cannot reach PostgreSQL (check DATABASE_URL and that the server is up): ${(error as Error).message}`
        : (error as Error).message;
  await runtime?.stop().catch(() => {});
  await sandbox.stop().catch(() => {});
  fail(why);
}
