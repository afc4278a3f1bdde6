import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const CURRENT_VERSION = 'v2';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** First 8 hex characters of sha256(key): names a key without revealing it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Why sealed credentials could not be opened:
 * - `unknown_key`: sealed with a key that is neither the current key nor a previous one;
 * - `rejected`: the key is known but the value does not authenticate (altered, or copied from
 *   another integration);
 * - `malformed`: not a sealed value this version reads.
 */
export type UnreadableReason = 'unknown_key' | 'rejected' | 'malformed';

/** Sealed credentials that cannot be opened; the message says why, never what they contain. */
export class CredentialsUnreadable extends Error {
  override name = 'CredentialsUnreadable';
  constructor(
    readonly integrationKey: string,
    readonly reason: UnreadableReason,
    /** The key id written in the sealed value; null for the old `v1:` format (which has none) or a malformed value. */
    readonly foundKeyId: string | null,
    /** Current key id first, then the previous keys' ids. */
    readonly knownKeyIds: string[],
    detail: string,
  ) {
    super(`Credentials of integration "${integrationKey}" cannot be opened: ${detail}`);
  }
}

interface Parsed {
  version: 'v1' | 'v2';
  keyId: string | null;
  iv: Buffer;
  tag: Buffer;
  body: Buffer;
}

/**
 * AES-256-GCM for credentials at rest, bound to their integration:
 * `v2:<key id>:<iv>:<tag>:<ciphertext>` (iv, tag, ciphertext base64; 12-byte iv, 16-byte tag),
 * with the integration key as associated data, so a value copied to another integration does not
 * open. Opens with the current key or any previous key (chosen by key id). Still reads the old
 * `v1:<iv>:<tag>:<ciphertext>` values (no key id, no associated data) with any known key.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly keyId: string;

  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const [index, key] of [current, ...previous].entries()) {
      if (key.length !== 32) throw new Error(`SecretBox needs 32-byte keys (key ${index + 1} has ${key.length} bytes)`);
      const id = keyIdOf(key);
      const known = this.keys.get(id);
      if (known && !known.equals(key)) throw new Error(`Two different keys share the key id ${id}; generate a new key`);
      if (!known) this.keys.set(id, key);
    }
    this.keyId = keyIdOf(current);
  }

  /** The current key id first, then the previous keys' ids. */
  get knownKeyIds(): string[] {
    return [...this.keys.keys()];
  }

  seal(integrationKey: string, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(integrationKey, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [CURRENT_VERSION, this.keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(integrationKey: string, sealed: string): string {
    const parsed = this.parse(integrationKey, sealed);
    if (parsed.version === 'v1') {
      for (const key of this.keys.values()) {
        const opened = decrypt(key, parsed, null);
        if (opened !== null) return opened;
      }
      throw this.unreadable(
        integrationKey,
        'unknown_key',
        null,
        `they are in the old v1 format (no key id) and none of the known keys (${this.describeKnown()}) opens them: ` +
          'they were sealed with another key, or altered',
      );
    }
    const key = this.keys.get(parsed.keyId!);
    if (!key) {
      throw this.unreadable(
        integrationKey,
        'unknown_key',
        parsed.keyId,
        `they were sealed with key ${parsed.keyId}, which is not among the known keys (${this.describeKnown()})`,
      );
    }
    const opened = decrypt(key, parsed, Buffer.from(integrationKey, 'utf8'));
    if (opened === null) {
      throw this.unreadable(
        integrationKey,
        'rejected',
        parsed.keyId,
        `they do not authenticate with key ${parsed.keyId}: they were altered, or copied from another integration`,
      );
    }
    return opened;
  }

  /** True unless the value is in the current format and sealed with the current key. */
  needsRekey(sealed: string): boolean {
    const [version, keyId] = sealed.split(':');
    return version !== CURRENT_VERSION || keyId !== this.keyId;
  }

  /** The key id a sealed value names (null for `v1:` values, which name none). */
  static keyIdIn(sealed: string): string | null {
    const [version, keyId] = sealed.split(':');
    return version === CURRENT_VERSION && keyId ? keyId : null;
  }

  private parse(integrationKey: string, sealed: string): Parsed {
    const parts = sealed.split(':');
    const malformed = (detail: string, keyId: string | null = null) =>
      this.unreadable(integrationKey, 'malformed', keyId, `the stored value is not a sealed value this version reads (${detail})`);
    const version = parts[0];
    let keyId: string | null = null;
    let fields: string[];
    if (version === 'v2' && parts.length === 5) {
      keyId = parts[1]!;
      if (!/^[0-9a-f]{8}$/.test(keyId)) throw malformed('bad key id');
      fields = parts.slice(2);
    } else if (version === 'v1' && parts.length === 4) {
      fields = parts.slice(1);
    } else {
      throw malformed(`format ${JSON.stringify(version ?? '')} with ${parts.length} parts`);
    }
    if (!fields.every((field) => BASE64.test(field))) throw malformed('not base64', keyId);
    const [iv, tag, body] = fields.map((field) => Buffer.from(field, 'base64')) as [Buffer, Buffer, Buffer];
    // GCM accepts shorter tags unless told otherwise; a truncated tag must never authenticate.
    if (tag.length !== TAG_BYTES) throw malformed(`authentication tag of ${tag.length} bytes, expected ${TAG_BYTES}`, keyId);
    if (iv.length !== IV_BYTES) throw malformed(`iv of ${iv.length} bytes, expected ${IV_BYTES}`, keyId);
    return { version, keyId, iv, tag, body };
  }

  private describeKnown(): string {
    const [current, ...previous] = this.knownKeyIds;
    return `current ${current}${previous.length ? `, previous ${previous.join(', ')}` : ', no previous keys'}`;
  }

  private unreadable(integrationKey: string, reason: UnreadableReason, foundKeyId: string | null, detail: string): CredentialsUnreadable {
    return new CredentialsUnreadable(integrationKey, reason, foundKeyId, this.knownKeyIds, detail);
  }
}

function decrypt(key: Buffer, parsed: Parsed, associatedData: Buffer | null): string | null {
  const decipher = createDecipheriv('aes-256-gcm', key, parsed.iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(parsed.tag);
  if (associatedData) decipher.setAAD(associatedData);
  try {
    return Buffer.concat([decipher.update(parsed.body), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
