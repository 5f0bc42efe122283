// The rotation options (docs/rotation.md): --watch and what happens when a value changed, and how the
// supervised program is stopped (--stop-signal, --stop-timeout, which also apply without --watch).
import { constants } from 'node:os';
import { UsageError } from '../errors/errors.js';
import { parseDuration } from './duration.js';

export type OnChange =
  | { readonly action: 'restart' }
  | { readonly action: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly action: 'exit' };

export interface WatchConfig {
  readonly intervalMs: number;
  readonly onChange: OnChange;
  readonly debounceMs: number;
  /** Failing re-resolution lasting this long becomes the exit action; undefined: never. */
  readonly failAfterMs?: number | undefined;
}

export interface StopConfig {
  readonly signal: NodeJS.Signals;
  readonly timeoutMs: number;
}

/** `TERM`, `SIGTERM` or `term` → `SIGTERM`; `what` names the option in the error. */
export function parseSignal(text: string, what: string): NodeJS.Signals {
  const name = text.trim().toUpperCase();
  const full = (name.startsWith('SIG') ? name : `SIG${name}`) as NodeJS.Signals;
  if (!Object.hasOwn(constants.signals, full) || full === 'SIGKILL' || full === 'SIGSTOP') {
    throw new UsageError(`${what}: '${text}' is not a signal a program can catch; write e.g. TERM, HUP or USR1`);
  }
  return full;
}

/** The watch settings, or undefined without --watch; `one` returns an option's last value. */
export function parseWatchConfig(one: (flag: string) => string | undefined): WatchConfig | undefined {
  const interval = one('watch');
  const given = ['on-change', 'debounce', 'watch-fail-after'].filter((f) => one(f) !== undefined);
  if (interval === undefined) {
    if (given.length > 0) throw new UsageError(`--${given[0]} needs --watch INTERVAL`);
    return undefined;
  }
  const intervalMs = parseDuration(interval, '--watch');
  if (intervalMs < 1000) throw new UsageError(`--watch: '${interval}' is too often; poll every 1s or less often`);
  const failAfter = one('watch-fail-after');
  const debounce = one('debounce');
  return {
    intervalMs,
    onChange: parseOnChange(one('on-change') ?? 'restart'),
    debounceMs: debounce === undefined || debounce.trim() === '0' ? 0 : parseDuration(debounce, '--debounce'),
    failAfterMs: failAfter === undefined ? undefined : parseDuration(failAfter, '--watch-fail-after'),
  };
}

function parseOnChange(text: string): OnChange {
  const value = text.trim();
  if (value === 'restart' || value === 'exit') return { action: value };
  if (value.startsWith('signal:')) return { action: 'signal', signal: parseSignal(value.slice(7), '--on-change') };
  throw new UsageError(`--on-change: '${text}' is not restart, signal:NAME or exit`);
}

/** --stop-signal and --stop-timeout, with their defaults (TERM, 10s). */
export function parseStopConfig(one: (flag: string) => string | undefined): StopConfig {
  const signal = one('stop-signal');
  const timeout = one('stop-timeout');
  return {
    signal: signal === undefined ? 'SIGTERM' : parseSignal(signal, '--stop-signal'),
    timeoutMs: timeout === undefined ? 10_000 : parseDuration(timeout, '--stop-timeout'),
  };
}
