// The executable's main: argv and env in, exec out. It reads process.* once, runs main(), and turns
// the result into an exec or an exit status; nothing else in secrets-exec touches the process.
import { readFile } from 'node:fs/promises';
import { writeSync } from 'node:fs';
import { isSecretsExecError, ResolutionFailed } from './log/errors.js';
import { captureConsole, createLogger, writeStderr } from './log/logger.js';
import { main } from './main.js';
import { canExecve, execReplace, supervise } from './process/exec.js';
import { exitStatusForError } from './process/exit-status.js';

declare const SECRETS_EXEC_VERSION: string | undefined;
const version = typeof SECRETS_EXEC_VERSION === 'string' ? SECRETS_EXEC_VERSION : 'dev';

async function run(): Promise<number> {
  // Until the real logger exists, anything a library prints is dropped (it could hold a value).
  captureConsole(createLogger({ level: 'error', format: 'text', write: writeStderr }));
  const env = { ...process.env };
  try {
    // 1. parse config → plan → resolve → prepare the child's environment and command.
    const result = await main(process.argv.slice(2), env, {
      readFile: (path) => readFile(path),
      now: () => Date.now(),
      cwd: process.cwd(),
      stdout: (text) => writeSync(1, text),
      stderr: writeStderr,
      version,
    });
    if (result.action === 'exit') return result.status;
    // 2. exec: replace this process, or stay the parent when asked to (or when Node.js cannot execve).
    if (!result.supervise && canExecve()) {
      execReplace(result.command, result.env);
    } else if (!result.supervise) {
      result.log.info('exec.fallback', 'this Node.js has no process.execve: supervising the program instead');
    }
    return await supervise(result.command, result.env, result.log);
  } catch (error) {
    // 3. our own failures become one line each and an exit status; anything else is a bug.
    if (error instanceof ResolutionFailed) for (const e of error.errors) writeStderr(`secrets-exec: error: ${e.message}\n`);
    else if (isSecretsExecError(error)) writeStderr(`secrets-exec: error: ${error.message}\n`);
    else writeStderr(`secrets-exec: internal error: ${error instanceof Error ? error.name : 'unknown'} (please report it)\n`);
    return exitStatusForError(error);
  }
}

run().then(
  (status) => process.exit(status),
  () => process.exit(125),
);
