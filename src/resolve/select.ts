// `#KEY` selection, done once for every provider (docs/architecture.md): a top-level key, or an RFC 6901 JSON
// pointer when the key starts with '/'. Errors name the key and never quote the secret.
import { ProviderError } from '../errors/errors.js';
import { isJsonNumber, parseExactJson, toEnvText } from '../formats/exact-json.js';
import { Secret } from '../log/secret.js';

export { toEnvText };

/**
 * Parses a secret as a JSON object (numbers keep their text, maps have no prototype); a value that is not one
 * is an Invalid error saying so.
 */
export function parseSecretMap(value: Secret, why: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseExactJson(value.reveal());
  } catch {
    throw new ProviderError('Invalid', `the secret is not JSON, so ${why}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ProviderError('Invalid', `the secret is JSON but not an object of keys, so ${why}`);
  }
  return parsed as Record<string, unknown>;
}

/** Selects `key` from a JSON secret; throws NotFound when the key is absent (or null). */
export function selectKey(value: Secret, key: string): Secret {
  const root = parseSecretMap(value, `#${key} cannot select from it`);
  const tokens = key.startsWith('/')
    ? key
        .slice(1)
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    : [key];
  let node: unknown = root;
  for (const token of tokens) {
    const container = node as Record<string, unknown> | unknown[] | null;
    const has =
      container !== null &&
      typeof container === 'object' &&
      !isJsonNumber(container) &&
      Object.hasOwn(container, token);
    if (!has || (Array.isArray(container) && !/^(0|[1-9]\d*)$/.test(token))) {
      throw new ProviderError('NotFound', `the secret has no key '${key}'`);
    }
    node = (container as Record<string, unknown>)[token];
  }
  if (node === null || node === undefined)
    throw new ProviderError('NotFound', `the secret has no key '${key}' (it is null)`);
  return new Secret(toEnvText(node));
}
