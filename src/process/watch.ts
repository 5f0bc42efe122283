// --watch (docs/rotation.md): resolve again every interval (±10 % so that a fleet does not poll in step),
// compare fingerprints of the program's environment, and act on a change: restart the program, signal it,
// or stop it and exit with EXIT_ROTATED. A failing poll never touches a running program: the old values
// stay, a warning names the error class, and polls back off until one succeeds (or --watch-fail-after).
import type { Logger } from '../log/logger.js';
import type { Supervisor } from './supervise.js';

/** The status of `--on-change exit` and of `--watch-fail-after` (EX_TEMPFAIL: "try again later"). */
export const EXIT_ROTATED = 75;
const BACKOFF_CAP_MS = 300_000;

export type ChangeAction =
  | { readonly action: 'restart' }
  | { readonly action: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly action: 'exit' };

export interface WatchSettings {
  readonly intervalMs: number;
  readonly onChange: ChangeAction;
  readonly debounceMs: number;
  readonly failAfterMs?: number | undefined;
}

export interface WatchOptions {
  readonly settings: WatchSettings;
  readonly supervisor: Supervisor;
  readonly log: Logger;
  /** The program's environment as it is now: resolves every reference again. */
  readonly refresh: () => Promise<Record<string, string>>;
  readonly initial: Readonly<Record<string, string>>;
  readonly random?: () => number;
  readonly now?: () => number;
}

export interface Watch {
  /** The status to exit with when the watch stopped the program itself (on-change exit, fail-after). */
  readonly exitStatus: () => number | undefined;
  /** Stops polling (the program ended). */
  stop(): void;
  /** How many polls ran, and how many failed (for tests and the benchmark). */
  readonly counts: () => { polls: number; failures: number; changes: number };
}

/** Starts polling; the program keeps running whatever a poll does, unless the action is exit. */
export async function startWatch(options: WatchOptions): Promise<Watch> {
  const { settings, supervisor, log, refresh } = options;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const { fingerprints } = await import('./fingerprint.js');
  let current = fingerprints(options.initial);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let exitStatus: number | undefined;
  let failingSince: number | undefined;
  let failures = 0;
  const counts = { polls: 0, failures: 0, changes: 0 };

  const schedule = (ms: number): void => {
    if (stopped) return;
    const jittered = Math.round(ms * (0.9 + 0.2 * random()));
    timer = setTimeout(() => {
      poll().catch((error: unknown) => {
        log.error('watch.bug', `watching stopped: ${error instanceof Error ? error.name : 'error'}`);
      });
    }, jittered);
    timer.unref();
  };
  const exit = async (): Promise<void> => {
    exitStatus = EXIT_ROTATED;
    stopped = true;
    await supervisor.stop();
  };

  const poll = async (): Promise<void> => {
    counts.polls++;
    let env: Record<string, string>;
    try {
      env = await refresh();
    } catch (error) {
      counts.failures++;
      failures++;
      failingSince ??= now();
      const name = error instanceof Error ? error.name : 'error';
      const kinds = [...new Set(((error as { errors?: { kind?: string }[] }).errors ?? []).map((e) => e.kind))];
      const why = kinds.length > 0 ? `${name}: ${kinds.join(', ')}` : name;
      const failingMs = now() - failingSince;
      if (settings.failAfterMs !== undefined && failingMs >= settings.failAfterMs) {
        log.error('watch.fail-after', `resolving again has failed for ${failingMs} ms (${why}): stopping the program`);
        return exit();
      }
      let next = Math.min(settings.intervalMs * 2 ** failures, Math.max(settings.intervalMs, BACKOFF_CAP_MS));
      // The backoff must not carry the last try past --watch-fail-after.
      if (settings.failAfterMs !== undefined) next = Math.min(next, settings.failAfterMs - failingMs + 1);
      log.warn('watch.failed', `could not resolve again (${why}); the program keeps its values`, {
        failures,
        retry_ms: next,
      });
      return schedule(next);
    }
    if (failingSince !== undefined) log.info('watch.recovered', 'resolving again works again', { failures });
    failingSince = undefined;
    failures = 0;
    let latest = fingerprints(env);
    if (latest.digest === current.digest) return schedule(settings.intervalMs);
    if (settings.debounceMs > 0) {
      // Rotations of related secrets (a user and its password) land a moment apart: one action for all.
      await new Promise((resolve) => setTimeout(resolve, settings.debounceMs));
      env = await refresh().catch(() => env);
      latest = fingerprints(env);
    }
    if (stopped) return;
    const changed = latest.changedFrom(current);
    current = latest;
    counts.changes++;
    log.info('watch.changed', `changed: ${changed.join(', ') || '(removed)'}; ${describe(settings.onChange)}`);
    await act(env);
    schedule(settings.intervalMs);
  };

  const act = async (env: Record<string, string>): Promise<void> => {
    const change = settings.onChange;
    if (change.action === 'signal') supervisor.signal(change.signal);
    else if (change.action === 'restart') await supervisor.restart(env);
    else await exit();
  };

  schedule(settings.intervalMs);
  return {
    exitStatus: () => exitStatus,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    counts: () => ({ ...counts }),
  };
}

function describe(change: ChangeAction): string {
  if (change.action === 'signal') return `sending ${change.signal}`;
  return change.action === 'restart' ? 'restarting the program' : `stopping the program (exit ${EXIT_ROTATED})`;
}
