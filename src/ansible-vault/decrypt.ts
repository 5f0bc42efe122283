// Ansible Vault's AES256 cipher, exactly as Ansible does it (lib/ansible/parsing/vault/__init__.py,
// VaultAES256): PBKDF2-HMAC-SHA256 with 10 000 iterations turns password and salt into 80 bytes —
// 32 AES key, 32 HMAC key, 16 initial counter — then HMAC-SHA256 over the ciphertext is checked
// BEFORE anything is decrypted (a wrong password or a changed byte stops there), then AES-256-CTR with
// the full 16-byte counter block, then PKCS#7 unpadding (16-byte blocks). Nothing here logs or keeps
// a password, a key or a plaintext; the key buffers are zeroed once used.
import { createDecipheriv, createHmac, pbkdf2, timingSafeEqual } from 'node:crypto';
import { VaultFormatError, type VaultEnvelope } from './parse-envelope.js';

export const PBKDF2_ITERATIONS = 10_000;
export const KEY_LENGTH = 32;
export const IV_LENGTH = 16;
const BLOCK = 16;

/** The derived keys of one password and salt. */
interface VaultKeys {
  readonly aesKey: Buffer;
  readonly hmacKey: Buffer;
  readonly iv: Buffer;
}

/** No password opened the vault: it was encrypted with another one, or the text was changed. */
export class HmacMismatchError extends Error {
  override name = 'HmacMismatchError';
  /** `tried` names the passwords (labels and references, never values). */
  constructor(readonly tried: readonly string[]) {
    super(
      'HMAC mismatch: wrong password or corrupted file ' +
        `(tried ${tried.length === 1 ? 'the password' : `${tried.length} passwords`} from ${tried.join(', ')})`,
    );
  }
}

/** One password to try, with a name that can be shown (its label or reference, never the value). */
export interface PasswordCandidate {
  readonly name: string;
  readonly password: Buffer;
}

/** Derives the AES key, HMAC key and counter from a password and salt (async: runs on the thread pool). */
export function deriveKeys(password: Buffer, salt: Buffer): Promise<VaultKeys> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, PBKDF2_ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH, 'sha256', (error, material) => {
      if (error) return reject(error);
      resolve({
        aesKey: material.subarray(0, KEY_LENGTH),
        hmacKey: material.subarray(KEY_LENGTH, 2 * KEY_LENGTH),
        iv: material.subarray(2 * KEY_LENGTH),
      });
    });
  });
}

/** True when the HMAC in the vault is the one these keys give: compared in constant time. */
function hasValidHmac(envelope: VaultEnvelope, keys: VaultKeys): boolean {
  const expected = createHmac('sha256', keys.hmacKey).update(envelope.ciphertext).digest();
  // The length of the stored HMAC is public; only equal lengths can be compared in constant time.
  return envelope.hmac.length === expected.length && timingSafeEqual(envelope.hmac, expected);
}

/** Decrypts a vault whose HMAC was checked with the same keys; returns the plaintext bytes. */
function decryptVerified(envelope: VaultEnvelope, keys: VaultKeys): Buffer {
  const decipher = createDecipheriv('aes-256-ctr', keys.aesKey, keys.iv);
  return unpad(Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]));
}

/**
 * Opens a vault with the first password whose HMAC matches, trying them in the order given (as
 * Ansible walks its vault secrets). Throws HmacMismatchError when none does, VaultFormatError when the
 * HMAC matched but the padding is broken.
 */
export async function decryptVault(envelope: VaultEnvelope, candidates: readonly PasswordCandidate[]): Promise<Buffer> {
  for (const candidate of candidates) {
    const keys = await deriveKeys(candidate.password, envelope.salt);
    try {
      if (hasValidHmac(envelope, keys)) return decryptVerified(envelope, keys);
    } finally {
      zero(keys);
    }
  }
  throw new HmacMismatchError(candidates.map((c) => c.name));
}

// PKCS#7 with 16-byte blocks, checked as strictly as the `cryptography` unpadder Ansible uses.
function unpad(padded: Buffer): Buffer {
  const n = padded.at(-1) ?? 0;
  const ok =
    padded.length > 0 &&
    padded.length % BLOCK === 0 &&
    n >= 1 &&
    n <= BLOCK &&
    padded.subarray(padded.length - n).every((b) => b === n);
  if (!ok) {
    padded.fill(0);
    throw new VaultFormatError('the decrypted data has invalid PKCS#7 padding');
  }
  return padded.subarray(0, padded.length - n);
}

function zero(keys: VaultKeys): void {
  keys.aesKey.fill(0);
  keys.hmacKey.fill(0);
  keys.iv.fill(0);
}
