// Supervise mode: secrets-exec stays the parent of the program, forwards the signals it receives and
// exits with the program's status. The supervisor is a handle (signal, restart, exited) so that a
// caller can act on the running program, e.g. restart it with a new environment.
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../log/logger.js';
import { execFailure } from './exec.js';
import { exitStatusForChild } from './exit-status.js';
import type { PreparedCommand } from './prepare-command.js';
import { isTerminalForeground } from './terminal.js';

// Every signal a supervisor can catch and a program may care about. SIGKILL and SIGSTOP cannot be
// caught; SIGCHLD is ours; SIGPIPE/SIGXFSZ are about our own pipes and files.
export const FORWARDED: readonly NodeJS.Signals[] = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGTERM',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
  'SIGCONT',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGALRM',
];
// What a terminal sends to its whole foreground process group, the program included.
const FROM_TERMINAL: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGQUIT', 'SIGTSTP', 'SIGWINCH']);

export interface Supervisor {
  /** The running program's PID. */
  readonly pid: () => number | undefined;
  /** Sends a signal to the program. */
  signal(signal: NodeJS.Signals): void;
  /** Stops the program (stopSignal, then KILL after stopTimeoutMs) and starts it again with `env`. */
  restart(env: Readonly<Record<string, string>>): Promise<void>;
  /** Stops the program (stopSignal, then KILL after stopTimeoutMs) for good; `exited` then settles. */
  stop(): Promise<void>;
  /** Settles with the status secrets-exec must exit with, once the program ended for good. */
  readonly exited: Promise<number>;
}

export interface SuperviseOptions {
  readonly command: PreparedCommand;
  readonly env: Readonly<Record<string, string>>;
  readonly log: Logger;
  readonly stopSignal?: NodeJS.Signals;
  readonly stopTimeoutMs?: number;
  /** --mask: the variables whose values are redacted from the program's stdout and stderr. */
  readonly mask?: readonly string[] | undefined;
}

/** How long the end of the run waits for the output of a masked program whose pipes stay open. */
const DRAIN_MS = 2_000;

/** Starts the program as a child and forwards signals to it until it exits. */
export async function startSupervisor(options: SuperviseOptions): Promise<Supervisor> {
  // Loaded only here: child_process (with net and stream) costs ~6 ms of start-up that exec never needs.
  const { spawn } = await import('node:child_process');
  const { command, log, stopSignal = 'SIGTERM', stopTimeoutMs = 10_000 } = options;
  const [argv0 = command.file, ...args] = command.argv;
  let child: ChildProcess | undefined;
  let restarting: Promise<void> | undefined;
  let settle: (status: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (settle = resolve));

  // Handlers go in before the child exists: a signal that arrives while spawn() runs must be forwarded,
  // not kill us by default and orphan the child. A signal the terminal sent to our whole group has
  // reached the child already and is not sent again.
  const forward = (signal: NodeJS.Signals): void => {
    if (FROM_TERMINAL.has(signal) && isTerminalForeground()) return;
    log.debug('supervise.forward', `forwarding ${signal}`, { pid: child?.pid });
    child?.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  const finish = (status: number): void => {
    for (const s of FORWARDED) process.off(s, forward);
    settle(status);
  };

  const masking = options.mask === undefined ? undefined : await import('./mask-output.js');
  const launch = (env: Readonly<Record<string, string>>): void => {
    const names = options.mask ?? [];
    const current: ChildProcess = spawn(command.file, args, {
      argv0,
      env: { ...env },
      stdio: masking ? ['inherit', 'pipe', 'pipe'] : 'inherit',
    });
    child = current;
    let drained: Promise<unknown> = Promise.resolve();
    if (masking && current.stdout && current.stderr) {
      const patterns = masking.maskPatterns(names.flatMap((n) => (env[n] === undefined ? [] : [env[n]])));
      drained = Promise.all([
        masking.pipeMasked(current.stdout, 1, patterns),
        masking.pipeMasked(current.stderr, 2, patterns),
      ]).catch(() => undefined);
    }
    current.on('error', (error) => {
      const failure = execFailure(argv0, error);
      log.error('supervise.spawn', failure.message);
      finish(failure.status);
    });
    current.on('exit', (code, signal) => {
      // A program stopped by restart() is not the end of the run; the one started after it is.
      if (child !== current || restarting !== undefined) return;
      const status = exitStatusForChild(code, signal);
      // A masked program's last output is still in its pipes: pass it on before the run ends.
      const timer = new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref());
      void Promise.race([drained, timer]).then(() => finish(status));
    });
  };

  // stopSignal, then KILL if the program is still running after stopTimeoutMs.
  const stopChild = async (old: ChildProcess | undefined): Promise<void> => {
    if (old === undefined || old.exitCode !== null || old.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => old.once('exit', () => resolve()));
    old.kill(stopSignal);
    const timer = setTimeout(() => {
      log.warn('supervise.kill', `the program did not stop within ${stopTimeoutMs} ms of ${stopSignal}: killing it`);
      old.kill('SIGKILL');
    }, stopTimeoutMs);
    await gone;
    clearTimeout(timer);
  };

  const restart = async (env: Readonly<Record<string, string>>): Promise<void> => {
    const old = child;
    restarting = (async () => {
      await stopChild(old);
      launch(env);
    })();
    try {
      await restarting;
    } finally {
      restarting = undefined;
    }
  };

  launch(options.env);
  return { pid: () => child?.pid, signal: (s) => child?.kill(s), restart, stop: () => stopChild(child), exited };
}
