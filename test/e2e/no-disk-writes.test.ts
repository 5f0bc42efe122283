// Nothing is written to disk (README, security model): no temp files, caches or token sinks. strace
// records every call that could create or change a file, from secrets-exec's start up to the exec of the
// program.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVARIANT_SETUPS, type RunningSetup } from '../support/provider-setups.js';
import { BINARY, ROOT, runBinary } from '../support/run-binary.js';

const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-strace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CALLS =
  'open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,' +
  'truncate,ftruncate,symlink,symlinkat,link,linkat,chmod,fchmodat,execve';

/** The traced calls secrets-exec made before it exec'd the program. */
async function traceUntilExec(args: string[], env: Record<string, string>): Promise<string[]> {
  const log = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const result = await runBinary(['-f', '-qq', '-e', `trace=${CALLS}`, '-o', log, BINARY, ...args], {
    command: ['strace'],
    env,
  });
  expect(result.status).toBe(0);
  const lines = readFileSync(log, 'utf8').split('\n');
  const execs = lines.map((l, i) => (/ execve\(/.test(l) ? i : -1)).filter((i) => i >= 0);
  expect(execs.length).toBe(2); // secrets-exec itself, then the program
  // Every execve's argv as strace printed it: the program's must hold no value either.
  expect(execs.map((i) => lines[i]).join('\n')).not.toMatch(/s3cr3t-db-password|example-api-key-1234|sk_test_example/);
  return lines.slice(0, execs[1]);
}

// Calls that create or change a file. Node.js opens /dev/null read-write when a std stream is closed.
function writesIn(calls: readonly string[]): string[] {
  const writes = calls.filter(
    (l) =>
      /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/.test(l) ||
      /\b(creat|mkdir|mkdirat|rename\w*|unlink\w*|truncate|ftruncate|symlink\w*|link\w*|chmod|fchmodat)\(/.test(l),
  );
  return writes.filter((l) => !l.includes('"/dev/null"'));
}

/** Every traced call of a whole run (all processes: secrets-exec, its re-execs, a supervised program). */
async function traceAll(args: string[], env: Record<string, string>): Promise<{ calls: string[]; stdout: string }> {
  const log = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const result = await runBinary(['-f', '-qq', '-e', `trace=${CALLS}`, '-o', log, BINARY, ...args], {
    command: ['strace'],
    env,
  });
  expect(result.status).toBe(0);
  return { calls: readFileSync(log, 'utf8').split('\n'), stdout: result.stdout };
}

describe.each(INVARIANT_SETUPS.map((s) => [s.name, s] as const))('after a %s reference', (_name, setup) => {
  let running: RunningSetup;
  beforeAll(async () => {
    running = await setup.start();
  });
  afterAll(() => running.close());

  it('exec: nothing is opened for writing up to the exec, at debug level', async () => {
    const calls = await traceUntilExec(['--log-level', 'debug', '--', 'true'], running.env);
    expect(writesIn(calls)).toEqual([]);
  });

  it('supervise: nothing is written by the supervisor either', async () => {
    // The program is `true`, which writes nothing: every write in the trace would be secrets-exec's.
    const { calls } = await traceAll(['--supervise', '--log-level', 'debug', '--', 'true'], running.env);
    expect(writesIn(calls)).toEqual([]);
  });
});

describe('the Ansible vault password client', () => {
  it('writes nothing anywhere but its stdout', async () => {
    const store = join(ROOT, 'test', 'fixtures', 'ansible', 'store.yaml');
    const env = { SECRETS_EXEC_LOCAL_FILE: store, SECRETS_EXEC_ANSIBLE_VAULT_PASSWORD: 'dev=local://vault-ids#dev' };
    const { calls, stdout } = await traceAll(['ansible-vault-client', '--vault-id', 'dev'], env);
    expect(stdout).toBe('dev-secret-1c2b\n');
    expect(writesIn(calls)).toEqual([]);
  });
});

describe('nothing is written to disk', () => {
  it('opens files only for reading while resolving, at debug level, with --load and --env-file', async () => {
    const calls = await traceUntilExec(
      [
        '--log-level',
        'debug',
        '--local-file',
        join(ROOT, 'examples', 'secrets.yaml'),
        '--env-file',
        join(ROOT, 'examples', 'app.env'),
        '--load',
        'local://stripe?upcase',
        '--',
        'true',
      ],
      { API: 'local://api-key' },
    );
    expect(writesIn(calls)).toEqual([]);
    expect(calls.some((l) => l.includes('secrets.yaml'))).toBe(true); // the trace did see the run
  });
});
