import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialsUnreadable, keyIdOf, SecretBox } from '../../src/domain/secret-box.js';

const KEY_A = Buffer.alloc(32, 7);
const KEY_B = Buffer.alloc(32, 9);
const KEY_C = Buffer.alloc(32, 11);

/** The format written before key ids and associated data: `v1:<iv>:<tag>:<ciphertext>`. */
function sealV1(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

function unreadable(open: () => unknown): CredentialsUnreadable {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsUnreadable);
    return error as CredentialsUnreadable;
  }
  throw new Error('expected CredentialsUnreadable, but the value opened');
}

/** Replace one `:`-separated part of a sealed value. */
function withPart(sealed: string, index: number, change: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split(':');
  parts[index] = change(Buffer.from(parts[index]!, 'base64')).toString('base64');
  return parts.join(':');
}

const flipFirstBit = (bytes: Buffer) => {
  const copy = Buffer.from(bytes);
  copy[0] = copy[0]! ^ 1;
  return copy;
};

describe('secret box', () => {
  const box = new SecretBox(KEY_A);

  it('round-trips in the v2 format with the key id, randomised, never showing the plaintext', () => {
    const sealed = box.seal('shop', '{"token":"tok-123"}');
    const [version, kid, iv, tag] = sealed.split(':');
    expect(version).toBe('v2');
    expect(kid).toBe(keyIdOf(KEY_A));
    expect(kid).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(iv!, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64')).toHaveLength(16);
    expect(sealed).not.toContain('tok-123');
    expect(box.open('shop', sealed)).toBe('{"token":"tok-123"}');
    expect(box.seal('shop', 'x')).not.toBe(box.seal('shop', 'x'));
    expect(box.needsRekey(sealed)).toBe(false);
  });

  it('refuses a truncated authentication tag (v2 and v1)', () => {
    const sealed = box.seal('shop', 'secret');
    for (const length of [15, 12, 4, 1]) {
      const error = unreadable(() => box.open('shop', withPart(sealed, 3, (tag) => tag.subarray(0, length))));
      expect(error.reason).toBe('malformed');
      expect(error.message).toContain(`authentication tag of ${length} bytes, expected 16`);
    }
    const old = sealV1(KEY_A, 'secret');
    expect(unreadable(() => box.open('shop', withPart(old, 2, (tag) => tag.subarray(0, 12)))).reason).toBe('malformed');
  });

  it('refuses a tampered ciphertext, iv or tag', () => {
    const sealed = box.seal('shop', 'a longer secret value');
    for (const index of [2, 3, 4]) {
      const error = unreadable(() => box.open('shop', withPart(sealed, index, flipFirstBit)));
      expect(error).toMatchObject({ reason: 'rejected', integrationKey: 'shop', foundKeyId: keyIdOf(KEY_A) });
      expect(error.message).toMatch(/altered, or copied from another integration/);
    }
    expect(unreadable(() => box.open('shop', withPart(sealed, 2, (iv) => iv.subarray(0, 8)))).reason).toBe('malformed');
    expect(unreadable(() => box.open('shop', 'plain text')).reason).toBe('malformed');
    expect(unreadable(() => box.open('shop', 'v2:zzzzzzzz:a:b:c')).reason).toBe('malformed');
  });

  it('binds a value to its integration: copied to another integration it does not open', () => {
    const sealed = box.seal('shop', 'secret');
    const error = unreadable(() => box.open('warehouse', sealed));
    expect(error).toMatchObject({ reason: 'rejected', integrationKey: 'warehouse' });
    expect(error.message).toContain('Credentials of integration "warehouse" cannot be opened');
    expect(box.open('shop', sealed)).toBe('secret');
  });

  it('still reads v1 values (no key id, no associated data) with any known key, and flags them for rekey', () => {
    const old = sealV1(KEY_B, '{"token":"legacy"}');
    expect(new SecretBox(KEY_B).open('anything', old)).toBe('{"token":"legacy"}');
    expect(new SecretBox(KEY_A, [KEY_B]).open('shop', old)).toBe('{"token":"legacy"}');
    expect(box.needsRekey(old)).toBe(true);
    expect(SecretBox.keyIdIn(old)).toBeNull();
    const error = unreadable(() => new SecretBox(KEY_A, [KEY_C]).open('shop', old));
    expect(error).toMatchObject({ reason: 'unknown_key', foundKeyId: null, knownKeyIds: [keyIdOf(KEY_A), keyIdOf(KEY_C)] });
    expect(error.message).toContain('old v1 format');
  });

  it('opens values sealed with a previous key, seals only with the current one', () => {
    const sealedWithA = box.seal('shop', 'secret');
    const rotated = new SecretBox(KEY_B, [KEY_A]);
    expect(rotated.keyId).toBe(keyIdOf(KEY_B));
    expect(rotated.knownKeyIds).toEqual([keyIdOf(KEY_B), keyIdOf(KEY_A)]);
    expect(rotated.open('shop', sealedWithA)).toBe('secret');
    expect(rotated.needsRekey(sealedWithA)).toBe(true);
    const resealed = rotated.seal('shop', 'secret');
    expect(SecretBox.keyIdIn(resealed)).toBe(keyIdOf(KEY_B));
    expect(rotated.needsRekey(resealed)).toBe(false);
    // A previous key is not tried for a value that names another key id.
    expect(unreadable(() => box.open('shop', resealed)).reason).toBe('unknown_key');
  });

  it('names the key id found and the key ids known when the key is unknown, never a key', () => {
    const sealedWithC = new SecretBox(KEY_C).seal('shop', 'secret');
    const error = unreadable(() => new SecretBox(KEY_A, [KEY_B]).open('shop', sealedWithC));
    expect(error).toMatchObject({
      name: 'CredentialsUnreadable',
      integrationKey: 'shop',
      reason: 'unknown_key',
      foundKeyId: keyIdOf(KEY_C),
      knownKeyIds: [keyIdOf(KEY_A), keyIdOf(KEY_B)],
    });
    expect(error.message).toBe(
      `Credentials of integration "shop" cannot be opened: they were sealed with key ${keyIdOf(KEY_C)}, ` +
        `which is not among the known keys (current ${keyIdOf(KEY_A)}, previous ${keyIdOf(KEY_B)})`,
    );
    for (const key of [KEY_A, KEY_B, KEY_C]) expect(error.message).not.toContain(key.toString('base64'));
  });

  it('ignores a previous key equal to the current one and rejects keys of the wrong size', () => {
    expect(new SecretBox(KEY_A, [KEY_A, KEY_B]).knownKeyIds).toEqual([keyIdOf(KEY_A), keyIdOf(KEY_B)]);
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32-byte keys/);
    expect(() => new SecretBox(KEY_A, [Buffer.alloc(31)])).toThrow(/key 2 has 31 bytes/);
  });
});
