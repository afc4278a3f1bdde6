import { userInfo } from 'node:os';
import { bootstrap, type AppServices } from '../app.js';
import { loadConfig, readRunMode } from '../config/config.js';
import { createLogger } from '../logging.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { SyncObserver } from '../sync/ports.js';

/** What every command gets: output streams, env, and the app, started on first use. */
export class CliContext {
  private started: Promise<AppServices> | null = null;
  private scheduling: Promise<Scheduler> | null = null;

  constructor(
    readonly argv: string[],
    readonly env: NodeJS.ProcessEnv,
    readonly out: (text: string) => void,
    readonly err: (text: string) => void,
    private readonly observer?: SyncObserver,
  ) {}

  app(): Promise<AppServices> {
    if (!this.started) {
      // Config errors surface here, naming the bad variable; the CLI is quiet unless LOG_LEVEL asks.
      const config = loadConfig(this.env, readRunMode(this.env), { logLevel: 'error' });
      this.started = bootstrap(config, { log: createLogger(config.logLevel), observer: this.observer });
    }
    return this.started;
  }

  /** Agenda, connected on first use (integrations apply, sync --queue, schedule, worker). */
  scheduler(): Promise<Scheduler> {
    this.scheduling ??= this.app().then((app) => Scheduler.open(app));
    return this.scheduling;
  }

  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  /** Who is acting, for the audit log: --by, else the OS user. */
  actor(by: string | undefined): string {
    if (by?.trim()) return by.trim();
    try {
      return `cli:${userInfo().username}`;
    } catch {
      return 'cli';
    }
  }

  async close(): Promise<void> {
    const scheduler = await this.scheduling?.catch(() => null);
    await scheduler?.close();
    if (!this.started) return;
    const app = await this.started.catch(() => null);
    await app?.close();
  }
}
