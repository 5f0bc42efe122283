// --mask end to end: the program's stdout and stderr pass through secrets-exec with the resolved values
// (as written, base64, JSON-escaped) redacted, also when a value is split over two writes; a short value
// is named in a warning and left alone; 100 MB through a slow reader keeps the supervisor's memory flat.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_ENV, BINARY, runBinary } from '../support/run-binary.js';

const VALUE = 'mask-e2e-"value"/9f3a';
let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mask-e2e-'));
  writeFileSync(join(dir, 'store.json'), JSON.stringify({ value: VALUE, short: 'abc' }));
  env = { SECRETS_EXEC_LOCAL_FILE: join(dir, 'store.json'), V: 'local://value', S: 'local://short' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rssKb = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
};

describe('--mask', () => {
  it('redacts values and their encodings from stdout and stderr, across writes; keeps the exit status', async () => {
    const script =
      'printf "a %s" "$(printf %s "$V" | cut -c1-9)"; sleep 0.2; printf "%s b\\n" "$(printf %s "$V" | cut -c10-)"; ' +
      'printf "%s" "$V" | base64; printf "{\\"k\\":%s}\\n" "$(printf "%s" "$V" | sed "s/\\"/\\\\\\\\\\"/g")"; ' +
      'echo "short=$S"; echo "err $V" >&2; exit 3';
    const result = await runBinary(['--mask', '--', '/bin/sh', '-c', script], { env });
    expect(result.status).toBe(3);
    // The JSON line holds the JSON-escaped form (with \" for each quote) between its own quotes.
    expect(result.stdout).toBe('a [redacted] b\n[redacted]\n{"k":[redacted]}\nshort=abc\n');
    expect(result.stderr).toContain('err [redacted]');
    expect(result.stderr).toMatch(/not masked \(shorter than 6 characters.*\): S/);
    expect(result.stdout + result.stderr).not.toContain(VALUE);
  });

  it('passes 100 MB through a slow reader with memory bounded (as with 1 MB)', async () => {
    const small = await pipeThroughSlowReader(1024 * 1024);
    const large = await pipeThroughSlowReader(100 * 1024 * 1024);
    expect(large.leaked || small.leaked).toBe(false);
    // Every line "x VALUE y\n" (33 bytes) became "x [redacted] y\n" (15 bytes).
    expect(large.received).toBeGreaterThan(40 * 1024 * 1024);
    expect(large.received).toBeLessThan(60 * 1024 * 1024);
    // Nothing like the 100 MB stayed in memory: the peak is that of a 1 MB run, give or take the heap's growth.
    expect(small.peakKb).toBeGreaterThan(0);
    expect(large.peakKb - small.peakKb).toBeLessThan(32 * 1024);
    console.log(
      `--mask peak RSS: 1 MB ${Math.round(small.peakKb / 1024)} MB, 100 MB ${Math.round(large.peakKb / 1024)} MB`,
    );
  }, 120_000);
});

async function pipeThroughSlowReader(bytes: number) {
  const child = spawn(BINARY, ['--mask', '--', '/bin/sh', '-c', `yes "x $V y" | head -c ${bytes}`], {
    env: { ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let received = 0;
  let leaked = false;
  let tail = '';
  let peakKb = 0;
  const sampler = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, rssKb(child.pid ?? 0));
    } catch {}
  }, 20);
  child.stdout.on('data', (chunk: Buffer) => {
    received += chunk.length;
    const text = tail + chunk.toString('latin1');
    if (text.includes(VALUE)) leaked = true;
    tail = text.slice(-VALUE.length);
    // A slow reader: a pause after every megabyte.
    if (received % (1024 * 1024) < chunk.length) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 5);
    }
  });
  const status = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  expect(status).toBe(0);
  return { received, leaked, peakKb };
}
