import type { OpsRepository } from '../db/ops.repository.js';
import type { SlackState } from './slack-watch.js';

/** How long one check may take before it counts as failed (a hung database must not hang /healthz). */
export const CHECK_TIMEOUT_MS = 2_000;
/** Socket Mode may reconnect; down longer than this is unhealthy. */
export const SLACK_RECONNECT_GRACE_MS = 60_000;

export interface HealthDeps {
  ops: OpsRepository;
  /** The worker this process runs, or null (bot role). */
  workerId: () => string | null;
  /** A heartbeat older than this means the worker is stuck or cannot reach the database. */
  workerStaleMs: number;
  /** The Slack side of this process, or null (worker role). */
  slack: () => SlackState | null;
  /** This process delivers the outbox (bot role): a message due longer than this means delivery is stuck. */
  outboxMaxOverdueMs: number | null;
  /** True once SIGTERM arrived: the process finishes its work and takes no more. */
  stopping: () => boolean;
  now?: () => Date;
}

export interface HealthReport {
  status: 'ok' | 'unhealthy';
  /** Why it is unhealthy, one phrase per problem. */
  problems: string[];
  stopping: boolean;
  database: { ok: boolean; latencyMs: number; error?: string };
  worker:
    | { here: true; id: string; alive: boolean; lastHeartbeatAt: string | null; heartbeatAgeSeconds: number | null }
    | { here: false; aliveElsewhere: number | null };
  slack:
    | (Omit<SlackState, 'connectionSince' | 'lastApiError' | 'lastApiOkAt'> & {
        connectionSince: string;
        lastApiOkAt: string | null;
        lastApiError: { method: string; error: string; at: string } | null;
      })
    | null;
  outbox: { pending: number; oldestSeconds: number; overdueSeconds: number } | null;
}

/** Everything /healthz says. Each check is bounded by CHECK_TIMEOUT_MS and runs in parallel. */
export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const now = deps.now ?? (() => new Date());
  const problems: string[] = [];
  const started = Date.now();
  const workerId = deps.workerId();
  const [ping, heartbeat, alive, outbox] = await Promise.allSettled([
    bounded(deps.ops.ping()),
    workerId ? bounded(deps.ops.heartbeat(workerId)) : Promise.resolve(null),
    workerId ? Promise.resolve(null) : bounded(deps.ops.workersAlive(new Date(now().getTime() - deps.workerStaleMs))),
    bounded(deps.ops.outbox()),
  ]);

  const database = ping.status === 'fulfilled' ? { ok: true, latencyMs: Date.now() - started } : { ok: false, latencyMs: Date.now() - started, error: reason(ping) };
  if (!database.ok) problems.push(`database unreachable: ${database.error}`);

  let worker: HealthReport['worker'];
  if (workerId) {
    const beat = heartbeat.status === 'fulfilled' ? heartbeat.value : null;
    const age = beat?.lastSeenAt ? (now().getTime() - beat.lastSeenAt.getTime()) / 1000 : null;
    const isAlive = age !== null && age * 1000 <= deps.workerStaleMs && !beat?.stoppedAt;
    worker = { here: true, id: workerId, alive: isAlive, lastHeartbeatAt: beat?.lastSeenAt?.toISOString() ?? null, heartbeatAgeSeconds: age === null ? null : round(age) };
    if (!isAlive && !deps.stopping()) problems.push(age === null ? 'worker heartbeat unknown' : `worker heartbeat is ${Math.round(age)} s old`);
  } else {
    worker = { here: false, aliveElsewhere: alive.status === 'fulfilled' ? alive.value : null };
  }

  const slackState = deps.slack();
  let slack: HealthReport['slack'] = null;
  if (slackState) {
    slack = {
      ...slackState,
      connectionSince: slackState.connectionSince.toISOString(),
      lastApiOkAt: slackState.lastApiOkAt?.toISOString() ?? null,
      lastApiError: slackState.lastApiError ? { ...slackState.lastApiError, at: slackState.lastApiError.at.toISOString() } : null,
    };
    const down = slackState.transport === 'socket' && slackState.connection !== 'connected' && now().getTime() - slackState.connectionSince.getTime() > SLACK_RECONNECT_GRACE_MS;
    if (down) problems.push(`Slack socket ${slackState.connection} since ${slack.connectionSince}`);
    if (slackState.tokenRejected) problems.push(`Slack rejects the bot token (${slackState.lastApiError?.error ?? 'invalid_auth'})`);
  }

  const backlog = outbox.status === 'fulfilled' ? outbox.value : null;
  if (backlog && deps.outboxMaxOverdueMs !== null && backlog.overdueSeconds * 1000 > deps.outboxMaxOverdueMs) {
    problems.push(`Slack delivery is stuck: a message has been due for ${Math.round(backlog.overdueSeconds)} s`);
  }

  const stopping = deps.stopping();
  if (stopping) problems.push('shutting down');
  return {
    status: problems.length ? 'unhealthy' : 'ok',
    problems,
    stopping,
    database,
    worker,
    slack,
    outbox: backlog ? { pending: backlog.pending, oldestSeconds: round(backlog.oldestSeconds), overdueSeconds: round(backlog.overdueSeconds) } : null,
  };
}

function bounded<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
  ]);
}

function reason(result: PromiseRejectedResult): string {
  return (result.reason as Error)?.message ?? String(result.reason);
}

const round = (seconds: number) => Math.round(seconds * 10) / 10;
