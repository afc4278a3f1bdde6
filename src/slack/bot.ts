import { hostname } from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type CustomRoute, type Logger as BoltLogger } from '@slack/bolt';
import { WebClient, type FetchFunction } from '@slack/web-api';
import type { SlackConfig } from '../config/config.js';
import type { Services } from '../services/services.js';
import type { Logger } from '../sync/ports.js';
import { registerAlertActions } from './actions/alert.actions.js';
import { registerItemsActions } from './actions/items.actions.js';
import { registerRunActions } from './actions/run.actions.js';
import { AdminCheck } from './admins.js';
import { registerTetherCommand } from './commands/tether.command.js';
import type { SlackContext } from './context.js';
import { SlackDelivery, type Backoff } from './delivery/delivery.js';
import { renderOutboxMessage } from './delivery/render.js';
import { registerAppHome } from './events/app-home.event.js';
import { HomePublisher } from './home.js';
import { startHttpFront, type HttpFront, type SlackAck } from './http-front.js';
import { registerResetView } from './views/reset.view.js';

export interface SlackBot {
  app: App;
  delivery: SlackDelivery;
  home: HomePublisher;
  /**
   * Bolt's HTTP server in HTTP mode (null in Socket Mode). Behind the HTTP front it listens on a
   * loopback port of its own; every request to PORT reaches it, unchanged, through the front.
   */
  server: Server | null;
  /** Where Slack reaches the bot in HTTP mode: PORT, the front's address (null in Socket Mode). */
  address: AddressInfo | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SlackBotOptions {
  backoff?: Partial<Backoff>;
  /** The Web API client's fetch (the operations module counts Slack's errors through it). */
  fetch?: FetchFunction;
  /** More paths on Slack's HTTP port (HTTP mode): /healthz and /metrics. */
  customRoutes?: CustomRoute[];
  /** false: Bolt listens on PORT itself, without the worker-thread HTTP front (benchmarks compare). */
  httpFront?: boolean;
  /** HTTP mode behind the front: how each Slack request was answered, how fast, by whom (the /metrics histogram). */
  onAck?: (ack: SlackAck) => void;
  /** With each request's signature (benchmarks match records by it). */
  ackSignatures?: boolean;
}

/**
 * A slash command Bolt has not acked by then (the main thread busy with a sync) is acked by the
 * HTTP front itself; Bolt's later ack body goes to the response_url (see early-ack.ts).
 */
const EARLY_ACK_MS = 150;

/** How long the background token check may take before it is reported as a timeout. */
const TOKEN_CHECK_TIMEOUT_MS = 10_000;

/**
 * The Slack app: `/tether`, buttons, modals, App Home, and delivery of the outbox. Socket Mode
 * when SLACK_APP_TOKEN is set, else HTTP on PORT (`/slack/events`, signed requests only).
 * Starting makes no Slack call that can hang: the token is checked in the background, and a bad
 * one is reported once while the process keeps serving what it can.
 */
export function createSlackBot(services: Services, slack: SlackConfig, log: Logger, options: SlackBotOptions = {}): SlackBot {
  const botToken = slack.botToken!;
  // A fresh object each time: Bolt's Socket Mode writes its own retry policy (100 retries) into
  // the options object it is given.
  const clientOptions = () => ({
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // No client retries: the outbox retries deliveries itself (a client retry of a post that
    // reached Slack would post it twice), 429s come back to us (the outbox waits Retry-After; a
    // modal must not wait minutes), and an outage fails a call at once instead of the default half
    // hour of retries.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 30_000,
  });
  const common = {
    authorize: async () => ({ botToken }),
    ignoreSelf: false,
    clientOptions: clientOptions(),
    logger: boltLogger(log),
  };
  const app = slack.appToken
    ? new App({ ...common, socketMode: true, appToken: slack.appToken })
    : new App({ ...common, signingSecret: slack.signingSecret!, processBeforeResponse: false, customRoutes: options.customRoutes ?? [] });
  // Calls outside a request (delivery, Home refresh, admin lookups) carry the bot token themselves.
  const client = new WebClient(botToken, { ...clientOptions(), logger: common.logger });
  const admins = new AdminCheck(slack.admins, slack.workspaceAdmins, client, log);
  const home = new HomePublisher(services, client, admins, log);
  const ctx: SlackContext = { services, log, admins, home };
  registerSurfaces(app, ctx);
  app.error(async (error) => {
    log.error({ err: error }, 'Slack request failed');
  });

  const delivery = new SlackDelivery({
    outbox: services.slackOutbox,
    client,
    render: (message) => renderOutboxMessage(services, message),
    log,
    owner: `${hostname()}:${process.pid}:${Date.now()}`,
    onRunFinished: () => home.refreshSoon(),
    backoff: options.backoff,
  });

  let front: HttpFront | null = null;
  const bot: SlackBot = {
    app,
    delivery,
    home,
    server: null,
    address: null,
    async start() {
      if (slack.appToken) await app.start();
      else if (options.httpFront === false) {
        bot.server = (await app.start(slack.port)) as Server;
        bot.address = bot.server.address() as AddressInfo;
      } else {
        ({ server: bot.server, front } = await startBehindFront(app, slack.port, slack.signingSecret!, log, options));
        bot.address = front.address;
      }
      await delivery.start();
      void checkToken(client, log);
    },
    async stop() {
      if (front) {
        await front.stop();
        // What is left on Bolt's server came through the front, which has finished its requests:
        // idle, or stuck on a body Bolt refused to read (413), which would hold its close forever.
        bot.server?.closeAllConnections();
      }
      home.stop();
      await delivery.stop();
      await app.stop().catch(() => {});
    },
  };
  return bot;
}

/** Every command, action, view and event the app answers (the manifest test registers them on a recorder). */
export function registerSurfaces(app: App, ctx: SlackContext): void {
  registerTetherCommand(app, ctx);
  registerItemsActions(app, ctx);
  registerRunActions(app, ctx);
  registerResetView(app, ctx);
  registerAppHome(app, ctx);
  registerAlertActions(app, ctx);
}

/**
 * Bolt on a loopback port, and the HTTP front (a worker thread) on `port`: new connections are
 * accepted on the front's idle event loop, not between a sync's CPU chunks (see http-front.ts).
 */
async function startBehindFront(app: App, port: number, signingSecret: string, log: Logger, acks: Pick<SlackBotOptions, 'onAck' | 'ackSignatures'>): Promise<{ server: Server; front: HttpFront }> {
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  // Only the front connects here; it keeps its connections for reuse and closes them itself.
  server.keepAliveTimeout = 0;
  try {
    const front = await startHttpFront({
      port,
      upstream: { host: '127.0.0.1', port: (server.address() as AddressInfo).port },
      earlyAck: { signingSecret, deadlineMs: EARLY_ACK_MS },
      ...(acks.onAck ? { onAck: acks.onAck, ackSignatures: acks.ackSignatures ?? false } : {}),
      log,
    });
    return { server, front };
  } catch (error) {
    await app.stop().catch(() => {});
    throw error;
  }
}

/** Tells, once and clearly, when Slack rejects the bot token; never blocks start-up. */
async function checkToken(client: WebClient, log: Logger): Promise<void> {
  try {
    const answer = await Promise.race([
      client.auth.test(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TOKEN_CHECK_TIMEOUT_MS / 1000} s`)), TOKEN_CHECK_TIMEOUT_MS).unref()),
    ]);
    log.info({ team: answer.team, botUser: answer.user }, 'connected to Slack');
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    log.error(
      { error: code ?? (error as Error).message },
      code
        ? `Slack rejects SLACK_BOT_TOKEN (${code}): reinstall the app to the workspace and set the new xoxb- token. Syncs keep running; messages wait in the outbox.`
        : `Could not reach Slack to check SLACK_BOT_TOKEN (${(error as Error).message}); messages wait in the outbox until it answers.`,
    );
  }
}

/**
 * Bolt's logger on ours; Bolt's own chatter goes to debug. Each call goes through `log.x(...)`:
 * pino's methods read `this`, so handing them over unbound crashed the process on Bolt's first
 * warning (e.g. an unsigned request).
 */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]) => parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ');
  return {
    debug: (...parts) => log.debug({ source: 'bolt' }, text(parts)),
    info: (...parts) => log.debug({ source: 'bolt' }, text(parts)),
    warn: (...parts) => log.warn({ source: 'bolt' }, text(parts)),
    error: (...parts) => log.error({ source: 'bolt' }, text(parts)),
    setLevel: (next) => (level = next),
    getLevel: () => level,
    setName: () => {},
  };
}
