import { SWITCHES, type Reference } from './types.js';

/**
 * The canonical text of a reference: `SCHEME://LOCATOR[?version=V&P=…&optional]#KEY` with parameters in a
 * fixed order. It is the dedupe key and the only form in which references appear in logs and errors.
 */
export function formatReference(ref: Reference): string {
  const query: string[] = [];
  if (ref.version !== undefined) query.push(`version=${encodeURIComponent(ref.version)}`);
  for (const name of Object.keys(ref.params).sort()) {
    const value = ref.params[name] ?? '';
    query.push(SWITCHES.has(name) && value === 'true' ? name : `${name}=${encodeURIComponent(value)}`);
  }
  if (ref.optional) query.push('optional');
  const q = query.length > 0 ? `?${query.join('&')}` : '';
  const k = ref.key !== undefined ? `#${ref.key}` : '';
  return `${ref.scheme}://${ref.path}${q}${k}`;
}

/** What a provider fetches: the reference without `#KEY` and `optional`, so that both share one request. */
export function toFetchReference(ref: Reference): Reference {
  return { scheme: ref.scheme, path: ref.path, version: ref.version, optional: false, params: ref.params };
}
