// The executable's main: argv and env in, exec out. It reads process.* once, runs main(), and turns
// the result into an exec or an exit status; nothing else in secrets-exec touches the process.
import { readFileSync } from 'node:fs';
import { isVaultClientName } from './cli/options.js';
import { reportFailure } from './log/report-failure.js';
import { captureConsole, createLogger, writeAll, writeStderr, type Logger } from './log/logger.js';
import { main, type Env, type RunResult } from './main.js';
import { canExecve, execReplace } from './process/exec.js';
import { readArgLimit } from './process/exec-limits.js';
import { EXIT_FAILURE, exitStatusForError } from './process/exit-status.js';
import { trapStopSignals } from './process/interrupt.js';
import { restoreNodeVariables, splitNodeVariables } from './process/node-variables.js';
import type { PreparedCommand } from './process/prepare-command.js';
import { isSingleExecutable, relaunchAsSupervisor, relaunchSelf, takeSuperviseState } from './process/relaunch.js';
import { hideEnviron } from './process/hide-environ.js';
import { readBoundedFile } from './process/read-bounded-file.js';
import { detachStdStreams } from './process/std-streams.js';
import { startSupervisor } from './process/supervise.js';

declare const SECRETS_EXEC_VERSION: string | undefined;
const version = typeof SECRETS_EXEC_VERSION === 'string' ? SECRETS_EXEC_VERSION : 'dev';

// The environment as execve(2) delivered it. Node.js (not the secrets-exec executable, whose copy is
// patched, see scripts/patch-node.mjs) loads `--env-file` files named anywhere before `--` into
// process.env before any JavaScript runs; our --env-file holds references to check, not values to load.
// The initial environment block in /proc/self/environ is untouched by setenv(3), so the bundle run by
// a plain Node.js reads it from there when it can.
function readStartEnv(argv: readonly string[]): Env {
  const end = argv.indexOf('--');
  if (!(end === -1 ? argv : argv.slice(0, end)).some((a) => a.startsWith('--env-file'))) return { ...process.env };
  try {
    const raw = readFileSync('/proc/self/environ', 'utf8');
    const entries = raw.split('\0').filter((e) => e.includes('='));
    return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  } catch {
    return { ...process.env };
  }
}

async function run(): Promise<number> {
  // 0. Nothing may put stdio into non-blocking mode, and what libraries print is dropped (it could
  //    hold a value): the program inherits the descriptors as they were given.
  detachStdStreams();
  captureConsole(createLogger({ level: 'error', format: 'text', write: writeStderr }));
  const args = process.argv.slice(2);
  // Started as Ansible's vault password client (a symlink named *-client): the subcommand is implied.
  const argv = isVaultClientName(process.argv0) ? ['ansible-vault-client', ...args] : args;
  const env = restoreNodeVariables(readStartEnv(args));
  const sea = isSingleExecutable();
  const self = {
    execPath: process.execPath,
    prefix: [process.argv0, ...(sea ? [] : [...process.execArgv, process.argv[1] ?? ''])],
    sea,
  };
  // 1. Node's own variables (NODE_DEBUG, NODE_V8_COVERAGE, …) must not act on this runtime: start
  //    again without them; they are handed back to the program.
  const nodeVariables = Object.keys(splitNodeVariables(process.env, { sea }).carried);
  if (canExecve() && nodeVariables.length > 0) {
    try {
      relaunchSelf(self, args, env);
    } catch (error) {
      // Going on would let them act (NODE_TLS_REJECT_UNAUTHORIZED=0 would turn off certificate checks).
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      writeStderr(`secrets-exec: error: cannot re-execute itself without ${nodeVariables.join(', ')} (${code})\n`);
      return EXIT_FAILURE;
    }
  }
  // 2. A supervisor that re-executed itself with the program's environment: start it and wait.
  const relaunched = takeSuperviseState(env, process.pid);
  if (relaunched.state !== undefined) {
    const log = createLogger({
      level: relaunched.state.logLevel,
      format: relaunched.state.logFormat,
      write: writeStderr,
    });
    return supervise(relaunched.state.command, relaunched.env, log, relaunched.state.mask);
  }
  // 3. Parse the config, plan, resolve and prepare the program's environment; a stop signal aborts it.
  const stop = trapStopSignals();
  const result = await main(argv, env, {
    // Every file is read up to a size cap; node:fs is loaded at start anyway (node:fs/promises costs ~2 ms).
    readFile: (path) => readBoundedFile(path),
    now: () => Date.now(),
    cwd: process.cwd(),
    stdout: (text) => writeAll(1, text),
    stderr: writeStderr,
    version,
    argLimit: readArgLimit(),
    interrupt: stop.signal,
  });
  if (result.action === 'exit') return result.status;
  // 4. Exec: replace this process, or stay the parent when asked to (or when Node.js cannot execve).
  if (!result.supervise && canExecve()) {
    try {
      execReplace(result.command, result.env);
    } catch (error) {
      reportFailure(result.log, error);
      return exitStatusForError(error);
    }
  }
  if (!result.supervise)
    result.log.info('exec.fallback', 'this Node.js has no process.execve: supervising the program instead');
  stop.release();
  if (result.watch !== undefined) return watchAndSupervise(result);
  // The supervisor re-executes itself with the program's environment, so that /proc/PID/environ
  // holds none of the credentials secrets-exec was started with.
  if (canExecve()) {
    const { logLevel, logFormat, mask } = result;
    try {
      const state = { pid: process.pid, command: result.command, logLevel, logFormat, mask };
      relaunchAsSupervisor(self, state, result.env);
    } catch {
      result.log.warn('supervise.relaunch', 'could not re-execute as the supervisor; supervising in place');
    }
  }
  return supervise(result.command, result.env, result.log, result.mask);
}

async function supervise(
  command: PreparedCommand,
  env: Env,
  log: Logger,
  mask: readonly string[] | undefined,
): Promise<number> {
  process.title = 'secrets-exec';
  const childEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const supervisor = await startSupervisor({ command, env: childEnv, log, mask });
  return supervisor.exited;
}

// --watch: this process resolves again for as long as the program runs, so it keeps its credentials in
// memory and does not re-execute itself; the values of its start environment the program does not get are
// blanked in /proc/self/environ instead. If that cannot be done, nothing is started (fail closed).
async function watchAndSupervise(result: Extract<RunResult, { action: 'exec' }>): Promise<number> {
  const { command, env, log, stop, watch } = result;
  if (watch === undefined) return EXIT_FAILURE;
  try {
    // Node's process.env reads through getenv(3): each blanked variable is set again, now on the heap.
    const hidden = hideEnviron(
      (name, value) => env[name] === value,
      (name, value) => {
        process.env[name] = value;
      },
    );
    log.debug('watch.environ', `blanked ${hidden.length} start variables in /proc/self/environ`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    log.error('watch.environ', `cannot hide the credentials from /proc/self/environ (${code}): not watching`);
    await watch.close();
    return EXIT_FAILURE;
  }
  process.title = 'secrets-exec';
  const supervisor = await startSupervisor({
    command,
    env,
    log,
    stopSignal: stop.signal,
    stopTimeoutMs: stop.timeoutMs,
    mask: result.mask,
  });
  const { startWatch } = await import('./process/watch.js');
  const watching = await startWatch({
    settings: watch.settings,
    supervisor,
    log,
    refresh: watch.refresh,
    initial: env,
  });
  const status = await supervisor.exited;
  watching.stop();
  await watch.close();
  return watching.exitStatus() ?? status;
}

run().then(
  (status) => process.exit(status),
  (error: unknown) => {
    // main() reports its own failures; this is the last guard against a bug escaping it.
    const name = error instanceof Error ? error.name : 'unknown';
    writeStderr(`secrets-exec: internal error: ${name} (a bug: please report it)\n`);
    process.exit(EXIT_FAILURE);
  },
);
