import type { EventEmitter } from 'node:events';
import { Agenda, type AgendaBackend } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type { SchedulerConfig } from '../config/config.js';
import { Refusal } from '../domain/refusals.js';

/** The scheduler's database cannot be reached: not the user's input, so front ends treat it as a failure. */
export class SchedulerUnavailable extends Refusal {
  override name = 'SchedulerUnavailable';
  constructor(message: string) {
    super('scheduler_unavailable', message);
  }
}

/**
 * Agenda on PostgreSQL (same database, table created by a migration) or, when AGENDA_MONGO_URL
 * is set, on MongoDB. The backend is connected here, inside a try: Agenda's constructor would
 * connect without a catch and an unreachable server would crash the process.
 */
export async function createAgenda(databaseUrl: string, config: SchedulerConfig, name: string): Promise<{ agenda: Agenda; backend: AgendaBackend }> {
  const backend = await connectBackend(databaseUrl, config);
  const agenda = new Agenda({
    backend,
    name,
    processEvery: config.pollMs,
    defaultConcurrency: config.concurrency,
    maxConcurrency: config.concurrency,
    // Lock a few batches ahead (Agenda refills only once per poll); a stopping worker unlocks them.
    lockLimit: config.concurrency * 4,
    defaultLockLimit: config.concurrency * 4,
    defaultLockLifetime: config.lockLifetimeMs,
    removeOnComplete: true,
  });
  return { agenda, backend };
}

async function connectBackend(databaseUrl: string, config: SchedulerConfig): Promise<AgendaBackend> {
  if (config.mongoUrl) {
    const { MongoBackend } = await import('@agendajs/mongo-backend');
    const backend = new MongoBackend({ address: config.mongoUrl });
    try {
      await backend.connect();
    } catch (error) {
      throw new SchedulerUnavailable(`Cannot reach MongoDB at AGENDA_MONGO_URL: ${(error as Error).message}`);
    }
    return backend;
  }
  const backend = new PostgresBackend({ connectionString: databaseUrl, ensureSchema: false });
  try {
    await backend.connect();
  } catch (error) {
    throw new SchedulerUnavailable(`Cannot reach PostgreSQL for the scheduler: ${(error as Error).message}`);
  }
  // The backend's pool and its LISTEN channel re-emit a dropped connection (a database restart)
  // as 'error' with no listener: an uncaught exception that killed the worker, before the channel
  // could reconnect. With a listener the pool reconnects on the next query, the channel at once.
  (backend.repository as unknown as { pool?: EventEmitter }).pool?.on('error', () => {});
  (backend.notificationChannel as unknown as EventEmitter | undefined)?.on?.('error', () => {});
  return backend;
}
