import { userInfo } from 'node:os';
import { bootstrap, type App } from '../app.js';
import { loadConfig, readRunMode } from '../config/config.js';
import { createLogger } from '../logging.js';
import type { Services } from '../services/services.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /**
   * A progress line that replaces the previous one (null clears it). Only given when stderr is a
   * terminal; scripts and pipes get no progress noise.
   */
  progress?(line: string | null): void;
}

/** What every command gets: output streams, env, and the services, started on first use. */
export class CliContext {
  private started: Promise<App> | null = null;

  constructor(
    readonly argv: string[],
    readonly env: NodeJS.ProcessEnv,
    readonly io: CliIo,
  ) {}

  out(text: string): void {
    this.io.out(text);
  }

  err(text: string): void {
    this.io.err(text);
  }

  /**
   * The services, started on first use. Only `migrate` creates a missing database: anywhere else
   * a mistyped DATABASE_URL is refused instead of creating an empty database.
   */
  async services(options: { createDatabase?: boolean } = {}): Promise<Services> {
    return (await this.app(options)).services;
  }

  /** Names of the migrations applied when the services started. */
  async migrationsApplied(options: { createDatabase?: boolean } = {}): Promise<string[]> {
    return (await this.app(options)).migrationsApplied;
  }

  private app(options: { createDatabase?: boolean }): Promise<App> {
    if (!this.started) {
      // Config errors surface here, naming the bad variable; the CLI is quiet unless LOG_LEVEL asks.
      // `migrate` seals nothing: it runs without TETHER_ENCRYPTION_KEY.
      const config = loadConfig(this.env, readRunMode(this.env), { logLevel: 'error', needsKey: !options.createDatabase });
      this.started = bootstrap(config, { log: createLogger(config.logLevel), createDatabase: options.createDatabase === true });
    }
    return this.started;
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
    if (!this.started) return;
    const app = await this.started.catch(() => null);
    await app?.close();
  }
}
