// A value that is almost a reference is a mistake that would fail open: `secrets://db` or `Vault://x`
// would reach the program as a literal string, silently. Such near misses are recognised here so that
// planning can stop on them (pass a value on purpose with --literal VAR). What counts as near: a known
// scheme written with other letter case, with one slash (`vault:/x`), one edit away (two for schemes of
// seven letters or more), or a store's long name (`aws-secretsmanager://`). Short schemes are compared
// exactly so that ordinary URLs (`ws://`, `s3://`, `https://`) never match.
import { isReference } from './parse.js';
import { SCHEMES, type Scheme } from './types.js';

// Names people write for a store when they mean its scheme.
const ALIASES: Readonly<Record<string, Scheme>> = {
  secrets: 'secret',
  hashicorp: 'vault',
  'hashicorp-vault': 'vault',
  'aws-secretsmanager': 'aws-sm',
  'aws-secrets-manager': 'aws-sm',
  secretsmanager: 'aws-sm',
  'aws-ssm-parameter': 'aws-ssm',
  ssm: 'aws-ssm',
  'gcp-secretmanager': 'gcp-sm',
  'gcp-secret-manager': 'gcp-sm',
  'google-sm': 'gcp-sm',
  'oci-secrets': 'oci-vault',
  'oracle-vault': 'oci-vault',
  'ibm-secrets-manager': 'ibm-sm',
  'ibm-secretsmanager': 'ibm-sm',
};

const PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):(\/\/?)/;

// Edits between two names, a swap of neighbours counting as one (`valut` is one edit from `vault`).
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

function closestScheme(written: string): Scheme | undefined {
  const lower = written.toLowerCase();
  const alias = ALIASES[lower];
  if (alias !== undefined) return alias;
  if (lower.length < 5) return undefined;
  const allowed = lower.length >= 7 ? 2 : 1;
  let best: { scheme: Scheme; distance: number } | undefined;
  for (const scheme of SCHEMES) {
    const distance = editDistance(lower, scheme);
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { scheme, distance };
  }
  return best?.scheme;
}

/** The reference scheme a value seems to have meant, or undefined (a reference, or nothing like one). */
export function suggestScheme(value: string): Scheme | undefined {
  if (isReference(value)) return undefined;
  const match = PREFIX.exec(value);
  if (match === null) return undefined;
  const [, written = '', slashes = ''] = match;
  const scheme = closestScheme(written);
  // A known scheme with one slash, or a near miss with two.
  if (scheme === undefined) return undefined;
  if (slashes === '/' || written !== scheme) return scheme;
  return undefined;
}
