// `--load` expansion (docs/reference-syntax.md), shared by Ansible Vault files: every top-level key of a map
// becomes a variable. Names are sanitised to [A-Za-z0-9_] (upper-cased with `upcase`), and nothing is
// silently overridden: two keys that map to one name, or a name already set, is an error unless asked.
import { ProviderError } from '../errors/errors.js';
import { Secret } from '../log/secret.js';
import { isJsonNumber, toEnvText } from '../formats/exact-json.js';

export interface LoadNaming {
  readonly prefix: string;
  readonly upcase: boolean;
}

/** The variable name a key becomes. */
export function toVariableName(key: string, naming: LoadNaming): string {
  let name = `${naming.prefix}${key}`.replace(/[^A-Za-z0-9_]/g, '_');
  if (naming.upcase) name = name.toUpperCase();
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** Turns a map of keys to JSON values into variables; non-scalar values are an error naming the key. */
export function expandMap(map: Readonly<Record<string, unknown>>, naming: LoadNaming): Map<string, Secret> {
  const out = new Map<string, Secret>();
  const from = new Map<string, string>();
  for (const [key, value] of Object.entries(map)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'object' && !(value instanceof Secret) && !isJsonNumber(value))
      throw new ProviderError(
        'Invalid',
        `key '${key}' holds a map or a list, not a value; select it with #${key} instead`,
      );
    const name = toVariableName(key, naming);
    const earlier = from.get(name);
    if (earlier !== undefined) throw new ProviderError('Invalid', `keys '${earlier}' and '${key}' both become ${name}`);
    from.set(name, key);
    out.set(name, value instanceof Secret ? value : new Secret(toEnvText(value)));
  }
  return out;
}
