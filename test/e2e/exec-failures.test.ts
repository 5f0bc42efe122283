// Every way execve(2) can refuse the program ends in one line naming the program and the reason, with
// the shell's status (127 not found, 126 cannot run, 125 not the program's fault) — never an abort of
// the runtime, and never a core file (which would hold the resolved environment).
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  closeSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, runBinary } from '../support/run-binary.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'exec-failures-'));
  chmodSync(dir, 0o755);
  // An ELF header for aarch64: the kernel refuses it with ENOEXEC on x86-64.
  const foreign = Buffer.alloc(256);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(foreign);
  foreign.writeUInt16LE(2, 16);
  foreign.writeUInt16LE(process.arch === 'arm64' ? 0x3e : 0xb7, 18);
  writeFileSync(join(dir, 'foreign'), foreign, { mode: 0o755 });
  writeFileSync(join(dir, 'no-interpreter'), '#!/nonexistent/interpreter\necho hi\n', { mode: 0o755 });
  writeFileSync(join(dir, 'not-executable'), 'echo hi\n', { mode: 0o644 });
  symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
  symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
  copyFileSync('/bin/true', join(dir, 'execute-only'));
  chmodSync(join(dir, 'execute-only'), 0o711);
  copyFileSync('/bin/true', join(dir, 'busy'));
  chmodSync(join(dir, 'busy'), 0o755);
  writeFileSync(join(dir, 'store.json'), JSON.stringify({ big: 'x'.repeat(100_000) }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Runs secrets-exec from `dir` with core dumps allowed, so that an abort would leave a core file there.
const runInDir = (args: string, env: Record<string, string> = {}) =>
  runBinary(['-c', `ulimit -c unlimited; cd "${dir}" && exec "${BINARY}" ${args}`], { command: ['sh'], env });

describe('a program execve refuses', () => {
  it.each([
    [
      'a binary for another architecture',
      'foreign',
      126,
      /cannot start .*foreign: not an executable format this system can run/,
    ],
    [
      'a missing #! interpreter',
      'no-interpreter',
      127,
      /no-interpreter: its #! interpreter \/nonexistent\/interpreter is not found/,
    ],
    ['a file without execute permission', 'not-executable', 126, /not-executable: not an executable file/],
    ['a symbolic link loop', 'loop-a', 126, /loop-a: not an executable file/],
    ['a missing program', 'missing', 127, /missing: not found/],
  ])('%s: status %d, one line, no core file', async (_what, name, status, message) => {
    const result = await runInDir(`-- "./${name}"`);
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.startsWith('core'))).toEqual([]);
  });

  it('a program open for writing (text file busy): 126, naming the reason', async () => {
    const fd = openSync(join(dir, 'busy'), 'r+');
    try {
      const result = await runInDir('-- ./busy');
      expect(result.status).toBe(126);
      expect(result.stderr).toMatch(/cannot start .*busy: the file is open for writing \(text file busy\)/);
    } finally {
      closeSync(fd);
    }
  });

  it(
    'an environment over the limit of this stack size (a quarter of it): ' + '125, naming the largest variable',
    async () => {
      // 256 KiB allowed under `ulimit -s 1024`; the resolved values make the program's environment 300 KB.
      const refs = 'A=local://big B=local://big C=local://big';
      const result = await runBinary(
        ['-c', `ulimit -s 1024; cd "${dir}" && ${refs} exec "${BINARY}" --local-file store.json -- true`],
        { command: ['sh'] },
      );
      expect(result.status).toBe(125);
      expect(result.stderr).toMatch(/over the 262144 exec allows with this stack limit \(largest: [ABC],/);
      expect(result.stderr).not.toContain('x'.repeat(100));
    },
  );

  it('an execute-only program (mode 711) runs for a user who may not read it', async () => {
    const result = await runBinary(
      ['--reuid=65534', '--regid=65534', '--clear-groups', BINARY, '--', join(dir, 'execute-only')],
      { command: ['setpriv'] },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
