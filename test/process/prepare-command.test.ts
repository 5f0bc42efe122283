import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProgramDir, statusOf } from '../support/program-dir.js';
import { prepareCommand } from '../../src/process/prepare-command.js';

const { dir, remove } = makeProgramDir();
afterAll(remove);

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
