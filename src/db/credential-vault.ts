import type { EntityManager } from '@mikro-orm/postgresql';
import { InvalidInput } from '../domain/refusals.js';
import { SecretBox } from '../domain/secret-box.js';
import { SettingSchema } from './entities/index.js';

/** The setting that marks a database created by a demo or test run while it used the public dev key. */
export const DEV_KEY_DATABASE = 'dev_key_database';

/** Sealing with the public dev key into a database that is not a demo/test database. */
export class DevKeyRefused extends InvalidInput {
  override name = 'DevKeyRefused';
}

export type Credentials = Record<string, string>;

/**
 * The one way credentials are sealed and opened (apply, rekey, the sync store): JSON inside a
 * SecretBox, bound to the integration key. Opening failures are `CredentialsUnreadable`.
 */
export class CredentialVault {
  constructor(
    private readonly box: SecretBox,
    /** True when the current key is the public dev key (TETHER_MODE=demo|test without TETHER_ENCRYPTION_KEY). */
    readonly sealsWithDevKey: boolean,
  ) {}

  static fromKeys(current: Buffer, previous: Buffer[], sealsWithDevKey: boolean): CredentialVault {
    return new CredentialVault(new SecretBox(current, previous), sealsWithDevKey);
  }

  /** Id of the key new values are sealed with. */
  get keyId(): string {
    return this.box.keyId;
  }

  /** The current key id first, then the previous keys' ids. */
  get knownKeyIds(): string[] {
    return this.box.knownKeyIds;
  }

  /** Null for no credentials at all (nothing is stored). */
  seal(integrationKey: string, credentials: Credentials): string | null {
    return Object.keys(credentials).length ? this.box.seal(integrationKey, JSON.stringify(credentials)) : null;
  }

  open(integrationKey: string, sealed: string | null): Credentials {
    return sealed === null ? {} : (JSON.parse(this.box.open(integrationKey, sealed)) as Credentials);
  }

  /** True when the value should be sealed again with the current key (older key or format). */
  needsRekey(sealed: string): boolean {
    return this.box.needsRekey(sealed);
  }

  /** The key id a sealed value names; `v1` for the old format, which names none. */
  sealedKeyId(sealed: string): string {
    return SecretBox.keyIdIn(sealed) ?? 'v1';
  }

  /**
   * Call inside the transaction that stores newly sealed values. The public dev key may seal only
   * into a database that a demo/test run created with it; a real key sealing into such a database
   * makes it an ordinary one, so the dev key cannot seal there afterwards.
   */
  async guardSealing(em: EntityManager): Promise<void> {
    if (!this.sealsWithDevKey) {
      await em.nativeDelete(SettingSchema, { key: DEV_KEY_DATABASE });
      return;
    }
    const mark = await em.findOne(SettingSchema, { key: DEV_KEY_DATABASE });
    if (!mark) {
      const [row] = await em.getConnection().execute<{ name: string }[]>('SELECT current_database() AS name');
      const database = row?.name ?? '?';
      throw new DevKeyRefused(
        `Refusing to seal credentials with the built-in public dev key: database "${database}" was not created by a demo or test run. ` +
          'Set TETHER_ENCRYPTION_KEY (a base64-encoded 32-byte key: openssl rand -base64 32) to seal real credentials.',
      );
    }
  }
}

/** Bootstrap calls this when it created the database itself while using the dev key. */
export async function markDevKeyDatabase(em: EntityManager): Promise<void> {
  await em.upsert(SettingSchema, { key: DEV_KEY_DATABASE, value: { markedAt: new Date().toISOString() } });
}
