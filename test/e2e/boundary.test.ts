// The program must start exactly as if the container runtime had started it directly, whatever
// secrets-exec did before: for every provider (after its HTTP requests and log lines), in exec and
// supervise mode, with pipes and with a terminal. Checked by a probe that reports what it inherited.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVARIANT_SETUPS, type RunningSetup } from '../support/provider-setups.js';
import { BINARY, FIXTURES, runBinary } from '../support/run-binary.js';

const PROBE = join(FIXTURES, 'report-boundary.sh');
// Descriptors a parent passes on (socket activation and the like): 5 read-only, 9 append-only.
const WITH_FDS = 'exec 5</dev/null 9>>"$FD9"; exec "$@"';
const fields = (stdout: string): Record<string, string> =>
  Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boundary-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(INVARIANT_SETUPS.map((s) => [s.name, s] as const))('after a %s reference', (_name, setup) => {
  let running: RunningSetup;
  beforeAll(async () => {
    running = await setup.start();
  });
  afterAll(() => running.close());

  const runWithFds = (args: readonly string[]) =>
    runBinary(['-c', WITH_FDS, 'sh', ...args], { command: ['sh'], env: { ...running.env, FD9: join(dir, 'fd9') } });

  it.each([
    ['exec', []],
    ['supervise', ['--supervise']],
  ] as const)('%s: the program inherits exactly what the runtime gave', async (mode, flags) => {
    const direct = fields((await runWithFds([PROBE])).stdout);
    const result = await runWithFds([BINARY, ...flags, '--log-level', 'debug', '--', PROBE]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/warn: using the local development store/);
    expect(result.stderr).not.toContain(running.value);
    const got = fields(result.stdout);
    expect(got.REF).toBe(running.value);
    expect(got).toMatchObject({
      SigIgn: '0000000000000000',
      SigBlk: '0000000000000000',
      nonblock0: 'no',
      nonblock1: 'no',
      nonblock2: 'no',
    });
    // Every descriptor, with the flags it had, and no other: 0, 1, 2, 5 and 9 as the parent opened them.
    expect(got.fds).toBe(direct.fds);
    expect(got.fds).toMatch(/^0:\d+ 1:\d+ 2:\d+ .*\b5:0100000 9:0102001\b/);
    if (mode === 'exec') {
      expect(got.pid).toBe(String(result.pid));
    } else {
      expect(got.ppid).toBe(String(result.pid));
      expect(got.parent_comm).toBe('secrets-exec');
      // The supervisor re-executed itself with the program's environment: none of its credentials is left.
      const parentEnv = (got.parent_env ?? '').split(' ');
      for (const name of running.credentials) expect(parentEnv).not.toContain(name);
      expect(parentEnv.filter((n) => n.startsWith('SECRETS_EXEC_')).sort()).toEqual(['SECRETS_EXEC_SUPERVISE_CHILD']);
    }
  });

  it.each([
    ['exec', []],
    ['supervise', ['--supervise']],
  ] as const)('%s: a terminal stays in blocking mode', async (_mode, flags) => {
    // script(1) runs the command on a new pseudo-terminal: stdio is then a tty, as with `docker run -t`.
    const inner = [BINARY, ...flags, '--', PROBE].map((a) => `'${a}'`).join(' ');
    const result = await runBinary(['-qec', inner, '/dev/null'], { command: ['script'], env: running.env });
    const got = fields(result.stdout.replace(/\r/g, ''));
    expect(got.REF).toBe(running.value);
    expect(got).toMatchObject({ nonblock0: 'no', nonblock1: 'no', nonblock2: 'no', SigBlk: '0000000000000000' });
  });

  it('a program writing 1 MB to a slow stderr reader loses nothing', async () => {
    const script = `"${BINARY}" -- sh -c 'head -c 1000000 /dev/zero >&2' 2>&1 >/dev/null | (sleep 0.3; wc -c)`;
    const result = await runBinary(['-c', script], { command: ['sh'], env: running.env });
    // The local store's warning line comes first; the program's megabyte follows whole.
    expect(Number(result.stdout.trim())).toBeGreaterThan(1_000_000);
  });
});
