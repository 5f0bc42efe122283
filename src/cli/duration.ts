import { UsageError } from '../errors/errors.js';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `500ms`, `30s`, `1.5s`, `2m` into milliseconds; `what` names the option in the error. */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new UsageError(`${what}: '${text}' is not a duration; write e.g. 500ms, 30s, 2m or 1h`);
  const ms = Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000));
  if (ms <= 0) throw new UsageError(`${what}: the duration must be more than 0`);
  return ms;
}
