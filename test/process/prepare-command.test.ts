import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecError } from '../../src/process/exec-error.js';
import { exitStatusForChild, exitStatusForError } from '../../src/process/exit-status.js';
import { findExecutable } from '../../src/process/find-executable.js';
import { prepareCommand } from '../../src/process/prepare-command.js';

const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-cmd-'));
const file = (name: string, text: string, mode: number) => {
  writeFileSync(join(dir, name), text);
  chmodSync(join(dir, name), mode);
  return join(dir, name);
};
file('script', '#!/bin/sh\necho hi\n', 0o755);
file('noshebang', 'echo hi\n', 0o755);
file('badinterp', '#!/nonexistent/interpreter\n', 0o755);
file('notexec', '#!/bin/sh\n', 0o644);
mkdirSync(join(dir, 'adir'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ExecError);
    return exitStatusForError(error);
  }
}

describe('findExecutable', () => {
  it('searches PATH in order like execvp', () => {
    expect(findExecutable('sh', { path: '/nonexistent:/bin', cwd: '/' })).toBe('/bin/sh');
    expect(findExecutable('script', { path: `/nonexistent:${dir}`, cwd: '/' })).toBe(join(dir, 'script'));
  });

  it('treats an empty PATH entry as the current directory', () => {
    expect(findExecutable('script', { path: ':/bin', cwd: dir })).toBe(join(dir, 'script'));
  });

  it('uses a name with a slash as it is', () => {
    expect(findExecutable('./script', { path: '', cwd: dir })).toBe(join(dir, 'script'));
  });

  it.each([
    ['nonexistent-program', 127],
    ['notexec', 126],
    ['adir', 126],
    ['', 127],
  ])('%s → %s', (command, status) => {
    expect(statusOf(() => findExecutable(command, { path: dir, cwd: dir }))).toBe(status);
  });

  it('prefers a later executable over an earlier non-executable file, like execvp', () => {
    file('both', '#!/bin/sh\n', 0o644);
    const other = mkdtempSync(join(tmpdir(), 'secrets-exec-cmd2-'));
    writeFileSync(join(other, 'both'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findExecutable('both', { path: `${dir}:${other}`, cwd: '/' })).toBe(join(other, 'both'));
    rmSync(other, { recursive: true });
  });
});

describe('prepareCommand', () => {
  it('execs an ELF binary or a #! script directly', () => {
    expect(prepareCommand(['sh', '-c', 'true'], { path: '/bin', cwd: '/' })).toEqual({
      file: '/bin/sh',
      argv: ['sh', '-c', 'true'],
    });
    expect(prepareCommand(['script', 'a'], { path: dir, cwd: '/' })).toEqual({
      file: join(dir, 'script'),
      argv: ['script', 'a'],
    });
  });

  it('runs a file without #! with /bin/sh, as execvp does on ENOEXEC', () => {
    expect(prepareCommand(['noshebang', 'a'], { path: dir, cwd: '/' })).toEqual({
      file: '/bin/sh',
      argv: ['sh', join(dir, 'noshebang'), 'a'],
    });
  });

  it('refuses a script whose interpreter is missing with 127, naming the interpreter', () => {
    expect(statusOf(() => prepareCommand(['badinterp'], { path: dir, cwd: '/' }))).toBe(127);
    expect(() => prepareCommand(['badinterp'], { path: dir, cwd: '/' })).toThrow(
      /interpreter \/nonexistent\/interpreter is not found/,
    );
  });
});

describe('exit statuses', () => {
  it.each([
    [0, null, 0],
    [3, null, 3],
    [null, 'SIGTERM', 143],
    [null, 'SIGKILL', 137],
  ] as const)('child %s/%s → %s', (code, signal, status) => {
    expect(exitStatusForChild(code, signal)).toBe(status);
  });

  it('is 125 for any failure of secrets-exec itself', () => {
    expect(exitStatusForError(new Error('x'))).toBe(125);
  });
});
