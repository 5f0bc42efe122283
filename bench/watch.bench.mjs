// What --watch costs while it waits: requests and CPU per poll of the watching supervisor, with 50
// references on the fake Vault (test/fakes/vault.ts, in a child process bundled with esbuild) over
// loopback. CPU is the supervisor's own utime+stime from /proc/PID/stat between the 2nd and the last poll
// (the first poll loads the modules); requests are what the fake recorded over the same polls. Then the
// throughput of --mask against cat. Then the same requests per poll for 50 references on the fake of every
// cloud provider (bench/poll-fakes.mjs; logins counted apart), and what a Vault KV v2 poll would move if it
// read `metadata/` instead of `data/` (bytes of each answer for one secret).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bundleTs } from './ts-module.mjs';
import { printTable } from './measure.mjs';
import { CLOUD_FAKES } from './poll-fakes.mjs';

const REFS = 50;
const POLLS = 12;
const TICK_MS = 10; // USER_HZ is 100 on Linux

const SERVE = `
import { createInterface } from 'node:readline';
import { startFakeVault } from './fake.mjs';
const v = await startFakeVault();
v.mountKv('secret', 2);
for (let i = 0; i < ${REFS}; i++) v.putSecret('secret', 'bench/s' + i, { value: 'value-' + i });
v.putPolicy('app', { 'secret/data/bench/*': ['read', 'create', 'update'], 'secret/metadata/bench/*': ['read'] });
v.enableAppRole({ role: 'app', roleId: 'bench-role', policies: ['app'] });
const token = v.issueToken({ policies: ['app'] });
console.log(JSON.stringify({ url: v.url, token, secretId: v.issueSecretId('app') }));
// Each line on stdin asks for the number of requests so far.
createInterface({ input: process.stdin }).on('line', () => console.log(v.requests.length));
`;

async function startFake(dir) {
  await bundleTs(['test/fakes/vault.ts'], join(dir, 'fake.mjs'));
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

async function measure(binary, fake, env, logins = () => 0) {
  const child = spawn(binary, ['--watch', '1s', '--log-level', 'debug', '--', 'sleep', '600'], {
    env: { PATH: '/usr/bin:/bin', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let polls = 0;
  const marks = new Map();
  let stderr = '';
  const done = new Promise((resolve, reject) => {
    child.on('exit', (status) => reject(new Error(`secrets-exec --watch exited ${status}: ${stderr.slice(-2000)}`)));
    createInterface({ input: child.stderr }).on('line', async (line) => {
      if (polls === 0) stderr += `${line}\n`;
      if (!/resolved \d+ secrets/.test(line)) return;
      polls++;
      if (polls !== 2 && polls !== POLLS) return;
      marks.set(polls, { cpu: cpuMs(child.pid), requests: await fake.count(), logins: logins() });
      if (polls === POLLS) resolve();
    });
  });
  await done;
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  const first = marks.get(2);
  const last = marks.get(POLLS);
  const n = POLLS - 2;
  return {
    requests: (last.requests - first.requests) / n,
    logins: (last.logins - first.logins) / n,
    cpu: (last.cpu - first.cpu) / n,
  };
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

export async function run({ binary }) {
  maskThroughput(binary);
  const dir = mkdtempSync(join(tmpdir(), 'watch-bench-'));
  const fake = await startFake(dir);
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
      // A Vault login is one of the fake's requests: none happens per poll once it is kept.
      const { requests, logins, cpu } = await measure(binary, fake, env);
      const row = [`vault, ${REFS} references, ${name}`, requests.toFixed(1), (requests / REFS).toFixed(2)];
      rows.push([...row, logins.toFixed(1), cpu.toFixed(0)]);
    }
    rows.push(...(await cloudPolls(binary)));
    printTable(['poll', 'requests per poll', 'per reference', 'logins per poll', 'CPU ms per poll'], rows);
    await vaultAnswerSizes(fake);
  } finally {
    fake.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function cloudPolls(binary) {
  const rows = [];
  for (const [name, start] of CLOUD_FAKES) {
    const fake = await start(REFS);
    try {
      const { requests, logins, cpu } = await measure(binary, { count: fake.requests }, fake.env, fake.logins);
      const row = [`${name}, ${REFS} references`, requests.toFixed(1), (requests / REFS).toFixed(2)];
      rows.push([...row, logins.toFixed(1), cpu.toFixed(0)]);
    } finally {
      await fake.close();
    }
  }
  return rows;
}

// A KV v2 poll that asked `metadata/` first would make the same one request per reference (Vault has no
// batch read) and move this answer instead of the value's: bytes of both for one secret, as it was first
// written and after nine more versions (`metadata/` lists every version it keeps, ten by default).
async function vaultAnswerSizes(fake) {
  const headers = { 'X-Vault-Token': fake.token };
  const size = async (path) => (await (await fetch(`${fake.url}/v1/secret/${path}`, { headers })).text()).length;
  const rows = [['1 version', await size('data/bench/s0'), await size('metadata/bench/s0')]];
  for (let v = 2; v <= 10; v++) {
    const body = JSON.stringify({ data: { value: `value-0-v${v}` } });
    await fetch(`${fake.url}/v1/secret/data/bench/s0`, { method: 'POST', headers, body });
  }
  rows.push(['10 versions', await size('data/bench/s0'), await size('metadata/bench/s0')]);
  printTable(['vault KV v2 answer, one secret', 'data/ bytes', 'metadata/ bytes'], rows);
}
