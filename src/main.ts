/**
 * `npm start`: the Slack bot, the scheduler worker and the engine in one process, or one part of
 * them with TETHER_ROLE=bot|worker, plus /healthz and /metrics on PORT. Only bot processes talk
 * to Slack. SIGTERM/SIGINT stop it gracefully (see runtime.ts); a second signal exits at once.
 */
import { loadConfig, readRunMode, requireSlackConfig, type Config } from './config/config.js';
import { createLogger } from './logging.js';
import { startRuntime, type Runtime } from './runtime.js';

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

let runtime: Runtime | null = null;
let stopRequested: string | null = null;
const stop = async (signal: string) => {
  if (stopRequested) process.exit(130);
  stopRequested = signal;
  // A signal while starting is handled once start-up returns (or fails).
  if (!runtime) return;
  log.info({ signal }, 'stopping: no new jobs; running syncs finish, then Slack deliveries, then the database closes');
  await runtime.stop();
  log.info({ signal }, 'stopped');
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  runtime = await startRuntime(config, { log });
} catch (error) {
  const code = (error as { code?: string }).code;
  fail(
    code === 'EADDRINUSE'
      ? `port ${config.slack.port} is already in use: set PORT to a free port`
      : code === 'ECONNREFUSED'
        ? `cannot reach PostgreSQL (check DATABASE_URL and that the server is up): ${(error as Error).message}`
        : (error as Error).message,
  );
}
log.info(
  { role: config.role, transport: runtime.bot ? (config.slack.appToken ? 'socket-mode' : 'http') : null, port: runtime.port },
  `tether running (${config.role === 'all' ? 'Slack bot + worker' : config.role}); /healthz and /metrics on port ${runtime.port}`,
);
if (stopRequested) {
  const signal = stopRequested;
  stopRequested = null;
  await stop(signal);
}
