import { createCipheriv, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/domain/secret-box.js';
import { FakeFeed, MemorySource } from '../fakes/fake-feed.js';
import { seedCatalog, writeTemp } from '../support/fixtures.js';
import { scalar } from '../support/queries.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);
const KEY_C = randomBytes(32);
const [A, B] = [KEY_A, KEY_B].map((key) => key.toString('base64')) as [string, string];
const [KID_A, KID_B, KID_C] = [KEY_A, KEY_B, KEY_C].map(keyIdOf) as [string, string, string];

/** The value format written before key ids and associated data existed. */
function sealV1(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

describe('credentials: key rotation through the CLI', () => {
  let app: TestApp;
  let feed: FakeFeed;
  let file: string;
  const env = { FEED_TOKEN: 'feed-token-7f3a', OTHER_PASSWORD: 'pw-other-91' };
  const withKeys = (current: string, previous?: string) =>
    cliRunner(() => app.config.databaseUrl, { ...env, TETHER_ENCRYPTION_KEY: current, ...(previous ? { TETHER_PREVIOUS_KEYS: previous } : {}) });
  const sealedOf = (key: string) => scalar<string>(app.pool, 'SELECT credentials_sealed FROM integration WHERE key = $1', [key]);
  const setSealed = (key: string, value: string) => app.pool.query('UPDATE integration SET credentials_sealed = $2 WHERE key = $1', [key, value]);
  const rekeyEvents = () => scalar<number>(app.pool, `SELECT count(*)::int FROM audit_event WHERE action = 'credentials.rekeyed'`);

  beforeAll(async () => {
    app = await startTestApp();
    const source = new MemorySource();
    source.put('sales_orders', {
      id: 'ORD-1',
      updated_at: '2026-11-01T00:00:00.000Z',
      ordered_at: '2026-11-01T00:00:00.000Z',
      channel: 'web-store',
      status: 'paid',
      currency: 'EUR',
      lines: [{ sku: 'DEMO-0001', quantity: 1, unit_price: '1.00' }],
    });
    feed = new FakeFeed(source, env.FEED_TOKEN);
    const baseUrl = await feed.start();
    file = await writeTemp(
      'integrations.yml',
      `
- key: feed
  name: Feed
  connector: http-json
  domains: [sales_orders]
  config: { base_url: "${baseUrl}", page_size: 10 }
  credentials: { token: "\${FEED_TOKEN}" }
- key: other
  name: Other
  connector: demo
  domains: [sales_orders]
  credentials: { password: "\${OTHER_PASSWORD}" }
  config: { orders: 5 }
- key: plain
  name: Plain (no credentials)
  connector: demo
  domains: [sales_orders]
  config: { orders: 5 }
`,
    );
  });
  afterAll(async () => {
    await feed?.stop();
    await app?.destroy();
  });

  it('seals with key A, bound to the integration, never in plain text', async () => {
    const a = withKeys(A);
    expect(await a('integrations', 'apply', file)).toMatchObject({ code: 0, stdout: 'Created: feed, other, plain\nSchedules: none' });
    const sealed = await sealedOf('feed');
    expect(sealed.startsWith(`v2:${KID_A}:`)).toBe(true);
    expect(sealed).not.toContain(env.FEED_TOKEN);
    expect(await sealedOf('plain')).toBeNull();
    await seedCatalog(app, 'feed');
    const synced = await a('sync', 'feed', '--json');
    expect(synced.code).toBe(0);
    expect(JSON.parse(synced.stdout)[0]).toMatchObject({ status: 'success', recordsFetched: 1 });
    expect(feed.requests.at(-1)?.authorization).toBe(`Bearer ${env.FEED_TOKEN}`);
  });

  it('with key B and no previous keys: apply, sync and rekey exit 2 with the reason and the way out', async () => {
    const b = withKeys(B);
    const before = await sealedOf('feed');
    const requests = feed.requests.length;
    const applied = await b('integrations', 'apply', file);
    expect(applied.code).toBe(2);
    // A sync records a failed execution (so history, health and alerts see it) and exits 1.
    const synced = await b('sync', 'feed');
    expect(synced.code).toBe(1);
    expect(synced.stdout).toContain('[credentials] Credentials of integration "feed" cannot be opened');
    for (const text of [applied.stderr, synced.stdout]) {
      expect(text).toContain(`Credentials of integration "feed" cannot be opened: they were sealed with key ${KID_A}`);
      expect(text).toContain(`not among the known keys (current ${KID_B}, no previous keys)`);
      expect(text).toContain('set TETHER_PREVIOUS_KEYS to the key they were sealed with');
      expect(text).toContain('tether credentials rekey');
      expect(text).not.toMatch(/unexpected failure|at .*\.ts:\d+/);
      expect(text).not.toContain(A);
      expect(text).not.toContain(B);
    }
    expect(feed.requests.length).toBe(requests);
    const rekey = await b('credentials', 'rekey');
    expect(rekey.code).toBe(2);
    expect(rekey.stderr).toContain('nothing was re-sealed: the credentials of 2 integrations (feed, other) cannot be opened with any known key');
    expect(await sealedOf('feed')).toBe(before);
    expect(await rekeyEvents()).toBe(0);
  });

  it('with key B and TETHER_PREVIOUS_KEYS=A: apply and sync work, rekey re-seals once, then B alone works', async () => {
    const rotating = withKeys(B, A);
    expect(await rotating('integrations', 'apply', file)).toMatchObject({ code: 0, stdout: 'Unchanged: feed, other, plain\nSchedules: none' });
    expect((await sealedOf('feed')).startsWith(`v2:${KID_A}:`)).toBe(true);
    expect((await rotating('sync', 'feed')).code).toBe(0);
    expect(feed.requests.at(-1)?.authorization).toBe(`Bearer ${env.FEED_TOKEN}`);

    const rekey = await rotating('credentials', 'rekey', '--by', 'ops');
    expect(rekey).toMatchObject({ code: 0, stdout: `Re-sealed with key ${KID_B}: 2 (feed, other)\nAlready current: 0`, stderr: '' });
    for (const key of ['feed', 'other']) expect((await sealedOf(key)).startsWith(`v2:${KID_B}:`)).toBe(true);
    const { rows } = await app.pool.query(`SELECT actor, integration_key, details FROM audit_event WHERE action = 'credentials.rekeyed'`);
    expect(rows).toEqual([{ actor: 'ops', integration_key: null, details: { keyId: KID_B, resealed: 2, alreadyCurrent: 0, fromKeyIds: [KID_A] } }]);

    const again = await rotating('credentials', 'rekey', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ keyId: KID_B, resealed: [], alreadyCurrent: ['feed', 'other'], unreadable: [] });
    expect(await rekeyEvents()).toBe(1);

    const b = withKeys(B);
    expect(await b('integrations', 'apply', file)).toMatchObject({ code: 0, stdout: 'Unchanged: feed, other, plain\nSchedules: none' });
    const synced = await b('sync', 'feed');
    expect(synced.code).toBe(0);
    expect(feed.requests.at(-1)?.authorization).toBe(`Bearer ${env.FEED_TOKEN}`);
    // The old key alone no longer opens them.
    const a = await withKeys(A)('sync', 'feed');
    expect(a.code).toBe(1);
    expect(a.stdout).toContain(`sealed with key ${KID_B}`);
  });

  it('upgrades old v1 values; refuses to change anything while one cannot be opened', async () => {
    await setSealed('other', sealV1(KEY_B, JSON.stringify({ password: env.OTHER_PASSWORD })));
    const sealedWithC = `v2:${KID_C}:${(await sealedOf('feed')).split(':').slice(2).join(':')}`;
    await setSealed('feed', sealedWithC);
    const b = withKeys(B);
    const blocked = await b('credentials', 'rekey', '--json');
    expect(blocked.code).toBe(2);
    expect(JSON.parse(blocked.stdout)).toEqual({
      keyId: KID_B,
      resealed: [],
      alreadyCurrent: [],
      unreadable: [{ integration: 'feed', reason: 'unknown_key', keyId: KID_C }],
    });
    expect(blocked.stderr).toContain('the credentials of 1 integration (feed) cannot be opened');
    expect(blocked.stderr).toContain(`(key id ${KID_C})`);
    expect(blocked.stderr).toContain('--replace-unreadable-credentials');
    expect((await sealedOf('other')).startsWith('v1:')).toBe(true);

    // The key is lost: the file's credentials replace the unreadable ones, audited without values.
    expect(await b('integrations', 'apply', file, '--replace-unreadable-credentials', '--by', 'ops')).toMatchObject({
      code: 0,
      stdout: 'Updated: feed\nUnchanged: other, plain\nSchedules: none',
    });
    expect(
      await scalar(app.pool, `SELECT details FROM audit_event WHERE action = 'integration.updated' AND integration_key = 'feed' ORDER BY id DESC LIMIT 1`),
    ).toEqual({ fields: ['credentials'], replacedUnreadableCredentials: true });
    expect((await b('sync', 'feed')).code).toBe(0);

    const rekey = await b('credentials', 'rekey');
    expect(rekey).toMatchObject({ code: 0, stdout: `Re-sealed with key ${KID_B}: 1 (other)\nAlready current: 1 (feed)` });
    expect((await sealedOf('other')).startsWith(`v2:${KID_B}:`)).toBe(true);
    expect(await scalar(app.pool, `SELECT details FROM audit_event WHERE action = 'credentials.rekeyed' ORDER BY id DESC LIMIT 1`)).toEqual({
      keyId: KID_B,
      resealed: 1,
      alreadyCurrent: 1,
      fromKeyIds: ['v1'],
    });
    const audit = await scalar<string>(app.pool, `SELECT string_agg(details::text, ' ') FROM audit_event`);
    expect(audit).not.toContain(env.FEED_TOKEN);
    expect(audit).not.toContain(env.OTHER_PASSWORD);
  });

  it('a value copied to another integration does not open there', async () => {
    await setSealed('other', await sealedOf('feed'));
    const result = await withKeys(B)('sync', 'other');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[credentials] Credentials of integration "other" cannot be opened');
    expect(result.stdout).toContain('altered, or copied from another integration');
    expect(result.stdout).toContain('tether integrations apply <file> --replace-unreadable-credentials');
  });
});
