// Whole runs in-process: main() gets argv, env and an Io, and returns what to do. Nothing here touches
// the real process, so these cover planning → resolving → the child's environment without a build.
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../src/main.js';

function io(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = {
    readFile: async (path) => {
      if (!(path in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return Buffer.from(files[path] ?? '');
    },
    now: () => 0,
    cwd: '/',
    argLimit: 2 * 1024 * 1024,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    version: 'test',
  };
  return { io: value, out, err };
}

const STORE = { '/s.json': JSON.stringify({ db: { password: 'hunter2' }, token: 'tok' }) };

describe('main', () => {
  it('plans an exec with references replaced and its own settings scrubbed', async () => {
    const { io: i } = io(STORE);
    const result = await main(
      ['--', 'sh', '-c', 'true'],
      {
        PATH: '/usr/bin:/bin',
        SECRETS_EXEC_LOCAL_FILE: '/s.json',
        PW: 'local://db#password',
        T: 'local://token',
        KEEP: 'x',
        VAULT_TOKEN: 'v',
      },
      i,
    );
    expect(result.action).toBe('exec');
    if (result.action !== 'exec') return;
    expect(result.env).toEqual({ PATH: '/usr/bin:/bin', PW: 'hunter2', T: 'tok', KEEP: 'x' });
    expect(result.command).toEqual({ file: '/usr/bin/sh', argv: ['sh', '-c', 'true'] });
  });

  it('keeps a scrubbed variable that --keep-env names', async () => {
    const { io: i } = io(STORE);
    const result = await main(['--keep-env', 'VAULT_TOKEN', '--', 'true'], { PATH: '/bin', VAULT_TOKEN: 'v' }, i);
    expect(result.action === 'exec' && result.env.VAULT_TOKEN).toBe('v');
  });

  it('fails closed with 125 and one line per failed variable', async () => {
    const { io: i, err } = io(STORE);
    const result = await main(
      ['--local-file', '/s.json', '--', 'true'],
      { A: 'local://nope', B: 'local://db#nokey', C: 'local://token' },
      i,
    );
    expect(result).toEqual({ action: 'exit', status: 125 });
    expect(err.filter((l) => l.includes('error:'))).toHaveLength(2);
    expect(err.join('')).not.toContain('hunter2');
  });

  it('prints help and version on stdout', async () => {
    const help = io();
    expect(await main(['--help'], {}, help.io)).toEqual({ action: 'exit', status: 0 });
    expect(help.out.join('')).toMatch(/^secrets-exec test: /);
    expect(help.out.join('')).toContain('SECRETS_EXEC_ENV_FILE');
    const version = io();
    await main(['--version'], {}, version.io);
    expect(version.out).toEqual(['secrets-exec test\n']);
  });

  it("turns a missing program into 127 before anything is exec'd", async () => {
    const { io: i, err } = io();
    expect(await main(['--', 'no-such-program'], { PATH: '/nonexistent' }, i)).toEqual({ action: 'exit', status: 127 });
    expect(err.join('')).toMatch(/no-such-program: not found in PATH/);
  });
});

describe('unknown settings', () => {
  it('warns about a SECRETS_EXEC_ variable nothing reads, with the name it resembles, and runs', async () => {
    const { io: i, err } = io(STORE);
    const result = await main(['--', 'true'], { PATH: '/bin', SECRETS_EXEC_TIMOUT: '5s' }, i);
    expect(result.action).toBe('exec');
    expect(err.join('')).toMatch(
      /warn: SECRETS_EXEC_TIMOUT is not a secrets-exec setting and is ignored; did you mean SECRETS_EXEC_TIMEOUT\?/,
    );
  });

  it('knows the variables providers read (SECRETS_EXEC_VAULT_ROLE is no unknown setting)', async () => {
    const { io: i, err } = io(STORE);
    await main(['--', 'true'], { PATH: '/bin', SECRETS_EXEC_VAULT_ROLE: 'app', SECRETS_EXEC_CA_FILE: '/ca' }, i);
    expect(err.join('')).toBe('');
  });
});
