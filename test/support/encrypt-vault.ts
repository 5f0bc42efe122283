// Writes an Ansible Vault the way `ansible-vault encrypt` does (VaultAES256.encrypt and
// format_vaulttext_envelope). secrets-exec itself never encrypts, so this lives under test/: tests and
// benchmarks use it to make vaults of any size and shape, and it is checked against the real ansible-vault.
import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { IV_LENGTH, KEY_LENGTH, PBKDF2_ITERATIONS } from '../../src/ansible-vault/decrypt.js';
import { VAULT_HEADER } from '../../src/ansible-vault/parse-envelope.js';

const BLOCK = 16;
const COLUMNS = 80;

/**
 * Encrypts `plaintext` with the password exactly as given (Ansible strips a password file before it
 * gets here). A label gives format 1.2 (`--vault-id LABEL@…`); the salt is 32 random bytes by default.
 */
export function encryptVault(
  plaintext: Buffer | string,
  password: Buffer | string,
  options: { label?: string; salt?: Buffer } = {},
): string {
  const salt = options.salt ?? randomBytes(32);
  const material = pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH, 'sha256');
  const data = Buffer.from(plaintext);
  const pad = BLOCK - (data.length % BLOCK);
  const cipher = createCipheriv('aes-256-ctr', material.subarray(0, KEY_LENGTH), material.subarray(2 * KEY_LENGTH));
  const ciphertext = Buffer.concat([cipher.update(Buffer.concat([data, Buffer.alloc(pad, pad)])), cipher.final()]);
  const hmac = createHmac('sha256', material.subarray(KEY_LENGTH, 2 * KEY_LENGTH))
    .update(ciphertext)
    .digest();
  const body = Buffer.from([salt, hmac, ciphertext].map((part) => part.toString('hex')).join('\n')).toString('hex');
  const label = options.label !== undefined && options.label !== 'default' ? options.label : undefined;
  const header = label === undefined ? `${VAULT_HEADER};1.1;AES256` : `${VAULT_HEADER};1.2;AES256;${label}`;
  const lines = [header];
  for (let i = 0; i < body.length; i += COLUMNS) lines.push(body.slice(i, i + COLUMNS));
  return `${lines.join('\n')}\n`;
}
