/**
 * Generates a migration from the difference between the entities and a scratch database
 * migrated to the current head. Usage: npm run migration:create
 */
import { dropDatabase, ensureDatabase } from '../src/db/database.js';
import { migrate, openOrm } from '../src/db/orm.js';

const url = `postgres://postgres@127.0.0.1:5432/tether_migration_${process.pid}`;
await ensureDatabase(url);
const orm = await openOrm(url);
try {
  await migrate(orm, url);
  const result = await orm.getMigrator().createMigration('migrations', false, false);
  console.log(result.fileName ? `wrote migrations/${result.fileName}\n${result.diff.up.join('\n')}` : 'no changes');
} finally {
  await orm.close();
  await dropDatabase(url);
}
