import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProgramDir, statusOf } from '../support/program-dir.js';
import { findExecutable } from '../../src/process/find-executable.js';

const { dir, remove } = makeProgramDir();
afterAll(remove);

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
    writeFileSync(join(dir, 'both'), '#!/bin/sh\n', { mode: 0o644 });
    const other = mkdtempSync(join(tmpdir(), 'secrets-exec-cmd2-'));
    writeFileSync(join(other, 'both'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findExecutable('both', { path: `${dir}:${other}`, cwd: '/' })).toBe(join(other, 'both'));
    rmSync(other, { recursive: true });
  });
});
