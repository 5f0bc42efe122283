// What execve(2) will actually be asked to run, worked out before resolution ends so that a wrong
// command fails with a clear line (execve's own failures are mapped in exec.ts):
// - a `#!` script whose interpreter is missing would fail with ENOENT → 127, naming the interpreter;
// - a file with neither `#!` nor an ELF header would fail with ENOEXEC; execvp(3) then runs it with
//   /bin/sh, and so do we (POSIX: "the file shall be assumed to be a shell script").
import { closeSync, openSync, readSync } from 'node:fs';
import { ExecError } from './exec-error.js';
import { findExecutable } from './find-executable.js';

export interface PreparedCommand {
  readonly file: string;
  readonly argv: readonly string[];
}

// The first bytes of the file, or undefined when it cannot be read: an execute-only program (mode 711)
// can be run by a user who may not read it, and then the kernel decides.
function readHead(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(256);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Resolves the program and how to execve it; throws ExecError with 126 or 127. */
export function prepareCommand(
  argv: readonly string[],
  options: { path: string | undefined; cwd: string },
): PreparedCommand {
  const [command = '', ...args] = argv;
  const file = findExecutable(command, options);
  const head = readHead(file);
  if (head === undefined) return { file, argv: [command, ...args] };
  if (head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return { file, argv: [command, ...args] };
  if (head.subarray(0, 2).toString('latin1') === '#!') {
    const line = head.toString('latin1').slice(2).split('\n')[0] ?? '';
    const interpreter = line.trim().split(/[ \t]/)[0] ?? '';
    if (interpreter === '') throw new ExecError(126, `${command}: the #! line names no interpreter`);
    // The kernel does not search PATH for an interpreter: it must be an absolute, executable file.
    try {
      findExecutable(interpreter.includes('/') ? interpreter : `./${interpreter}`, { path: '', cwd: options.cwd });
    } catch (error) {
      const status = error instanceof ExecError ? error.status : 126;
      throw new ExecError(
        status,
        `${command}: its #! interpreter ${interpreter} ${status === 127 ? 'is not found' : 'is not executable'}`,
        { cause: error },
      );
    }
    return { file, argv: [command, ...args] };
  }
  try {
    findExecutable('/bin/sh', options);
  } catch (error) {
    throw new ExecError(
      126,
      `${command}: not a binary and has no #! line, and there is no /bin/sh to run it as a script`,
      { cause: error },
    );
  }
  return { file: '/bin/sh', argv: ['sh', file, ...args] };
}
