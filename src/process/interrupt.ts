// Before the exec, TERM, INT, HUP and QUIT stop secrets-exec: resolution is aborted, providers clean up
// (a Vault token obtained by login is revoked) and the run exits 128+N. Handlers are needed for that
// even where the default action would kill us: as PID 1 in a container the kernel drops a signal that
// has no handler, and `docker stop` would wait for the KILL while the program started anyway.
// Other signals keep Node's disposition until the exec: USR1 is caught by the runtime and does nothing
// (its inspector is disabled in the executable); USR2, ALRM and the like end the process by default,
// except as PID 1. After the exec the program has default dispositions for all of them.
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'];

export interface StopTrap {
  /** Aborted with the signal's name as reason. */
  readonly signal: AbortSignal;
  /** Removes the handlers (before another part, e.g. the supervisor, installs its own). */
  release(): void;
}

/** Catches the stop signals until released. */
export function trapStopSignals(): StopTrap {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) controller.abort(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const release = (): void => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  };
  return { signal: controller.signal, release };
}
