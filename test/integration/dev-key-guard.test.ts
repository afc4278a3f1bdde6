import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDatabase } from '../../src/db/database.js';
import { writeTemp } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, testConfig, testDatabaseUrl, type TestApp } from '../support/test-app.js';

const REAL_KEY = randomBytes(32).toString('base64');
const spec = (key: string, credentials: boolean) => `
- key: ${key}
  name: ${key}
  connector: demo
  domains: [sales_orders]
  config: { orders: 5 }
${credentials ? '  credentials: { token: "tok-dev-guard-5521" }\n' : ''}`;

describe('the public dev key never seals credentials silently outside a demo/test database', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.destroy();
  });
  const start = async (...args: Parameters<typeof startTestApp>) => {
    const app = await startTestApp(...args);
    apps.push(app);
    return app;
  };
  const mark = (app: TestApp) => scalar<number>(app.pool, `SELECT count(*)::int FROM setting WHERE key = 'dev_key_database'`);

  it('a database a dev-key run created itself is marked and takes credentials sealed with the dev key', async () => {
    const app = await start();
    expect(app.config.usingDevKey).toBe(true);
    expect(await mark(app)).toBe(1);
    const devCli = cliRunner(() => app.config.databaseUrl);
    expect(await devCli('integrations', 'apply', await writeTemp('a.yml', spec('shop', true)))).toMatchObject({ code: 0, stdout: 'Created: shop\nSchedules: none' });
    // The dev key opens them again for a run (its items fail only for want of a catalog here).
    const run = await devCli('sync', 'shop', '--json');
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ integration: 'shop', recordsFetched: 5 });
  });

  it('refuses to seal with the dev key into a database it did not create, naming TETHER_ENCRYPTION_KEY; nothing is written', async () => {
    const url = testDatabaseUrl();
    expect(await ensureDatabase(url)).toBe(true); // created by someone else: an ordinary database
    const app = await start({ config: testConfig(url) });
    expect(await mark(app)).toBe(0);
    const devCli = cliRunner(() => url);
    const refused = await devCli('integrations', 'apply', await writeTemp('a.yml', spec('shop', true)));
    expect(refused.code).toBe(2);
    const database = new URL(url).pathname.slice(1);
    expect(refused.stderr).toBe(
      `error: Refusing to seal credentials with the built-in public dev key: database "${database}" was not created by a demo or test run. ` +
        'Set TETHER_ENCRYPTION_KEY (a base64-encoded 32-byte key: openssl rand -base64 32) to seal real credentials.',
    );
    expect(await scalar<number>(app.pool, 'SELECT count(*)::int FROM integration')).toBe(0);
    expect(await scalar<number>(app.pool, 'SELECT count(*)::int FROM audit_event')).toBe(0);

    // Nothing to seal: the dev key may still configure integrations without credentials.
    expect(await devCli('integrations', 'apply', await writeTemp('b.yml', spec('plain', false)))).toMatchObject({ code: 0 });
    // A real key seals there.
    const realCli = cliRunner(() => url, { TETHER_ENCRYPTION_KEY: REAL_KEY });
    expect(await realCli('integrations', 'apply', await writeTemp('c.yml', spec('plain', false) + spec('shop', true)))).toMatchObject({
      code: 0,
      stdout: 'Created: shop\nUnchanged: plain\nSchedules: none',
    });
    // Rekey with the dev key is refused the same way (here: the real key's value, opened through TETHER_PREVIOUS_KEYS).
    const devRekey = await cliRunner(() => url, { TETHER_PREVIOUS_KEYS: REAL_KEY })('credentials', 'rekey');
    expect(devRekey.code).toBe(2);
    expect(devRekey.stderr).toContain('Refusing to seal credentials with the built-in public dev key');
    expect(await scalar<string>(app.pool, `SELECT credentials_sealed FROM integration WHERE key = 'shop'`)).toMatch(/^v2:/);
    expect(await scalar<number>(app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'credentials.rekeyed'`)).toBe(0);
  });

  it('once a real key seals into a dev-key database, the dev key can no longer seal there', async () => {
    const app = await start();
    const realCli = cliRunner(() => app.config.databaseUrl, { TETHER_ENCRYPTION_KEY: REAL_KEY });
    expect((await realCli('integrations', 'apply', await writeTemp('a.yml', spec('shop', true)))).code).toBe(0);
    expect(await mark(app)).toBe(0);
    const devCli = cliRunner(() => app.config.databaseUrl, { TETHER_PREVIOUS_KEYS: REAL_KEY });
    const refused = await devCli('integrations', 'apply', await writeTemp('b.yml', spec('shop', true) + spec('more', true)));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Set TETHER_ENCRYPTION_KEY');
    expect(await scalar<number>(app.pool, `SELECT count(*)::int FROM integration WHERE key = 'more'`)).toBe(0);
  });

  it('the schema the migrations build matches the entities (settings table included)', async () => {
    const app = await start();
    expect(await app.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).toBe('');
  });
});
