// A fleet restarting at once: FLEET_SIZE (default 200) secrets-exec processes started together, each with
// one reference, against a loopback fake that enforces a request-rate quota and answers the vendor's
// throttling error beyond it (AWS: 400 ThrottlingException; Vault: 429 "rate limit quota exceeded").
// Each fleet runs three times: without a quota (what the machine alone costs), with the release executable
// (retries wait a random share of the exponential backoff, "full jitter") and with a benchmark-only build
// whose retries wait the full backoff (no jitter).
// Reported per fleet: how many processes exec'd, time to exec p50/p95/p99 (from each process's spawn to its
// exit; the program is `true`), requests and retries per process; docs/fleet.svg shows when requests
// reached the fake (admitted and throttled) and how fast the fleet exec'd.
// The quota (FLEET_QUOTA requests/s, default 10, burst as much) is scaled to what 2 cores can start: a real
// Secrets Manager quota (thousands of GetSecretValue a second) is met by fleets on many machines.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printTable } from './measure.mjs';
import { svgChart } from './svg-chart.mjs';
import { buildBenchExecutable } from './timing-build.mjs';
import { importTs, root } from './ts-module.mjs';

const SIZE = Number(process.env.FLEET_SIZE ?? 200);
const QUOTA = Number(process.env.FLEET_QUOTA ?? 10);
// 200 processes need about a minute of CPU on 2 cores: the deadline is raised so that throttling, not the
// machine, decides who fails.
const TIMEOUT = process.env.FLEET_TIMEOUT ?? '180s';
const BASE_ENV = { PATH: '/usr/bin:/bin', AWS_EC2_METADATA_DISABLED: 'true' };

/** Starts `SIZE` processes at once; resolves with each one's time, status and retries. */
function startFleet(binary, env) {
  const t0 = performance.now();
  return Promise.all(
    Array.from(
      { length: SIZE },
      () =>
        new Promise((resolve) => {
          const start = performance.now();
          const argv = ['--timeout', TIMEOUT, '--log-level', 'debug', '--log-format', 'json', '--', 'true'];
          const child = spawn(binary, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.on('close', (status) =>
            resolve({
              ms: performance.now() - start,
              end: performance.now() - t0,
              status,
              error:
                status === 0
                  ? ''
                  : stderr
                      .split('\n')
                      .filter((l) => l.includes('"level":"error"'))
                      .join('\n'),
              retries: stderr.split('\n').filter((l) => l.includes('"event":"provider.retry"')).length,
            }),
          );
        }),
    ),
  );
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** A quota that also remembers when each request came and whether it was let through. */
function recordingLimit(RateLimit, quota) {
  const limit = new RateLimit(quota, quota);
  const t0 = performance.now();
  const arrivals = [];
  const take = limit.take.bind(limit);
  limit.take = () => {
    const ok = take();
    arrivals.push([performance.now() - t0, ok]);
    return ok;
  };
  return { limit, arrivals };
}

async function startAws(fakes) {
  const fake = await fakes.aws.startAwsFake();
  fake.putSecret('fleet/db', 'fleet-aws-value');
  return {
    env: { ...fakes.aws.awsTestEnv(fake), REF: 'aws-sm://fleet/db' },
    arm: (limit) => {
      fake.reset();
      fake.rateLimit = limit;
    },
    requests: () => fake.requests.length,
    close: () => fake.close(),
  };
}

async function startVault(fakes) {
  const vault = await fakes.vault.startFakeVault();
  vault.mountKv('secret', 2);
  vault.putSecret('secret', 'fleet/db', { password: 'fleet-vault-value' });
  vault.putPolicy('app', { 'secret/data/fleet/*': ['read'] });
  const token = vault.issueToken({ policies: ['app'] });
  return {
    env: { VAULT_ADDR: vault.url, VAULT_TOKEN: token, REF: 'vault://secret/fleet/db#password' },
    arm: (limit) => {
      vault.requests.length = 0;
      vault.rateLimiter = limit;
    },
    requests: () => vault.requests.length,
    close: () => vault.close(),
  };
}

/** Requests a second, in 100 ms buckets, as [seconds, rate] points. */
function rate(arrivals, admitted) {
  const buckets = new Map();
  for (const [t, ok] of arrivals)
    if (ok === admitted) buckets.set(Math.floor(t / 100), (buckets.get(Math.floor(t / 100)) ?? 0) + 1);
  const last = Math.max(0, ...buckets.keys());
  return Array.from({ length: last + 2 }, (_, i) => [i / 10, (buckets.get(i) ?? 0) * 10]);
}

export async function run({ binary }) {
  const fakes = {
    aws: await importTs('test/fakes/aws.ts'),
    vault: await importTs('test/fakes/vault.ts'),
    limit: await importTs('test/fakes/rate-limit.ts'),
  };
  const noJitter = buildBenchExecutable({ SECRETS_EXEC_NO_JITTER: '1' });
  const rows = [];
  const panels = [];
  try {
    for (const [name, start] of [
      ['aws', startAws],
      ['vault', startVault],
    ]) {
      const target = await start(fakes);
      const cdf = [];
      const arrivalSeries = [];
      try {
        for (const [variant, exe, quota] of [
          // 1e9 a second: every request admitted, and still recorded.
          ['no quota', binary, 1e9],
          ['jitter', binary, QUOTA],
          ['no jitter', noJitter.binary, QUOTA],
        ]) {
          const { limit, arrivals } = recordingLimit(fakes.limit.RateLimit, quota);
          target.arm(limit);
          const results = await startFleet(exe, { ...BASE_ENV, ...target.env });
          const requests = target.requests();
          target.arm(undefined);
          const ok = results.filter((r) => r.status === 0);
          const failed = results.find((r) => r.status !== 0);
          if (failed) console.log(`${name}, ${variant}: e.g. exit ${failed.status}: ${failed.error.slice(0, 600)}`);
          const sorted = ok.map((r) => r.ms).sort((a, b) => a - b);
          const retries = results.reduce((s, r) => s + r.retries, 0);
          rows.push([
            name,
            variant,
            `${ok.length}/${SIZE}`,
            ...[50, 95, 99].map((p) => (sorted.length ? pct(sorted, p).toFixed(0) : '-')),
            (requests / SIZE).toFixed(2),
            (retries / SIZE).toFixed(2),
            Math.max(...results.map((r) => r.retries)),
            limit.throttled,
          ]);
          const ends = ok.map((r) => r.end).sort((a, b) => a - b);
          cdf.push({ name: variant, points: [[0, 0], ...ends.map((t, i) => [t / 1000, (i + 1) / SIZE])] });
          if (quota !== 1e9) {
            arrivalSeries.push({ name: `${variant}: throttled`, points: rate(arrivals, false) });
            arrivalSeries.push({ name: `${variant}: admitted`, points: rate(arrivals, true) });
          }
        }
      } finally {
        await target.close();
      }
      panels.push({
        title: `${name}: requests reaching the fake (quota ${QUOTA}/s)`,
        xLabel: 'seconds since the fleet started',
        yLabel: 'requests / s',
        series: arrivalSeries,
      });
      panels.push({
        title: `${name}: processes exec'd`,
        xLabel: 'seconds since the fleet started',
        yLabel: `share of ${SIZE} processes`,
        series: cdf,
      });
    }
  } finally {
    rmSync(noJitter.dir, { recursive: true, force: true });
  }
  console.log(
    `${SIZE} processes at once, quota ${QUOTA} requests/s (burst ${QUOTA}), one reference each, --timeout ${TIMEOUT}\n`,
  );
  printTable(
    [
      'provider',
      'retries',
      "exec'd",
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'requests/process',
      'retries/process',
      'max retries',
      'throttled',
    ],
    rows,
  );
  writeFileSync(join(root, 'docs', 'fleet.svg'), svgChart(panels));
  console.log('\nchart: docs/fleet.svg');
}
