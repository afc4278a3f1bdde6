import type { SlackConfig } from '../../src/config/config.js';
import { createSlackBot, type SlackBot } from '../../src/slack/bot.js';
import type { Worker } from '../../src/scheduler/scheduler.js';
import type { Logger } from '../../src/sync/ports.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { FakeSocketMode } from '../fakes/fake-socket-mode.js';
import { captureLog } from './capture-log.js';
import { SlackHttpDriver, SlackSocketDriver } from './slack-requests.js';
import { startTestApp, testConfig, type TestApp } from './test-app.js';

export const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
export const ADMIN = 'U0ADMIN01';
/** Retries within a test's patience; the shape (outage vs channel problem) is the production one. */
export const FAST_BACKOFF = { transientStartMs: 200, transientCapMs: 1000, blockedStartMs: 300, blockedCapMs: 1000 };

/** The real app (services + worker) and the real Slack bot, talking to a FakeSlack. */
export interface SlackHarness {
  app: TestApp;
  slack: FakeSlack;
  bot: SlackBot;
  http: SlackHttpDriver;
  log: Logger & { lines: { level: string; msg: string | undefined; fields: Record<string, unknown> }[] };
  worker: Worker | null;
  /** A second bot process on the same database (delivery only), for exactly-once tests. */
  startSecondBot(): Promise<SlackBot>;
  stop(): Promise<void>;
}

export function slackConfigFor(slackUrl: string, overrides: Partial<SlackConfig> = {}): SlackConfig {
  return {
    botToken: 'xoxb-test-token',
    appToken: null,
    signingSecret: SIGNING_SECRET,
    apiUrl: slackUrl,
    port: 0,
    admins: [ADMIN],
    workspaceAdmins: true,
    ...overrides,
  };
}

export async function startSlackHarness(options: { worker?: boolean; socketMode?: boolean; startBot?: boolean } = {}): Promise<SlackHarness & { socket: FakeSocketMode | null; sdriver: SlackSocketDriver | null }> {
  const slack = new FakeSlack();
  const socket = options.socketMode ? new FakeSocketMode({ slack }) : null;
  const slackUrl = await slack.start();
  await socket?.start();
  const base = testConfig();
  const app = await startTestApp({ config: { ...base, scheduler: { ...base.scheduler, pollMs: 200 } } });
  const log = captureLog();
  const config = slackConfigFor(slackUrl, options.socketMode ? { appToken: 'xapp-1-test', signingSecret: null } : {});
  const bot = createSlackBot(app.services, config, log, { backoff: FAST_BACKOFF });
  if (options.startBot !== false) await bot.start();
  // The bot may be started later by the test: the driver finds its port when first used.
  let http: SlackHttpDriver | null = null;
  const driver = () => {
    if (!bot.address) throw new Error('the bot is not serving HTTP (not started, or Socket Mode)');
    http ??= new SlackHttpDriver(`http://127.0.0.1:${bot.address.port}`, SIGNING_SECRET, slack);
    return http;
  };
  const worker = options.worker ? await app.services.worker.start() : null;
  const others: SlackBot[] = [];
  return {
    app,
    slack,
    bot,
    get http() {
      return driver();
    },
    log,
    worker,
    socket,
    sdriver: socket ? new SlackSocketDriver(socket, slack) : null,
    async startSecondBot() {
      const second = createSlackBot(app.services, { ...config, port: 0 }, log, { backoff: FAST_BACKOFF });
      await second.start();
      others.push(second);
      return second;
    },
    async stop() {
      await worker?.stop();
      for (const other of others) await other.stop();
      await bot.stop();
      if (socket) {
        await socket.waitForAllClosed().catch(() => {});
        await socket.stop();
      }
      await app.destroy();
      await slack.stop();
    },
  };
}
