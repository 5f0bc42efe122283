// Peak memory of secrets-exec before exec: the maximum resident set size of `secrets-exec -- true`, read
// from /usr/bin/time (getrusage's ru_maxrss survives execve on Linux, and `true` itself needs ~1 MB, so
// the figure is secrets-exec's own peak). Cases: no references, 50 aws-sm:// references (loopback fake),
// a 1 MB Ansible Vault file; beside `node -e 0` on the same Node.js. Medians of MEMORY_RUNS (10) runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, printTable } from './measure.mjs';
import { importTs, root } from './ts-module.mjs';

const RUNS = Number(process.env.MEMORY_RUNS ?? 10);

/** Peak RSS in MB of one run under /usr/bin/time; rejects when the run fails. */
function peakRss(argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'SE-MAXRSS %M', ...argv], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      const kb = /SE-MAXRSS (\d+)/.exec(stderr)?.[1];
      if (status !== 0 || kb === undefined) reject(new Error(`${argv.join(' ')} exited ${status}: ${stderr}`));
      else resolve(Number(kb) / 1024);
    });
  });
}

export async function run({ binary, node }) {
  const { startAwsFake, awsTestEnv } = await importTs('test/fakes/aws.ts');
  const { encryptVault } = await importTs('test/support/encrypt-vault.ts');
  const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-bench-memory-'));
  const fake = await startAwsFake();
  try {
    for (let i = 0; i < 50; i++) fake.putSecret(`bench/s${i}`, `value-${i}`);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`S${i}`, `aws-sm://bench/s${i}`]));
    const big = join(dir, 'big.yml');
    const lines = Array.from({ length: 200 }, (_, i) => `key_${i}: ${String(i).padStart(5000, 'x')}`);
    writeFileSync(big, encryptVault(`${lines.join('\n')}\n`, 'correct horse battery staple'));
    const store = join(root, 'test/fixtures/ansible/store.yaml');
    const env = { PATH: '/usr/bin:/bin', AWS_EC2_METADATA_DISABLED: 'true' };
    const exec = ['--', 'true'];
    const cases = [
      ['node -e 0 (pinned Node.js)', [node, '-e', '0'], env],
      ['no references', [binary, ...exec], env],
      ['50 aws-sm:// references', [binary, ...exec], { ...env, ...awsTestEnv(fake), ...fifty }],
      [
        '1 MB Ansible Vault file (200 values of 5 kB)',
        [
          binary,
          '--local-file',
          store,
          '--ansible-vault',
          big,
          '--ansible-vault-password',
          'local://vault-password',
          ...exec,
        ],
        env,
      ],
    ];
    const samples = cases.map(() => []);
    for (let round = 0; round < RUNS; round++)
      for (const [i, [, argv, e]] of cases.entries()) samples[i].push(await peakRss(argv, e));
    const base = median(samples[0]);
    printTable(
      ['run', 'peak RSS MB (median)', 'min–max', '× node -e 0'],
      cases.map(([name], i) => [
        name,
        median(samples[i]).toFixed(1),
        `${Math.min(...samples[i]).toFixed(1)}–${Math.max(...samples[i]).toFixed(1)}`,
        (median(samples[i]) / base).toFixed(2),
      ]),
    );
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
