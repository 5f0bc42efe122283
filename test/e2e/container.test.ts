// Container-shaped runs without a container engine: the executable in a minimal root that holds only
// itself, the shared libraries it links and a store — no shell, no Node.js, no /proc — as in a slim
// image whose ENTRYPOINT it is.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, runBinary } from '../support/run-binary.js';

let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'secrets-exec-root-'));
  const libraries = execFileSync('ldd', [BINARY], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
  // Node.js 26 links libatomic, which slim images lack: the README and Dockerfile.example say to install it.
  expect(libraries.some((l) => l.endsWith('/libatomic.so.1'))).toBe(true);
  for (const file of [BINARY, ...libraries]) {
    const target = join(root, file === BINARY ? '/usr/local/bin/secrets-exec' : file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  writeFileSync(join(root, 'store.json'), JSON.stringify({ token: 'chroot-value' }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('in a minimal root', () => {
  it('resolves and execs a program (itself) with nothing else in the image', async () => {
    const result = await runBinary(
      [
        root,
        '/usr/local/bin/secrets-exec',
        '--local-file',
        '/store.json',
        '--',
        '/usr/local/bin/secrets-exec',
        'check',
        '--local-file',
        '/store.json',
      ],
      { command: ['/usr/sbin/chroot'], env: { PATH: '/usr/local/bin', TOKEN: 'local://token' } },
    );
    expect(result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
    // The exec'd copy saw TOKEN already resolved (a plain value), so its `check` has nothing to resolve.
    expect(result.stdout).toBe('VARIABLE  REFERENCE  PROVIDER  VERSION  LENGTH  STATUS\n');
  });

  it('fails closed with 125 when the store is missing, and 127 for a missing program', async () => {
    const missingStore = await runBinary(
      [
        root,
        '/usr/local/bin/secrets-exec',
        '--local-file',
        '/nope.json',
        '--',
        '/usr/local/bin/secrets-exec',
        '--version',
      ],
      {
        command: ['/usr/sbin/chroot'],
        env: { PATH: '/usr/local/bin', TOKEN: 'local://token' },
      },
    );
    expect(missingStore.status).toBe(125);
    const missingProgram = await runBinary([root, '/usr/local/bin/secrets-exec', '--', 'sh', '-c', 'true'], {
      command: ['/usr/sbin/chroot'],
      env: { PATH: '/usr/local/bin:/bin' },
    });
    expect(missingProgram.status).toBe(127);
  });
});
