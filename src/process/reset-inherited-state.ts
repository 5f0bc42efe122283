// Node ignores SIGPIPE and SIGXFSZ, and an ignored signal stays ignored across execve(2) (signal(7)),
// so without this `yes | head -1` under secrets-exec would print "Broken pipe" and a program could
// not be killed by a closed pipe. A caught signal is reset to its default by execve, so installing a
// no-op handler is enough to hand the program the default disposition (tini: restore_signals).
// Stdio is not touched here: secrets-exec never creates process.stdout/stderr/stdin (whose streams
// would set O_NONBLOCK on the shared file descriptions); the logger writes to fd 2 directly.
const INHERITED_IGNORED: readonly NodeJS.Signals[] = ['SIGPIPE', 'SIGXFSZ'];

const noop = (): void => undefined;

/** Makes every signal Node ignores caught instead, so execve resets it to the default. */
export function resetInheritedState(): void {
  for (const signal of INHERITED_IGNORED) process.on(signal, noop);
}
