// The executable's main: argv and env in, exec out. It reads process.* once, runs main(), and turns
// the result into an exec or an exit status; nothing else in secrets-exec touches the process.
import { readFile, readFileSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { captureConsole, createLogger, writeStderr } from './log/logger.js';
import { main } from './main.js';
import { canExecve, execReplace, supervise } from './process/exec.js';

declare const SECRETS_EXEC_VERSION: string | undefined;
const version = typeof SECRETS_EXEC_VERSION === 'string' ? SECRETS_EXEC_VERSION : 'dev';

// The environment as execve(2) delivered it. Node.js (not the secrets-exec executable, whose copy is
// patched, see build.mjs) loads `--env-file` files named anywhere before `--` into process.env before
// any JavaScript runs; our --env-file holds references to check, not values to load. The initial
// environment block in /proc/self/environ is untouched by setenv(3), so the bundle run by a plain
// Node.js reads it from there when it can.
function readStartEnv(argv: readonly string[]): Record<string, string | undefined> {
  const end = argv.indexOf('--');
  if (!(end === -1 ? argv : argv.slice(0, end)).some((a) => a.startsWith('--env-file'))) return { ...process.env };
  try {
    const raw = readFileSync('/proc/self/environ', 'utf8');
    return Object.fromEntries(raw.split('\0').filter((e) => e.includes('=')).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  } catch {
    return { ...process.env };
  }
}

async function run(): Promise<number> {
  // What libraries print through the console is dropped for the whole run (it could hold a value).
  captureConsole(createLogger({ level: 'error', format: 'text', write: writeStderr }));
  const env = readStartEnv(process.argv.slice(2));
  try {
    // 1. parse config → plan → resolve → prepare the child's environment and command.
    const result = await main(process.argv.slice(2), env, {
      // node:fs is loaded at start anyway; node:fs/promises would cost ~2 ms more.
      readFile: promisify(readFile),
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
    // main() reports its own failures; this is the last guard against a bug escaping it.
    writeStderr(`secrets-exec: internal error: ${error instanceof Error ? error.name : 'unknown'} (a bug: please report it)\n`);
    return 125;
  }
}

run().then(
  (status) => process.exit(status),
  () => process.exit(125),
);
