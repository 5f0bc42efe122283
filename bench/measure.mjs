// Shared timing helpers for the benchmarks: wall-clock time of whole processes, median of N runs.
import { spawn, spawnSync } from 'node:child_process';

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `argv` `runs` times (after one warm-up) and returns the median wall time in ms; throws on failure. */
export function timeProcess(argv, { env = {}, runs = 15, cwd } = {}) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const ms = spawnTimed(argv, { env, cwd });
    if (i > 0) times.push(ms);
  }
  return median(times);
}

// One synchronous run: its wall time in ms; throws on a failure.
function spawnTimed(argv, { env = {}, cwd } = {}) {
  const [file, ...args] = argv;
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, {
    env: { PATH: '/usr/bin:/bin', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/**
 * Runs every case once per round, `rounds` times (after one warm-up round), and returns each case's median
 * wall time in ms: interleaved, a busy moment of a noisy machine falls on every case alike, so ratios hold.
 */
export function timeInterleaved(cases, { rounds = 21 } = {}) {
  const times = cases.map(() => []);
  for (let round = 0; round <= rounds; round++) {
    cases.forEach(({ argv, env }, i) => {
      const ms = spawnTimed(argv, { env });
      if (round > 0) times[i].push(ms);
    });
  }
  return times.map(median);
}

/** Prints rows as a Markdown table. */
export function printTable(header, rows) {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/**
 * One run spawned asynchronously, so that a fake in this process can answer while it waits: its wall time
 * in ms and its stderr. Rejects when the exit status is not `status`.
 */
export function runTimed(argv, env, status = 0) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === status) resolve({ ms, stderr });
      else reject(new Error(`${argv.join(' ')} exited ${code} (expected ${status}): ${stderr}`));
    });
  });
}

/** The wall times of `runs` asynchronous runs after one warm-up. */
export async function timedRuns(argv, env, { runs = 15, status = 0 } = {}) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const { ms } = await runTimed(argv, env, status);
    if (i > 0) times.push(ms);
  }
  return times;
}

/** Median of `runs` asynchronous runs after one warm-up. */
export async function medianRun(argv, env, runs = 15) {
  return median(await timedRuns(argv, env, { runs }));
}
