// The program must start exactly as if the container runtime had started it directly (docs/process-model.md):
// same PID, default signal dispositions, empty mask, blocking stdio, no extra descriptors.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BINARY, BUNDLE, FIXTURES, NODE, ROOT, runBinary } from '../support/run-binary.js';

const probe = `${FIXTURES}/print-inherited.sh`;
/** Starts secrets-exec with wait-for-term.sh, sends TERM to its PID once the program says "ready". */
async function termOnceReady(options: readonly string[]): Promise<{ out: string; status: number | null }> {
  const child = spawn(BINARY, [...options, '--', `${FIXTURES}/wait-for-term.sh`], { env: { PATH: '/usr/bin:/bin' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    if (!out.includes('ready') && (out + d).includes('ready')) child.kill('SIGTERM');
    out += d;
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { out, status };
}

const fields = (stdout: string) =>
  Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => l.split('=') as [string, string]),
  );

describe('exec', () => {
  it("hands the program the wrapper's own PID", async () => {
    const result = await runBinary(['--', probe]);
    expect(result.status).toBe(0);
    expect(fields(result.stdout).pid).toBe(String(result.pid));
  });

  it('makes the program PID 1 in a new PID namespace', async () => {
    const result = await runBinary(['-fp', '--mount-proc', BINARY, '--', probe], { command: ['unshare'] });
    expect(result.stderr).toBe('');
    expect(fields(result.stdout).pid).toBe('1');
  });

  it('leaves no signal ignored or blocked, no extra descriptor and blocking stdio', async () => {
    // The baseline is the probe started directly by this runner, just before and just after: descriptors
    // the runner itself leaks (some CI harnesses do, and a busy worker may for an instant) are not
    // secrets-exec's. One secrets-exec left open would be there every time, so it matches neither.
    const directFds = async () => fields((await runBinary([], { command: [probe] })).stdout).fds;
    const before = await directFds();
    const result = fields((await runBinary(['--', probe])).stdout);
    const after = await directFds();
    expect(result).toMatchObject({
      SigIgn: '0000000000000000',
      SigBlk: '0000000000000000',
      nonblock0: 'no',
      nonblock1: 'no',
      nonblock2: 'no',
    });
    expect([before, after]).toContain(result.fds);
    expect(before?.startsWith('0 1 2')).toBe(true);
  });

  it('delivers 5 MB written into a slow pipe whole', async () => {
    const script = `"${BINARY}" --log-level debug -- head -c 5000000 /dev/zero | (sleep 0.3; wc -c)`;
    const result = await runBinary(['-c', script], { command: ['sh'] });
    expect(result.stderr).not.toMatch(/Resource temporarily unavailable|EAGAIN/);
    expect(result.stdout.trim()).toBe('5000000');
  });

  it('lets `yes | head -1` end quietly (SIGPIPE is not ignored)', async () => {
    const result = await runBinary(['--', 'sh', '-c', 'yes | head -1']);
    expect(result.stdout).toBe('y\n');
    expect(result.stderr).not.toMatch(/Broken pipe/);
  });

  it('lets a TERM sent to the PID reach the program', async () => {
    const { out, status } = await termOnceReady([]);
    expect(out).toContain('got TERM');
    expect(status).toBe(0);
  });

  it("ignores the program's NODE_OPTIONS (the executable is not a Node.js that obeys them)", async () => {
    const result = await runBinary(['--', 'sh', '-c', 'echo "$NODE_OPTIONS"'], {
      env: { NODE_OPTIONS: '--require ./does-not-exist.js' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('--require ./does-not-exist.js\n');
  });

  it('runs with no Node.js on PATH', async () => {
    const result = await runBinary(['--', '/bin/sh', '-c', 'echo ok'], { env: { PATH: '/nonexistent' } });
    expect(result.stdout).toBe('ok\n');
  });
});

describe('exit status', () => {
  it.each([
    [['--', 'true'], 0],
    [['--', `${FIXTURES}/exit-with.sh`, '3'], 3],
    [['--', 'no-such-program-anywhere'], 127],
    [['--', `${ROOT}/package.json`], 126],
    [['--', '/nonexistent/program'], 127],
    [['--no-such-option', 'true'], 125],
    [[], 125],
    [['--', 'sh', '-c', 'kill -TERM $$'], 143],
  ])('%j → %s', async (args, status) => {
    const supervised = status === 143 ? ['--supervise', ...args] : args;
    expect((await runBinary(supervised)).status).toBe(status);
  });

  it("passes the program's own death by signal through when exec'd", async () => {
    const result = await runBinary(['--', 'sh', '-c', 'kill -TERM $$']);
    expect(result.signal).toBe('SIGTERM');
  });

  it('prints usage errors as one line without a stack trace', async () => {
    const result = await runBinary(['--bogus']);
    expect(result.stderr).toBe(
      "secrets-exec: error: unknown option '--bogus'; see --help (put the program after --)\n",
    );
  });
});

describe('supervise mode', () => {
  it('forwards TERM to the program and exits with its status', async () => {
    const { out, status } = await termOnceReady(['--supervise']);
    expect(out).toContain('got TERM');
    expect(status).toBe(0);
  });

  it('is what the bundle falls back to on a Node.js without process.execve', async () => {
    const result = await runBinary(
      ['--require', `${FIXTURES}/no-execve.cjs`, BUNDLE, '--', 'sh', '-c', 'echo $PPID; exit 4'],
      { command: [NODE] },
    );
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(/no process.execve: supervising/);
    expect(result.stdout.trim()).toBe(String(result.pid));
  });

  it('runs as exec on a Node.js that has process.execve', async () => {
    const result = await runBinary([BUNDLE, '--', 'sh', '-c', 'echo $$'], { command: [NODE] });
    expect(result.stdout.trim()).toBe(String(result.pid));
  });
});
