import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  decryptVault,
  deriveKeys,
  HmacMismatchError,
  type PasswordCandidate,
} from '../../src/ansible-vault/decrypt.js';
import { encryptVault } from '../support/encrypt-vault.js';
import { parseEnvelope, VaultFormatError, type VaultEnvelope } from '../../src/ansible-vault/parse-envelope.js';
import { toPasswordBytes } from '../../src/ansible-vault/passwords.js';
import { Secret } from '../../src/log/secret.js';
import { FIXTURES } from '../support/run-binary.js';

// Counts what the decryption does with node:crypto, to prove the HMAC is compared in constant time
// before anything is decrypted.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return {
    ...original,
    createDecipheriv: vi.fn(original.createDecipheriv),
    timingSafeEqual: vi.fn(original.timingSafeEqual),
    pbkdf2: vi.fn(original.pbkdf2),
  };
});
afterEach(() => vi.clearAllMocks());

const DIR = join(FIXTURES, 'ansible');
interface Vector {
  vault: string;
  plain: string;
  password: string;
  label: string;
}
const VECTORS: Vector[] = JSON.parse(readFileSync(join(DIR, 'vectors.json'), 'utf8'));
const envelopeOf = (name: string): VaultEnvelope => parseEnvelope(readFileSync(join(DIR, 'vault', name), 'utf8'));
// The password as the store would hand it over (with the white space of the password file), stripped as Ansible does.
const password = (name: string): PasswordCandidate => ({
  name,
  password: toPasswordBytes(new Secret(readFileSync(join(DIR, 'passwords', `${name}.txt`), 'utf8')), name),
});
const flip = (buffer: Buffer, at: number): Buffer => {
  const copy = Buffer.from(buffer);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

describe('decryptVault', () => {
  // ---- vectors made by ansible-vault (test/fixtures/ansible/make-vectors.sh) ----
  it.each(VECTORS.map((v) => [v.vault, v] as const))('opens %s byte for byte as Ansible does', async (_, vector) => {
    const plaintext = await decryptVault(envelopeOf(vector.vault), [password(vector.password)]);
    expect(plaintext.equals(readFileSync(join(DIR, 'plain', vector.plain)))).toBe(true);
  });

  it('opens an empty file to empty plaintext (one full block of padding)', async () => {
    const envelope = envelopeOf('empty.yml');
    expect(envelope.ciphertext).toHaveLength(16);
    expect(await decryptVault(envelope, [password('main')])).toHaveLength(0);
  });

  it('uses a unicode password from a file with surrounding white space, stripped as Ansible strips it', async () => {
    const raw = readFileSync(join(DIR, 'passwords', 'unicode.txt'), 'utf8');
    expect(raw).toMatch(/^\s+\S.*\S\s+$/su);
    const plaintext = await decryptVault(envelopeOf('unicode-password.yml'), [password('unicode')]);
    expect(plaintext.toString('utf8')).toContain('秘密のパスワード');
    await expect(
      decryptVault(envelopeOf('unicode-password.yml'), [{ name: 'raw', password: Buffer.from(raw) }]),
    ).rejects.toThrow(HmacMismatchError);
  });

  // ---- HMAC first, in constant time ----
  it('checks the HMAC in constant time before it decrypts anything', async () => {
    await decryptVault(envelopeOf('app-1.1.yml'), [password('main')]);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
    expect(crypto.createDecipheriv).toHaveBeenCalledTimes(1);
    const hmacAt = vi.mocked(crypto.timingSafeEqual).mock.invocationCallOrder[0] ?? Infinity;
    expect(hmacAt).toBeLessThan(vi.mocked(crypto.createDecipheriv).mock.invocationCallOrder[0] ?? -Infinity);
  });

  it('never decrypts with a wrong password: the HMAC stops it', async () => {
    const wrong = { name: 'local://wrong', password: Buffer.from('not the password') };
    await expect(decryptVault(envelopeOf('app-1.1.yml'), [wrong])).rejects.toThrow(
      'HMAC mismatch: wrong password or corrupted file (tried the password from local://wrong)',
    );
    expect(crypto.createDecipheriv).not.toHaveBeenCalled();
  });

  it.each([
    ['one ciphertext byte changed', (e: VaultEnvelope) => ({ ...e, ciphertext: flip(e.ciphertext, 5) })],
    [
      'the last ciphertext byte (the padding) changed',
      (e: VaultEnvelope) => ({ ...e, ciphertext: flip(e.ciphertext, e.ciphertext.length - 1) }),
    ],
    ['one HMAC byte changed', (e: VaultEnvelope) => ({ ...e, hmac: flip(e.hmac, 31) })],
    ['one salt byte changed', (e: VaultEnvelope) => ({ ...e, salt: flip(e.salt, 0) })],
    ['a truncated HMAC', (e: VaultEnvelope) => ({ ...e, hmac: e.hmac.subarray(0, 31) })],
    ['a truncated ciphertext', (e: VaultEnvelope) => ({ ...e, ciphertext: e.ciphertext.subarray(0, 16) })],
  ])('refuses a vault with %s, without decrypting', async (_, tamper) => {
    await expect(decryptVault(tamper(envelopeOf('app-1.1.yml')), [password('main')])).rejects.toThrow(
      HmacMismatchError,
    );
    expect(crypto.createDecipheriv).not.toHaveBeenCalled();
  });

  it('refuses bad padding behind a valid HMAC', async () => {
    // Made with the right keys but without padding: only someone holding the password can do this.
    const salt = Buffer.alloc(32, 7);
    const keys = await deriveKeys(Buffer.from('pw'), salt);
    const cipher = crypto.createCipheriv('aes-256-ctr', keys.aesKey, keys.iv);
    const ciphertext = Buffer.concat([cipher.update(Buffer.from('0123456789abcdef')), cipher.final()]);
    const hmac = crypto.createHmac('sha256', keys.hmacKey).update(ciphertext).digest();
    const envelope: VaultEnvelope = { version: '1.1', cipher: 'AES256', salt, hmac, ciphertext };
    await expect(decryptVault(envelope, [{ name: 'p', password: Buffer.from('pw') }])).rejects.toThrow(
      VaultFormatError,
    );
    await expect(decryptVault(envelope, [{ name: 'p', password: Buffer.from('pw') }])).rejects.toThrow(
      'invalid PKCS#7 padding',
    );
  });

  // ---- several passwords ----
  it('tries the passwords in order and stops at the first that opens the vault', async () => {
    const candidates = [password('dev'), password('prod'), password('main')];
    const plaintext = await decryptVault(envelopeOf('app-prod-1.2.yml'), candidates);
    expect(plaintext.toString()).toContain('db_user: app');
    expect(crypto.pbkdf2).toHaveBeenCalledTimes(2);
  });

  it('names every password it tried, never their values', async () => {
    const error = await decryptVault(envelopeOf('app-1.1.yml'), [password('dev'), password('prod')]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HmacMismatchError);
    expect((error as Error).message).toBe(
      'HMAC mismatch: wrong password or corrupted file (tried 2 passwords from dev, prod)',
    );
    expect((error as Error).message).not.toMatch(/dev-secret|prod-Secret/);
  });

  // ---- round trip with our own encryption ----
  it('opens whatever encryptVault writes, for any bytes, password and salt', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }),
        fc.uint8Array({ maxLength: 64 }),
        async (data, pw, salt) => {
          const text = encryptVault(Buffer.from(data), pw, { salt: Buffer.from(salt) });
          const plaintext = await decryptVault(parseEnvelope(text), [{ name: 'p', password: Buffer.from(pw) }]);
          expect(plaintext.equals(Buffer.from(data))).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });
});
