// What Vault costs a start: whole-process wall time of the executable resolving references from the fake
// Vault (test/fakes/vault.ts) on loopback, against a run with no reference. The fake runs in a child
// process (timeProcess blocks this one), bundled on the fly with esbuild so that plain Node can load it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bundleTs } from './ts-module.mjs';
import { printTable, timeProcess } from './measure.mjs';

const AWS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret-key' };

const SERVE =
  `
import { createServer } from 'node:net';
import { startFakeVault } from './fake.mjs';
const v = await startFakeVault();
// A metadata address that accepts connections and never answers, as a firewalled 169.254.169.254 does.
const silent = createServer(() => undefined);
await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
v.mountKv('secret', 2);
for (let i = 0; i < 20; i++) v.putSecret('secret', 'bench/s' + i, { value: 'value-' + i });
v.putPolicy('app', { 'secret/data/bench/*': ['read'] });
v.enableAppRole({ role: 'app', roleId: 'bench-role', policies: ['app'] });
v.enableAws({ role: 'app', arn: 'arn:aws:iam::123456789012:role/app', ` +
  `credentials: ${JSON.stringify(AWS)}, policies: ['app'] });
console.log(JSON.stringify({ silentUrl: 'http://127.0.0.1:' + silent.address().port, url: v.url, ` +
  `token: v.issueToken({ policies: ['app'] }), secretId: v.issueSecretId('app') }));
`;

async function startFake(dir) {
  await bundleTs(['test/fakes/vault.ts'], join(dir, 'fake.mjs'));
  writeFileSync(join(dir, 'serve.mjs'), SERVE);
  const child = spawn(process.execPath, [join(dir, 'serve.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return { child, ...JSON.parse(line) };
}

export async function run({ binary }) {
  const dir = mkdtempSync(join(tmpdir(), 'vault-bench-'));
  const fake = await startFake(dir);
  try {
    const refs = (n) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`S${i}`, `vault://secret/bench/s${i}#value`]));
    const token = { VAULT_ADDR: fake.url, VAULT_TOKEN: fake.token };
    const cases = [
      ['no reference (baseline)', {}],
      ['1 reference, VAULT_TOKEN', { ...token, ...refs(1) }],
      ['20 references, one mount, VAULT_TOKEN', { ...token, ...refs(20) }],
      // The cloud probes run beside the Vault round and are not waited for (300 ms budget otherwise).
      [
        '1 secret:// reference served by Vault, metadata address silent',
        { ...token, SECRETS_EXEC_METADATA_URL: fake.silentUrl, S0: 'secret://bench/s0#value' },
      ],
      [
        '1 reference, AppRole login + revoke',
        { VAULT_ADDR: fake.url, VAULT_ROLE_ID: 'bench-role', VAULT_SECRET_ID: fake.secretId, ...refs(1) },
      ],
      [
        '1 reference, AWS IAM login + revoke',
        {
          VAULT_ADDR: fake.url,
          SECRETS_EXEC_VAULT_AUTH: 'aws',
          AWS_ACCESS_KEY_ID: AWS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey,
          ...refs(1),
        },
      ],
    ];
    const rows = [];
    let baseline = 0;
    for (const [name, env] of cases) {
      const ms = timeProcess([binary, '--', '/bin/true'], { env, runs: 10 });
      if (rows.length === 0) baseline = ms;
      rows.push([name, ms.toFixed(1), rows.length === 0 ? '-' : `+${(ms - baseline).toFixed(1)}`]);
    }
    printTable(['run', 'median ms', 'vs baseline'], rows);
  } finally {
    fake.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
