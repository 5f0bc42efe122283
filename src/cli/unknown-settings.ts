// SECRETS_EXEC_* variables nothing reads: a misspelt setting would otherwise be ignored without a word. Each
// is reported with the nearest known name, or the standard variable it looks like (a provider's own variable
// written with our prefix in front).
import { editDistance } from '../refs/near-miss.js';
import { ENV_ONLY, OPTIONS, envTwin } from './options.js';

const PREFIX = 'SECRETS_EXEC_';

export interface UnknownSetting {
  readonly name: string;
  readonly suggestion?: string | undefined;
}

/**
 * The SECRETS_EXEC_* variables of `env` that are neither an option's twin nor in `known` (what providers
 * and the process layer read); `standard` are variables without the prefix a user may have meant.
 */
export function findUnknownSettings(input: {
  env: Readonly<Record<string, string | undefined>>;
  known: Iterable<string>;
  standard: Iterable<string>;
}): UnknownSetting[] {
  const known = new Set([...OPTIONS.map((o) => envTwin(o.flag)), ...Object.values(ENV_ONLY), ...input.known]);
  const standard = new Set(input.standard);
  return Object.keys(input.env)
    .filter((name) => name.startsWith(PREFIX) && !known.has(name))
    .sort()
    .map((name) => ({ name, suggestion: suggest(name, known, standard) }));
}

function suggest(name: string, known: ReadonlySet<string>, standard: ReadonlySet<string>): string | undefined {
  const rest = name.slice(PREFIX.length);
  if (standard.has(rest)) return rest;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(rest, candidate.slice(PREFIX.length));
    if (best === undefined || distance < best.distance) best = { name: candidate, distance };
  }
  // Close enough to be a typo: a few edits, and fewer than a third of the name.
  return best !== undefined && best.distance <= 3 && best.distance * 3 < rest.length ? best.name : undefined;
}
