/**
 * What `npm start` runs: the app, the worker and/or the Slack bot, and the operations endpoints
 * (/healthz, /metrics) — on Bolt's port in HTTP mode, on a small server of our own on PORT in
 * Socket Mode and in the worker role. `stop()` is the graceful shutdown.
 */
import type { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { bootstrap, type App, type BootstrapOptions } from './app.js';
import type { Config } from './config/config.js';
import { OpsRepository } from './db/ops.repository.js';
import { createPool } from './db/pool.js';
import { CHECK_TIMEOUT_MS } from './ops/health-check.js';
import { Metrics } from './ops/metrics.js';
import { closeServer, opsRoutes, startOpsServer } from './ops/ops-http.js';
import { SlackWatch } from './ops/slack-watch.js';
import { HEARTBEAT_EVERY_MS, type Worker } from './scheduler/scheduler.js';
import { createSlackBot, type SlackBot, type SlackBotOptions } from './slack/bot.js';
import type { Logger } from './sync/ports.js';

/** Three missed heartbeats: the worker is stuck, or cannot reach the database. */
export const WORKER_STALE_MS = HEARTBEAT_EVERY_MS * 3;

export interface RuntimeOptions {
  log: Logger;
  /** Passed to bootstrap (tests create their database). */
  bootstrap?: Partial<BootstrapOptions>;
  slack?: Pick<SlackBotOptions, 'backoff'>;
}

export interface Runtime {
  app: App;
  worker: Worker | null;
  bot: SlackBot | null;
  metrics: Metrics;
  slackWatch: SlackWatch | null;
  /** The port /healthz and /metrics answer on (Bolt's in HTTP mode). */
  port: number;
  /** Graceful shutdown; safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts what `config.role` asks for. On a failure, what already started is stopped before the error is thrown. */
export async function startRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const { log } = options;
  // Health checks and scrapes get connections of their own, with short timeouts.
  const opsPool = createPool(config.databaseUrl, 2, { connectionTimeoutMillis: CHECK_TIMEOUT_MS, statement_timeout: CHECK_TIMEOUT_MS });
  const ops = new OpsRepository(opsPool, !config.scheduler.mongoUrl);
  const metrics = new Metrics(ops, WORKER_STALE_MS);
  const runsBot = config.role !== 'worker';
  const slackWatch = runsBot ? new SlackWatch(config.slack.appToken ? 'socket' : 'http', (failure) => metrics.recordSlackError(failure)) : null;
  let stopping = false;
  const parts: { app: App | null; worker: Worker | null; bot: SlackBot | null; server: Server | null } = { app: null, worker: null, bot: null, server: null };
  const routes = opsRoutes(
    {
      ops,
      workerId: () => parts.worker?.id ?? null,
      workerStaleMs: WORKER_STALE_MS,
      slack: () => slackWatch?.snapshot() ?? null,
      outboxMaxOverdueMs: runsBot ? config.ops.outboxMaxOverdueMs : null,
      stopping: () => stopping,
    },
    metrics,
    log,
  );

  let stopped: Promise<void> | null = null;
  const stop = () => (stopped ??= shutdown());
  const shutdown = async () => {
    stopping = true;
    // 1. No new jobs; running syncs finish, or end `interrupted` after WORKER_DRAIN_GRACE_MS.
    await parts.worker?.stop().catch((error) => log.warn({ err: error }, 'worker stop failed'));
    // 2. Deliver what the last runs wrote to the outbox, for a bounded time (the rest waits for the next bot).
    if (parts.bot && parts.app) await flushOutbox(parts.bot, parts.app.services.slackOutbox, config.ops.shutdownFlushMs, log);
    await parts.bot?.stop().catch((error) => log.warn({ err: error }, 'Slack bot stop failed'));
    if (parts.server) await closeServer(parts.server);
    // 3. Close the database last.
    await parts.app?.close().catch((error) => log.warn({ err: error }, 'closing the database failed'));
    await opsPool.end().catch(() => {});
  };

  try {
    parts.app = await bootstrap(config, { log, ...options.bootstrap, observer: chainObservers(metrics.observer, options.bootstrap?.observer) });
    if (config.role !== 'bot') parts.worker = await parts.app.services.worker.start();
    if (runsBot) {
      const socketMode = Boolean(config.slack.appToken);
      parts.bot = createSlackBot(parts.app.services, config.slack, log, {
        ...options.slack,
        fetch: slackWatch!.fetch(),
        onAck: (ack) => metrics.recordSlackAck(ack),
        ...(socketMode ? {} : { customRoutes: routes.customRoutes }),
      });
      // Followed before start(): the first `connected` comes while start() waits for it.
      const socket = (parts.bot.app as unknown as { receiver?: { client?: EventEmitter } }).receiver?.client;
      if (socketMode && socket) slackWatch!.followSocket(socket);
      await parts.bot.start();
    }
    if (!parts.bot?.server) parts.server = await startOpsServer(routes, config.slack.port);
  } catch (error) {
    await stop();
    throw error;
  }
  // HTTP mode: PORT is the bot's front (Bolt itself listens on loopback behind it).
  const port = parts.bot?.address?.port ?? (parts.server!.address() as AddressInfo).port;
  return {
    app: parts.app,
    worker: parts.worker,
    bot: parts.bot,
    metrics,
    slackWatch,
    port,
    stop,
  };
}

/**
 * Delivers what is due until nothing due is left before the deadline (a final edit may wait a
 * few seconds for Slack's edit throttle); messages Slack refuses for now stay for the next bot.
 */
async function flushOutbox(bot: SlackBot, outbox: { soonestDue(): Promise<Date | null> }, ms: number, log: Logger): Promise<void> {
  const deadline = Date.now() + ms;
  const deliverDue = async () => {
    for (;;) {
      bot.delivery.wake();
      await bot.delivery.idle();
      const next = await outbox.soonestDue();
      if (!next || next.getTime() > deadline) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, next.getTime() - Date.now() + 20)));
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    deliverDue().catch((error) => (log.warn({ err: error }, 'Slack delivery failed at shutdown'), false)),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  if (!done) log.warn({ waitedMs: ms }, 'Slack messages still waiting at shutdown: the next bot process delivers them');
}

function chainObservers(...observers: (BootstrapOptions['observer'] | undefined)[]): BootstrapOptions['observer'] {
  const present = observers.filter((o): o is NonNullable<typeof o> => o !== undefined);
  return {
    executionStarted: async (execution) => {
      for (const o of present) await o.executionStarted?.(execution);
    },
    pageStaged: async (id, page) => {
      for (const o of present) await o.pageStaged?.(id, page);
    },
    pageCommitted: async (id, page, progress) => {
      for (const o of present) await o.pageCommitted?.(id, page, progress);
    },
    executionFinished: async (execution) => {
      for (const o of present) await o.executionFinished?.(execution);
    },
  };
}

