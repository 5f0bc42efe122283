// Exit statuses are decided here and nowhere else, as env(1) and timeout(1) do it:
// the program's own status; 125 when secrets-exec fails; 126 found but not executable; 127 not found;
// 128+N when a supervised program died of signal N.
import { constants } from 'node:os';
import { ExecError } from './exec-error.js';

export const EXIT_FAILURE = 125;

/** The status for an error that stopped secrets-exec before the program ran. */
export function exitStatusForError(error: unknown): number {
  return error instanceof ExecError ? error.status : EXIT_FAILURE;
}

/** The status for secrets-exec stopped by `signal` (a name such as SIGTERM) before the program ran. */
export function exitStatusForSignal(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);
}

/** The status for a supervised child that exited with `code` or died of `signal`. */
export function exitStatusForChild(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal !== null) return exitStatusForSignal(signal);
  return code ?? EXIT_FAILURE;
}
