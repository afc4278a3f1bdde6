/**
 * `npm start`: the Slack bot, the scheduler worker and the engine in one process, or one part of
 * them with TETHER_ROLE=bot|worker. Only bot processes talk to Slack.
 */
import { bootstrap } from './app.js';
import { loadConfig, readRunMode, requireSlackConfig } from './config/config.js';
import { createLogger } from './logging.js';
import { createSlackBot } from './slack/bot.js';

let config;
try {
  config = loadConfig(process.env, readRunMode(process.env));
  requireSlackConfig(config);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
const log = createLogger(config.logLevel);
const app = await bootstrap(config, { log }).catch((error) => {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(2);
});
const { services } = app;
const worker = config.role === 'bot' ? null : await services.worker.start();
const bot = config.role === 'worker' ? null : createSlackBot(services, config.slack, log);
await bot?.start();
log.info(
  { role: config.role, transport: bot ? (config.slack.appToken ? 'socket-mode' : `http:${config.slack.port}`) : null },
  `tether running (${config.role === 'all' ? 'Slack bot + worker' : config.role})`,
);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) process.exit(130);
  stopping = true;
  log.info({ signal }, 'stopping: draining running syncs and Slack deliveries');
  await bot?.stop();
  await worker?.stop();
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
