// What Ansible Vault decryption adds to a run: whole process time of `secrets-exec … -- true` with the
// password from the local store, against the same run without a vault. Each password tried costs one
// PBKDF2 derivation (10 000 iterations of HMAC-SHA256), so the table also shows a file whose password
// is the last of four, and a labelled file that picks its password first.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable, timeProcess } from './measure.mjs';
import { importTs } from './ts-module.mjs';

export async function run({ root, binary }) {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-bench-ansible-'));
  try {
    const encryptVault = (await importTs('test/support/encrypt-vault.ts')).encryptVault;
    const fixtures = join(root, 'test/fixtures/ansible');
    const store = join(fixtures, 'store.yaml');
    const big = join(dir, 'big.yml');
    const lines = Array.from({ length: 200 }, (_, i) => `key_${i}: ${String(i).padStart(5000, 'x')}`);
    writeFileSync(big, encryptVault(`${lines.join('\n')}\n`, 'correct horse battery staple'));
    const pw = (...refs) => refs.flatMap((r) => ['--ansible-vault-password', r]);
    const others = ['local://wrong-password', 'local://unicode-password', 'local://vault-ids#dev'];
    const cases = [
      ['no vault (one local:// reference)', [], { X: 'local://vault-password' }],
      [
        'whole 1.1 file, 1 password',
        ['--ansible-vault', join(fixtures, 'vault/app-1.1.yml'), ...pw('local://vault-password')],
      ],
      [
        'inline file, 3 vault values',
        ['--ansible-vault', join(fixtures, 'inline/inline.yml'), ...pw('local://vault-password')],
      ],
      [
        '1.1 file, right password last of 4',
        ['--ansible-vault', join(fixtures, 'vault/app-1.1.yml'), ...pw(...others, 'local://vault-password')],
      ],
      [
        '1.2 file, its label last of 4',
        ['--ansible-vault', join(fixtures, 'vault/app-prod-1.2.yml'), ...pw(...others, 'prod=local://vault-ids#prod')],
      ],
      ['1 MB file (200 values of 5 kB)', ['--ansible-vault', big, ...pw('local://vault-password')]],
    ];
    const rows = cases.map(([name, args, env = {}]) => {
      const ms = timeProcess([binary, '--local-file', store, ...args, '--log-level', 'error', '--', 'true'], {
        env,
        runs: 10,
      });
      return [name, ms.toFixed(1)];
    });
    printTable(['run', 'median ms'], rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
