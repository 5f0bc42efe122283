// Fingerprints of the program's environment, to tell whether a poll found new values without keeping or
// logging the values themselves. An HMAC with a key made for this run: a fingerprint that leaked (it is
// never logged) could not be checked against guessed values by anyone without the key.
import { createHmac, randomBytes } from 'node:crypto';

const key = randomBytes(32);

export interface Fingerprints {
  /** One digest for the whole environment. */
  readonly digest: string;
  /** The names whose value differs from `before` (added, changed or removed), sorted. */
  changedFrom(before: Fingerprints): string[];
  readonly byName: ReadonlyMap<string, string>;
}

/** Fingerprints of every variable of `env`. */
export function fingerprints(env: Readonly<Record<string, string>>): Fingerprints {
  const byName = new Map<string, string>();
  const all = createHmac('sha256', key);
  for (const name of Object.keys(env).sort()) {
    const value = env[name] ?? '';
    byName.set(name, createHmac('sha256', key).update(name).update('\0').update(value).digest('base64'));
    all.update(byName.get(name) ?? '');
  }
  const digest = all.digest('base64');
  return {
    digest,
    byName,
    changedFrom: (before) => {
      const names = new Set([...byName.keys(), ...before.byName.keys()]);
      return [...names].filter((n) => byName.get(n) !== before.byName.get(n)).sort();
    },
  };
}
