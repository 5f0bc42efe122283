// Starting the program: by default it replaces secrets-exec (execve keeps the PID, so it stays PID 1
// in a container and receives signals directly); in supervise mode, or on a Node.js without
// process.execve, secrets-exec stays the parent, forwards signals and exits with the child's status.
import type { Logger } from '../log/logger.js';
import { exitStatusForChild } from './exit-status.js';
import type { PreparedCommand } from './prepare-command.js';
import { resetInheritedState } from './reset-inherited-state.js';

// Every signal a supervisor can catch and a program may care about. SIGKILL and SIGSTOP cannot be
// caught; SIGCHLD is ours; SIGPIPE/SIGXFSZ are about our own pipes and files.
const FORWARDED: readonly NodeJS.Signals[] = [
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGCONT', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGALRM',
];

/** True when this Node.js can replace the process image (≥ 22.15 / 23.11). */
export function canExecve(): boolean {
  return typeof process.execve === 'function';
}

/** Replaces secrets-exec with the program; returns only if execve itself is missing. */
export function execReplace(command: PreparedCommand, env: Readonly<Record<string, string>>): void {
  resetInheritedState();
  process.execve?.(command.file, [...command.argv], { ...env });
}

/** Runs the program as a child and resolves with the status secrets-exec must exit with. */
export async function supervise(command: PreparedCommand, env: Readonly<Record<string, string>>, log: Logger): Promise<number> {
  // Loaded only here: child_process (with net and stream) costs ~6 ms of start-up that exec never needs.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const [argv0 = command.file, ...args] = command.argv;
    // Handlers go in before the child exists: a signal that arrives while spawn() runs (the child can
    // be up and signalled by then on a loaded machine) must be forwarded, not kill us by default and
    // orphan the child. Node delivers signals as events, so `child` is set when `forward` runs.
    let child: ReturnType<typeof spawn> | undefined;
    const forward = (signal: NodeJS.Signals): void => {
      log.debug('supervise.forward', `forwarding ${signal}`, { pid: child?.pid });
      child?.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    child = spawn(command.file, args, { argv0, env: { ...env }, stdio: 'inherit' });
    child.on('error', (error) => {
      log.error('supervise.spawn', `cannot start ${argv0}: ${(error as NodeJS.ErrnoException).code ?? error.name}`);
      resolve((error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126);
    });
    child.on('exit', (code, signal) => {
      for (const s of FORWARDED) process.off(s, forward);
      resolve(exitStatusForChild(code, signal));
    });
  });
}
