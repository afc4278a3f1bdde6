/**
 * The backends the shared scheduler suite runs against: PostgreSQL always; MongoDB only when
 * AGENDA_MONGO_URL names a server (none exists on the project's machines).
 */
export interface SchedulerBackend {
  name: string;
  mongoUrl: string | null;
  /** Why this backend is not tested here, or null when it is. */
  unavailable: string | null;
}

export function schedulerBackends(env: NodeJS.ProcessEnv): SchedulerBackend[] {
  const mongoUrl = env.AGENDA_MONGO_URL || null;
  return [
    { name: 'postgres', mongoUrl: null, unavailable: null },
    {
      name: 'mongodb',
      mongoUrl,
      unavailable: mongoUrl ? null : 'AGENDA_MONGO_URL is not set: no MongoDB server is configured on this machine',
    },
  ];
}
