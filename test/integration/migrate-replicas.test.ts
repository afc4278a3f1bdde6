import { describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/app.js';
import { dropDatabase } from '../../src/db/database.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { silentLog, testConfig } from '../support/test-app.js';

describe('migrations on start', () => {
  it('several replicas starting at once on a fresh database: one creates and migrates it, the others wait and find it done', async () => {
    const config = testConfig();
    try {
      const apps = await Promise.all([1, 2, 3].map(() => bootstrap(config, { log: silentLog, createDatabase: true })));
      try {
        const applied = apps.map((app) => app.migrationsApplied.length).sort((a, b) => b - a);
        expect(applied).toEqual([MIGRATIONS.length, 0, 0]);
        const { rows } = await apps[0]!.internals.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM mikro_orm_migrations`);
        expect(rows[0]!.n).toBe(MIGRATIONS.length);
      } finally {
        await Promise.all(apps.map((app) => app.close()));
      }
    } finally {
      await dropDatabase(config.databaseUrl);
    }
  });
});
