// Starting the program by replacing secrets-exec (execve keeps the PID, so it stays PID 1 in a
// container and receives signals directly). A failed execve throws on Node.js 26 (older versions
// aborted the process and could leave a core file holding the environment); each failure becomes an
// ExecError with the status a shell would give, naming the program and the reason.
import { ExecError } from './exec-error.js';
import type { PreparedCommand } from './prepare-command.js';
import { resetInheritedState } from './reset-inherited-state.js';

/** True when this Node.js can replace the process image (≥ 22.15 / 23.11). */
export function canExecve(): boolean {
  return typeof process.execve === 'function';
}

// Why execve(2) refused, for one line of text; 127 only when the file (or its interpreter) is missing.
const REASONS: Readonly<Record<string, { status: 125 | 126 | 127; why: string }>> = {
  ENOENT: { status: 127, why: 'not found (or its #! interpreter or dynamic loader is missing)' },
  ENOTDIR: { status: 127, why: 'not found (a part of its path is not a directory)' },
  EACCES: { status: 126, why: "permission denied (check its mode and the mount's noexec)" },
  EPERM: { status: 126, why: 'not permitted' },
  ENOEXEC: { status: 126, why: 'not an executable format this system can run (a binary for another architecture?)' },
  ETXTBSY: { status: 126, why: 'the file is open for writing (text file busy)' },
  ELOOP: { status: 126, why: 'too many levels of symbolic links' },
  EISDIR: { status: 126, why: 'is a directory' },
  ELIBBAD: { status: 126, why: 'its dynamic loader is corrupt' },
  ENAMETOOLONG: { status: 126, why: 'its path is too long' },
  E2BIG: { status: 125, why: 'the arguments and environment are too large for exec (raise `ulimit -s`)' },
  ENOMEM: { status: 125, why: 'not enough memory to start it' },
};

/** The ExecError for a failed execve or spawn of `file`. */
export function execFailure(file: string, error: unknown): ExecError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'EUNKNOWN';
  const reason = REASONS[code] ?? { status: 126, why: `cannot be executed (${code})` };
  return new ExecError(reason.status, `cannot start ${file}: ${reason.why}`, { cause: error });
}

/** Replaces secrets-exec with the program; throws ExecError when execve fails. */
export function execReplace(command: PreparedCommand, env: Readonly<Record<string, string>>): void {
  resetInheritedState();
  try {
    process.execve?.(command.file, [...command.argv], { ...env });
  } catch (error) {
    throw execFailure(command.file, error);
  }
}
