// Programs of every kind for the process tests: a script, a file without #!, a missing interpreter,
// a file without execute permission, and a directory, in one temporary folder.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ExecError } from '../../src/process/exec-error.js';
import { exitStatusForError } from '../../src/process/exit-status.js';

/** Makes the folder; `remove` deletes it. */
export function makeProgramDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-cmd-'));
  const file = (name: string, text: string, mode: number): void => {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), mode);
  };
  file('script', '#!/bin/sh\necho hi\n', 0o755);
  file('noshebang', 'echo hi\n', 0o755);
  file('badinterp', '#!/nonexistent/interpreter\n', 0o755);
  file('notexec', '#!/bin/sh\n', 0o644);
  mkdirSync(join(dir, 'adir'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The exit status of the ExecError `fn` throws, or undefined when it throws nothing. */
export function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ExecError);
    return exitStatusForError(error);
  }
}
