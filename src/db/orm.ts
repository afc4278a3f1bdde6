import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import { MIGRATIONS } from '../../migrations/index.js';
import { ALL_ENTITIES } from './entities/index.js';

export function ormOptions(databaseUrl: string): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    migrations: {
      migrationsList: MIGRATIONS,
      path: 'migrations',
      pathTs: 'migrations',
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    // Agenda (scheduler) owns these tables; the schema diff must leave them alone.
    schemaGenerator: { skipTables: ['agenda_jobs', 'agenda_logs'] },
    pool: { min: 0, max: 4 },
    debug: false,
    allowGlobalContext: false,
  });
}

export async function openOrm(databaseUrl: string): Promise<MikroORM> {
  return MikroORM.init(ormOptions(databaseUrl));
}

/** The advisory lock key migrations hold: several replicas starting at once migrate one at a time. */
export const MIGRATION_LOCK_KEY = 724_301_180;

/**
 * Apply pending migrations; returns the names applied. Holds a session advisory lock meanwhile,
 * so replicas starting together wait for the first one and then find nothing left to apply.
 */
export async function migrate(orm: MikroORM, databaseUrl: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  lock.on('error', () => {});
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  } finally {
    // Ending the session releases the lock.
    await lock.end().catch(() => {});
  }
}
