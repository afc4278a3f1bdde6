import { SecretBox } from '../domain/secret-box.js';

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
}
