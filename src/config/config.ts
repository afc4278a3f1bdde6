import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds } from '../domain/health.js';

/** A key anyone can read in this repository: only for the demo and the tests, never for real data. */
export const DEV_ENCRYPTION_KEY = Buffer.alloc(32, 'tether-dev-key-not-for-production').toString('base64');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface Config {
  databaseUrl: string;
  encryptionKey: Buffer;
  /** Keys credentials may still be sealed with (TETHER_PREVIOUS_KEYS): they open, never seal. */
  previousKeys: Buffer[];
  /** True when the current key is the public dev key (demo and test only): it seals only into their own databases. */
  usingDevKey: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  scheduler: SchedulerConfig;
  slack: SlackConfig;
  /** Which parts `npm start` runs in this process. */
  role: Role;
  /** Health indicator thresholds (HEALTH_*). */
  health: HealthThresholds;
  /** /healthz, /metrics and shutdown. */
  ops: OpsConfig;
  /** How long sync items are kept, and how the purge paces itself (TETHER_ITEM_RETENTION_DAYS, TETHER_PURGE_*). */
  retention: RetentionConfig;
}

export interface OpsConfig {
  /** A Slack message due longer than this (not picked up by delivery) makes /healthz of a bot process fail. */
  outboxMaxOverdueMs: number;
  /** On SIGTERM, how long a bot process keeps delivering the outbox after the syncs stopped. */
  shutdownFlushMs: number;
}

export interface RetentionConfig {
  /** Items of executions that ended more than this many days ago are purged; null = kept forever ("off"). */
  itemRetentionDays: number | null;
  /** Items deleted per transaction: small, so a running sync never waits on the purge for long. */
  purgeBatchSize: number;
  /** Least pause between two batches (at least as long as the batch took; 0 = no pause), leaving the database to the syncs. */
  purgePauseMs: number;
}

export const DEFAULT_ITEM_RETENTION_DAYS = 30;

export const ROLES = ['all', 'bot', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export interface SlackConfig {
  /** xoxb-… (required for the bot role). */
  botToken: string | null;
  /** xapp-…: when set, the bot connects with Socket Mode instead of serving HTTP. */
  appToken: string | null;
  /** Verifies Slack's HTTP requests (required for HTTP mode). */
  signingSecret: string | null;
  /** Another Web API base URL (proxies, tests); null = Slack's own. */
  apiUrl: string | null;
  /** HTTP port for /slack/events (HTTP mode). */
  port: number;
  /** Slack user ids allowed admin actions (TETHER_ADMINS). */
  admins: string[];
  /** Workspace admins and owners are admins too (users.info). */
  workspaceAdmins: boolean;
}

export interface SchedulerConfig {
  /** When set, Agenda keeps its jobs in MongoDB instead of PostgreSQL. */
  mongoUrl: string | null;
  /** Syncs one worker runs at once. */
  concurrency: number;
  /** A job locked longer than this by a worker that stopped answering is picked up by another. */
  lockLifetimeMs: number;
  /** How often a worker looks for due jobs. */
  pollMs: number;
  /** On SIGTERM, how long running syncs may take to finish before they are stopped (`interrupted`). */
  drainGraceMs: number;
}

export type RunMode = 'production' | 'demo' | 'test';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const KEY_FORMAT = 'a base64-encoded 32-byte key (generate one with: openssl rand -base64 32)';
const isBase64Key = (value: string) => Buffer.from(value, 'base64').length === 32 && /^[A-Za-z0-9+/]+=*$/.test(value);

const base64Key = z.string().refine(isBase64Key, { message: `must be ${KEY_FORMAT}` });

/** Comma-separated keys; a bad entry is named by its position, never printed. */
const base64KeyList = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
  .superRefine((entries, ctx) => {
    entries.forEach((entry, index) => {
      if (!isBase64Key(entry)) ctx.addIssue({ code: 'custom', message: `entry ${index + 1} of ${entries.length} is not ${KEY_FORMAT}` });
    });
  });

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default('postgres://postgres@127.0.0.1:5432/tether')
    .refine((value) => /^postgres(ql)?:\/\/.+\/[^/?]+/.test(value), {
      message: 'must be a postgres:// URL that names a database, e.g. postgres://user@host:5432/tether',
    }),
  TETHER_ENCRYPTION_KEY: base64Key.optional(),
  TETHER_PREVIOUS_KEYS: base64KeyList.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  AGENDA_MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, { message: 'must be a mongodb:// URL' })
    .optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WORKER_LOCK_LIFETIME_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  WORKER_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(1000),
  WORKER_DRAIN_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  TETHER_ROLE: z.enum(ROLES, { error: 'must be one of all, bot, worker' }).default('all'),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-\S+$/, { message: 'must be a bot token starting with xoxb- (OAuth & Permissions page of your Slack app)' }).optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-\S+$/, { message: 'must be an app-level token starting with xapp- with the connections:write scope (Basic Information page)' }).optional(),
  SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-f]{16,}$/i, { message: 'must be the signing secret from the Basic Information page (hex)' }).optional(),
  SLACK_API_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL ending in /api/, e.g. https://slack.com/api/' })
    .optional(),
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
  TETHER_ADMINS: z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .superRefine((ids, ctx) => {
      for (const id of ids) if (!/^[UW][A-Z0-9]{2,}$/.test(id)) ctx.addIssue({ code: 'custom', message: `"${id}" is not a Slack user id (like U012AB3CD)` });
    })
    .optional(),
  TETHER_WORKSPACE_ADMINS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  HEALTHZ_OUTBOX_MAX_OVERDUE_SECONDS: envNumber('seconds a due Slack message may wait before /healthz fails', 10, 86_400, 300),
  SHUTDOWN_FLUSH_MS: envNumber('milliseconds a stopping bot keeps delivering Slack messages', 0, 600_000, 10_000),
  ...healthEnv(),
  TETHER_ITEM_RETENTION_DAYS: retentionDays(),
  TETHER_PURGE_BATCH_SIZE: envNumber('items deleted per purge transaction', 1, 100_000, 5000),
  TETHER_PURGE_PAUSE_MS: envNumber('least pause between two purge batches, in milliseconds; 0 = none', 0, 60_000, 100),
});

/** Whole days from 1 to 36500, or "off" (null) to keep items forever. 0 is refused: it would purge every finished run at once. */
function retentionDays() {
  const message = `must be a whole number of days from 1 to 36500, or "off" to keep items forever (default ${DEFAULT_ITEM_RETENTION_DAYS})`;
  return z
    .string()
    .default(String(DEFAULT_ITEM_RETENTION_DAYS))
    .transform((value, ctx) => {
      const text = value.trim().toLowerCase();
      if (text === 'off') return null;
      if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 36_500) {
        ctx.addIssue({ code: 'custom', message: `${message} (got "${value}")` });
        return z.NEVER;
      }
      return Number(text);
    });
}

/** A number from the environment, with a message that says what is allowed and what it is for. */
function envNumber(what: string, min: number, max: number, fallback: number, options: { whole?: boolean; above?: boolean } = {}) {
  const whole = options.whole !== false;
  const bounds = options.above ? `above ${min} and at most ${max}` : `from ${min} to ${max}`;
  const message = `must be ${whole ? 'a whole number' : 'a number'} ${bounds} (${what}; default ${fallback})`;
  return z.coerce
    .number({ error: message })
    .refine((value) => Number.isFinite(value) && (!whole || Number.isInteger(value)), { message })
    .refine((value) => (options.above ? value > min : value >= min) && value <= max, { message })
    .default(fallback);
}

function healthEnv() {
  const d = DEFAULT_HEALTH_THRESHOLDS;
  return {
    HEALTH_WINDOW: envNumber('earlier runs in a baseline', 2, 200, d.window),
    HEALTH_MIN_RUNS: envNumber('runs needed before a statistical indicator flags', 2, 200, d.minRuns),
    HEALTH_FAILURES_IN_A_ROW: envNumber('failed runs in a row that need attention', 1, 100, d.failuresInARow),
    HEALTH_MAD_K: envNumber('how many scaled MADs from the median count as far away', 0, 100, d.madK, { whole: false, above: true }),
    HEALTH_RECENT_RUNS: envNumber('newest runs compared for a rising failed count', 1, 20, d.recentRuns),
    HEALTH_FAILED_MIN_RISE: envNumber('smallest rise in failed items a run that counts', 0, 1_000_000_000, d.failedMinRise),
    HEALTH_FETCHED_DROP_RATIO: envNumber('a drop must be below this share of the median records fetched', 0, 1, d.fetchedDropRatio, { whole: false, above: true }),
    HEALTH_DURATION_RATIO: envNumber('a slow run must take more than this multiple of the median', 1, 1000, d.durationRatio, { whole: false }),
    HEALTH_DURATION_FLOOR_MS: envNumber('runs shorter than this never count as slow', 0, 86_400_000, d.durationFloorMs),
  };
}

/** The health thresholds, checked against each other. */
function healthThresholds(env: z.infer<typeof envSchema>): HealthThresholds {
  const health: HealthThresholds = {
    window: env.HEALTH_WINDOW,
    minRuns: env.HEALTH_MIN_RUNS,
    failuresInARow: env.HEALTH_FAILURES_IN_A_ROW,
    madK: env.HEALTH_MAD_K,
    recentRuns: env.HEALTH_RECENT_RUNS,
    failedMinRise: env.HEALTH_FAILED_MIN_RISE,
    fetchedDropRatio: env.HEALTH_FETCHED_DROP_RATIO,
    durationRatio: env.HEALTH_DURATION_RATIO,
    durationFloorMs: env.HEALTH_DURATION_FLOOR_MS,
  };
  const problems: string[] = [];
  if (health.minRuns > health.window + 1) {
    problems.push(`HEALTH_MIN_RUNS must be at most HEALTH_WINDOW + 1 (the newest run and its baseline): got ${health.minRuns} with HEALTH_WINDOW ${health.window}`);
  }
  if (health.recentRuns >= health.minRuns) {
    problems.push(`HEALTH_RECENT_RUNS must be below HEALTH_MIN_RUNS, so the recent runs have earlier ones to compare with: got ${health.recentRuns} with HEALTH_MIN_RUNS ${health.minRuns}`);
  }
  if (problems.length) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return health;
}

/**
 * The only reader of process.env. Fails with one message naming every bad or missing variable.
 * `mode` is 'demo' or 'test' when a labelled dev key may stand in for TETHER_ENCRYPTION_KEY.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  mode: RunMode = 'production',
  defaults: { logLevel?: Config['logLevel']; /** false: nothing will be sealed or opened (e.g. `tether migrate`). */ needsKey?: boolean } = {},
): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  if (defaults.logLevel && cleaned.LOG_LEVEL === undefined) cleaned.LOG_LEVEL = defaults.logLevel;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const { DATABASE_URL, TETHER_ENCRYPTION_KEY, LOG_LEVEL } = parsed.data;
  const scheduler: SchedulerConfig = {
    mongoUrl: parsed.data.AGENDA_MONGO_URL ?? null,
    concurrency: parsed.data.WORKER_CONCURRENCY,
    lockLifetimeMs: parsed.data.WORKER_LOCK_LIFETIME_MS,
    pollMs: parsed.data.WORKER_POLL_MS,
    drainGraceMs: parsed.data.WORKER_DRAIN_GRACE_MS,
  };
  if (!TETHER_ENCRYPTION_KEY && mode === 'production' && defaults.needsKey !== false) {
    throw new ConfigError(
      'Invalid configuration: TETHER_ENCRYPTION_KEY is required (a base64-encoded 32-byte key; ' +
        'generate one with: openssl rand -base64 32). To browse the demo database instead, prefix the command with TETHER_MODE=demo.',
    );
  }
  // Without a key where none is needed, a throwaway one: it can neither open nor seal anything kept.
  const fallbackKey = mode === 'production' ? randomBytes(32).toString('base64') : DEV_ENCRYPTION_KEY;
  const encryptionKey = Buffer.from(TETHER_ENCRYPTION_KEY ?? fallbackKey, 'base64');
  // The dev key is public: set explicitly it is still the dev key, and never a production key.
  const usingDevKey = encryptionKey.equals(Buffer.from(DEV_ENCRYPTION_KEY, 'base64'));
  if (usingDevKey && mode === 'production') {
    throw new ConfigError(
      'Invalid configuration: TETHER_ENCRYPTION_KEY is the public dev key from this repository; ' +
        'generate a key of your own with: openssl rand -base64 32',
    );
  }
  return {
    databaseUrl: DATABASE_URL,
    encryptionKey,
    previousKeys: (parsed.data.TETHER_PREVIOUS_KEYS ?? []).map((entry) => Buffer.from(entry, 'base64')),
    usingDevKey,
    logLevel: LOG_LEVEL,
    scheduler,
    role: parsed.data.TETHER_ROLE,
    health: healthThresholds(parsed.data),
    ops: { outboxMaxOverdueMs: parsed.data.HEALTHZ_OUTBOX_MAX_OVERDUE_SECONDS * 1000, shutdownFlushMs: parsed.data.SHUTDOWN_FLUSH_MS },
    retention: {
      itemRetentionDays: parsed.data.TETHER_ITEM_RETENTION_DAYS,
      purgeBatchSize: parsed.data.TETHER_PURGE_BATCH_SIZE,
      purgePauseMs: parsed.data.TETHER_PURGE_PAUSE_MS,
    },
    slack: {
      botToken: parsed.data.SLACK_BOT_TOKEN ?? null,
      appToken: parsed.data.SLACK_APP_TOKEN ?? null,
      signingSecret: parsed.data.SLACK_SIGNING_SECRET ?? null,
      apiUrl: parsed.data.SLACK_API_URL ? parsed.data.SLACK_API_URL.replace(/\/?$/, '/') : null,
      port: parsed.data.PORT,
      admins: parsed.data.TETHER_ADMINS ?? [],
      workspaceAdmins: parsed.data.TETHER_WORKSPACE_ADMINS === 'true',
    },
  };
}

/**
 * What a process that talks to Slack (role `all` or `bot`) needs on top: the bot token, and the
 * signing secret unless Socket Mode is on. Names the missing variable and where to find it.
 */
export function requireSlackConfig(config: Config): void {
  if (config.role === 'worker') return;
  const missing: string[] = [];
  if (!config.slack.botToken) missing.push('SLACK_BOT_TOKEN is required (the xoxb- bot token from the OAuth & Permissions page)');
  if (!config.slack.appToken && !config.slack.signingSecret) {
    missing.push('SLACK_SIGNING_SECRET is required for HTTP mode (Basic Information page), or set SLACK_APP_TOKEN (xapp-) for Socket Mode');
  }
  if (missing.length) {
    throw new ConfigError(`Invalid configuration: ${missing.join('; ')}. TETHER_ROLE=worker runs syncs without Slack.`);
  }
}

/** Which mode the CLI runs in: TETHER_MODE=demo|test lets the dev key stand in. */
export function readRunMode(env: NodeJS.ProcessEnv): RunMode {
  const mode = env.TETHER_MODE;
  if (mode === undefined || mode === '' || mode === 'production') return 'production';
  if (mode === 'demo' || mode === 'test') return mode;
  throw new ConfigError(`Invalid configuration: TETHER_MODE must be one of production, demo, test (got "${mode}")`);
}

/** The port /healthz answers on, for the container's HEALTHCHECK (which needs nothing else from the environment). */
export function readPort(env: NodeJS.ProcessEnv): number {
  const parsed = envSchema.shape.PORT.safeParse(env.PORT === '' ? undefined : env.PORT);
  if (!parsed.success) throw new ConfigError(`Invalid configuration: PORT ${parsed.error.issues[0]?.message ?? 'is not a port number'}`);
  return parsed.data;
}
