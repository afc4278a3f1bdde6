/**
 * `npm start`: the Slack bot, the scheduler worker and the engine in one process, or one part of
 * them with TETHER_ROLE=bot|worker. Only bot processes talk to Slack.
 */
import { bootstrap } from './app.js';
import { loadConfig, readRunMode, requireSlackConfig, type Config } from './config/config.js';
import { createLogger } from './logging.js';
import { createSlackBot, type SlackBot } from './slack/bot.js';
import type { Worker } from './scheduler/scheduler.js';

/** One line on stderr and exit 2: a start-up problem is the operator's to fix, not a crash. */
function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

let config: Config;
try {
  config = loadConfig(process.env, readRunMode(process.env));
  requireSlackConfig(config);
} catch (error) {
  fail((error as Error).message);
}
const log = createLogger(config.logLevel);

let worker: Worker | null = null;
let bot: SlackBot | null = null;
let app: Awaited<ReturnType<typeof bootstrap>> | null = null;
let stopping = false;
// Signals are handled from the start: a stop while starting still drains what already runs.
const stop = async (signal: string) => {
  if (stopping) process.exit(130);
  stopping = true;
  log.info({ signal }, 'stopping: draining running syncs and Slack deliveries');
  await bot?.stop().catch((error) => log.warn({ err: error }, 'Slack bot stop failed'));
  await worker?.stop().catch((error) => log.warn({ err: error }, 'worker stop failed'));
  await app?.close().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  app = await bootstrap(config, { log });
  if (config.role !== 'bot') worker = await app.services.worker.start();
  if (config.role !== 'worker') {
    bot = createSlackBot(app.services, config.slack, log);
    await bot.start();
  }
} catch (error) {
  const code = (error as { code?: string }).code;
  const why =
    code === 'EADDRINUSE'
      ? `port ${config.slack.port} is already in use: set PORT to a free port`
      : code === 'ECONNREFUSED'
        ? `cannot reach PostgreSQL (check DATABASE_URL and that the server is up): ${(error as Error).message}`
        : (error as Error).message;
  await worker?.stop().catch(() => {});
  await app?.close().catch(() => {});
  fail(why);
}
log.info(
  { role: config.role, transport: bot ? (config.slack.appToken ? 'socket-mode' : `http:${config.slack.port}`) : null },
  `tether running (${config.role === 'all' ? 'Slack bot + worker' : config.role})`,
);
