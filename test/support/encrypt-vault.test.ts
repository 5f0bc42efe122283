import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptVault } from '../../src/ansible-vault/decrypt.js';
import { encryptVault } from './encrypt-vault.js';
import { parseEnvelope } from '../../src/ansible-vault/parse-envelope.js';
import { FIXTURES } from './run-binary.js';

const DIR = join(FIXTURES, 'ansible');
interface Vector {
  vault: string;
  plain: string;
  password: string;
  label: string;
}
const VECTORS: Vector[] = JSON.parse(readFileSync(join(DIR, 'vectors.json'), 'utf8'));
const strippedPassword = (name: string): string => readFileSync(join(DIR, 'passwords', `${name}.txt`), 'utf8').trim();
// The real ansible-vault, when installed (Debian package ansible-core); the committed vectors cover the rest.
const ansibleVault = spawnSync('ansible-vault', ['--version']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'secrets-exec-ansible-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('encryptVault', () => {
  // The salt is the only random input: given the vector's salt, the output must be Ansible's, byte for byte.
  it.each(VECTORS.filter((v) => !v.vault.includes('crlf')).map((v) => [v.vault, v] as const))(
    'writes %s exactly as ansible-vault did',
    (_, vector) => {
      const written = readFileSync(join(DIR, 'vault', vector.vault), 'utf8');
      const { salt } = parseEnvelope(written);
      const plaintext = readFileSync(join(DIR, 'plain', vector.plain));
      expect(
        encryptVault(plaintext, strippedPassword(vector.password), {
          salt,
          ...(vector.label ? { label: vector.label } : {}),
        }),
      ).toBe(written);
    },
  );

  it('writes format 1.1 for the default label and 1.2 for any other', () => {
    expect(encryptVault('x', 'pw', { label: 'default' })).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    expect(encryptVault('x', 'pw', { label: 'prod' })).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
  });

  it('wraps the body at 80 columns and ends with a newline', () => {
    const lines = encryptVault(randomBytes(1000), 'pw').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -2).every((l) => l.length === 80)).toBe(true);
    expect(lines.at(-2)?.length).toBeLessThanOrEqual(80);
  });

  // The large vector is made here rather than committed; Ansible opens it too when it is installed.
  describe('a 1 MB file', () => {
    const plaintext = Buffer.from(
      Array.from({ length: 30_000 }, (_, i) => `key_${i}: ${randomBytes(18).toString('base64')}\n`).join(''),
    );
    const password = 'large-file password ✓';
    const text = encryptVault(plaintext, password, { label: 'big' });

    it('round-trips through decryptVault', async () => {
      expect(plaintext.length).toBeGreaterThan(1_000_000);
      const opened = await decryptVault(parseEnvelope(text), [{ name: 'p', password: Buffer.from(password) }]);
      expect(opened.equals(plaintext)).toBe(true);
    });

    it.skipIf(!ansibleVault)('is opened by the real ansible-vault', () => {
      writeFileSync(join(tmp, 'big.yml'), text);
      writeFileSync(join(tmp, 'password'), `${password}\n`);
      const result = spawnSync(
        'ansible-vault',
        ['decrypt', '--vault-id', `big@${join(tmp, 'password')}`, '--output', '-', join(tmp, 'big.yml')],
        { maxBuffer: 8 << 20 },
      );
      expect(result.status).toBe(0);
      expect(result.stdout.equals(plaintext)).toBe(true);
    });
  });
});
