// PATH lookup as execvp(3) does it, because process.execve does none: a name with '/' is used as it
// is; otherwise each PATH entry is tried in order (an empty entry is the current directory), a file
// that exists but cannot be executed is remembered and the search goes on, and the result is 126 if
// only such files were found, 127 if nothing was.
import { constants, accessSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ExecError } from './exec-error.js';

// glibc's execvp default when PATH is unset is "/bin:/usr/bin"; this is the container-friendly superset.
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

type Verdict = 'ok' | 'missing' | 'not-executable';

function inspectCandidate(path: string): Verdict {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return 'not-executable';
    accessSync(path, constants.X_OK);
    return 'ok';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'not-executable';
  }
}

/** Finds the file `command` names, or throws ExecError(127 | 126) saying why. */
export function findExecutable(command: string, options: { path: string | undefined; cwd: string }): string {
  if (command === '') throw new ExecError(127, 'the command is an empty string');
  if (command.includes('/')) {
    const full = isAbsolute(command) ? command : resolve(options.cwd, command);
    const verdict = inspectCandidate(full);
    if (verdict === 'ok') return full;
    if (verdict === 'missing') throw new ExecError(127, `${command}: not found`);
    throw new ExecError(126, `${command}: not an executable file (check its mode and that it is not a directory)`);
  }
  let denied: string | undefined;
  for (const dir of (options.path ?? DEFAULT_PATH).split(':')) {
    const candidate = join(dir === '' ? options.cwd : resolve(options.cwd, dir), command);
    const verdict = inspectCandidate(candidate);
    if (verdict === 'ok') return candidate;
    if (verdict === 'not-executable') denied ??= candidate;
  }
  if (denied !== undefined) throw new ExecError(126, `${command}: found ${denied}, but it is not executable`);
  throw new ExecError(127, `${command}: not found in PATH`);
}
