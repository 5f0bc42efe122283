// What --watch costs while it waits: requests and CPU per poll of the watching supervisor, with 50
// references on the fake Vault (test/fakes/vault.ts, in a child process bundled with esbuild) over
// loopback. CPU is the supervisor's own utime+stime from /proc/PID/stat between the 2nd and the last poll
// (the first poll loads the modules); requests are what the fake recorded over the same polls. Then the
// throughput of --mask against cat.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { printTable } from './measure.mjs';

const REFS = 50;
const POLLS = 12;
const TICK_MS = 10; // USER_HZ is 100 on Linux

const SERVE = `
import { createInterface } from 'node:readline';
import { startFakeVault } from './fake.mjs';
const v = await startFakeVault();
v.mountKv('secret', 2);
for (let i = 0; i < ${REFS}; i++) v.putSecret('secret', 'bench/s' + i, { value: 'value-' + i });
v.putPolicy('app', { 'secret/data/bench/*': ['read'] });
v.enableAppRole({ role: 'app', roleId: 'bench-role', policies: ['app'] });
const token = v.issueToken({ policies: ['app'] });
console.log(JSON.stringify({ url: v.url, token, secretId: v.issueSecretId('app') }));
// Each line on stdin asks for the number of requests so far.
createInterface({ input: process.stdin }).on('line', () => console.log(v.requests.length));
`;

async function startFake(root, dir) {
  await build({
    entryPoints: [join(root, 'test', 'fakes', 'vault.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: join(dir, 'fake.mjs'),
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'serve.mjs'), SERVE);
  const child = spawn(process.execPath, [join(dir, 'serve.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise((resolve) => lines.once('line', resolve));
  const info = JSON.parse(await next());
  const count = async () => {
    const answer = next();
    child.stdin.write('count\n');
    return Number(await answer);
  };
  return { child, count, ...info };
}

const cpuMs = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
};

async function measure(binary, fake, env) {
  const child = spawn(binary, ['--watch', '1s', '--log-level', 'debug', '--', 'sleep', '600'], {
    env: { PATH: '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let polls = 0;
  const marks = new Map();
  const done = new Promise((resolve) => {
    createInterface({ input: child.stderr }).on('line', async (line) => {
      if (!/resolved \d+ secrets/.test(line)) return;
      polls++;
      if (polls === 2 || polls === POLLS) marks.set(polls, { cpu: cpuMs(child.pid), requests: await fake.count() });
      if (polls === POLLS) resolve();
    });
  });
  await done;
  child.kill('SIGTERM');
  const first = marks.get(2);
  const last = marks.get(POLLS);
  const n = POLLS - 2;
  return { requests: (last.requests - first.requests) / n, cpu: (last.cpu - first.cpu) / n };
}

// --mask throughput: 200 MB of lines holding a value, through the masking supervisor into a pipe read by
// cat, against the same bytes through cat alone. Wall time of the whole pipeline, best of 3.
function maskThroughput(binary) {
  const mb = 200;
  const dir = mkdtempSync(join(tmpdir(), 'mask-bench-'));
  writeFileSync(join(dir, 'store.json'), JSON.stringify({ v: 'bench-mask-value-5e1d' }));
  const source = `yes "some output with bench-mask-value-5e1d in it" | head -c ${mb * 1024 * 1024}`;
  const env = { PATH: '/usr/bin:/bin', SECRETS_EXEC_LOCAL_FILE: join(dir, 'store.json'), V: 'local://v' };
  const time = (command) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const started = process.hrtime.bigint();
      const result = spawnSync('/bin/sh', ['-c', `${command} | cat > /dev/null`], { env, stdio: 'ignore' });
      if (result.status !== 0) throw new Error(`${command}: status ${result.status}`);
      best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
    }
    return best;
  };
  try {
    const plain = time(source);
    const masked = time(`'${binary}' --mask --log-level error -- /bin/sh -c '${source}'`);
    printTable(
      ['--mask, 200 MB of lines with a value', 'ms', 'MB/s'],
      [
        ['cat alone', plain.toFixed(0), ((mb * 1000) / plain).toFixed(0)],
        ['through secrets-exec --mask', masked.toFixed(0), ((mb * 1000) / masked).toFixed(0)],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ root, binary }) {
  maskThroughput(binary);
  const dir = mkdtempSync(join(tmpdir(), 'watch-bench-'));
  const fake = await startFake(root, dir);
  try {
    const refs = Object.fromEntries(
      Array.from({ length: REFS }, (_, i) => [`S${i}`, `vault://secret/bench/s${i}#value`]),
    );
    const cases = [
      ['VAULT_TOKEN', { VAULT_ADDR: fake.url, VAULT_TOKEN: fake.token, ...refs }],
      [
        'AppRole (one login, kept across polls)',
        { VAULT_ADDR: fake.url, VAULT_ROLE_ID: 'bench-role', VAULT_SECRET_ID: fake.secretId, ...refs },
      ],
    ];
    const rows = [];
    for (const [name, env] of cases) {
      const { requests, cpu } = await measure(binary, fake, env);
      rows.push([
        `vault, ${REFS} references, ${name}`,
        requests.toFixed(1),
        (requests / REFS).toFixed(2),
        cpu.toFixed(0),
      ]);
    }
    printTable(['poll', 'requests per poll', 'per reference', 'CPU ms per poll'], rows);
  } finally {
    fake.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
