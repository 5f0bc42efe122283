import { UsageError } from '../errors/errors.js';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The longest duration a timer can hold: Node.js keeps a delay in a signed 32-bit millisecond count and turns
 * anything larger into 1 ms, so `--timeout 2147484s` would time out at once.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Parses `500ms`, `30s`, `1.5s`, `2m` into milliseconds; `what` names the option or variable in the error. */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new UsageError(`${what}: '${cut(text)}' is not a duration; write e.g. 500ms, 30s, 2m or 1h`);
  const ms = Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000));
  if (ms <= 0) throw new UsageError(`${what}: the duration must be at least 1ms`);
  if (!(ms <= MAX_DURATION_MS)) {
    throw new UsageError(
      `${what}: '${cut(text)}' is longer than a timer can hold; the most is 2147483647ms (~24.8 days)`,
    );
  }
  return ms;
}

// A value quoted in an error is cut to a sane length (it is configuration, not a secret, but may be long).
function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
