// One deadline for all resolution (docs/architecture.md, --timeout): a signal every request is given, and a race
// that turns "still waiting at the deadline" into a Timeout for whatever is still pending.
import { ProviderError } from '../errors/errors.js';

interface Deadline {
  readonly signal: AbortSignal;
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Stops the timer (resolution finished first). */
  dispose(): void;
}

/** Starts the deadline clock; `now` is injected so tests can compute budgets. */
export function startDeadline(timeoutMs: number, now: () => number): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  timer.unref();
  return { signal: controller.signal, at: now() + timeoutMs, dispose: () => clearTimeout(timer) };
}

/** Settles like `work`, or rejects with a Timeout ProviderError when `signal` aborts first. */
export function raceDeadline<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  const timeout = (): ProviderError =>
    new ProviderError('Timeout', `${what} did not answer before the --timeout deadline`);
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(timeout());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(timeout());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
