// A YAML vars file whose values are inline vaults — what `ansible-vault encrypt_string` writes —
// mixed with plain values:
//
//   db_host: db.internal
//   db_password: !vault |
//             $ANSIBLE_VAULT;1.1;AES256
//             6238…
//
// Ansible's YAML loader knows three tags of its own (parsing/yaml/constructor.py): `!vault` and its
// older spelling `!vault-encrypted` (a vault string), and `!unsafe` (a string Ansible will not
// template; here simply the string). Top-level keys are loaded; a map or list value is handed on as its
// JSON text, as `--load` does, but a vault nested inside one is an error naming its key (it would have to
// be opened to be written as JSON). Pure: errors never quote the text.
import { parseDocument, type ScalarTag, visit } from 'yaml';
import { isJsonNumber, jsonNumber, type JsonNumber, toEnvText } from '../formats/exact-json.js';
import { parseEnvelope, VaultFormatError, type VaultEnvelope } from './parse-envelope.js';

/** A top-level value of the file: plain (string, number, boolean or null) or a vault to open. */
export type InlineValue =
  | { readonly kind: 'plain'; readonly value: string | JsonNumber | boolean | null }
  | { readonly kind: 'encrypted'; readonly envelope: VaultEnvelope };

// What the `!vault` tag resolves to while the document is turned into JavaScript.
class VaultText {
  constructor(readonly text: string) {}
}

const TAGS: ScalarTag[] = [
  { tag: '!vault', resolve: (text: string) => new VaultText(text) },
  { tag: '!vault-encrypted', resolve: (text: string) => new VaultText(text) },
  { tag: '!unsafe', resolve: (text: string) => text },
];

/**
 * Reads the top-level values of a YAML vars file; undefined when it holds no `!vault` value (then it
 * is not an Ansible Vault file at all). Throws VaultFormatError naming the key of a bad value.
 */
export function parseInlineVault(text: string): Map<string, InlineValue> | undefined {
  const doc = parseDocument(text, { customTags: TAGS, prettyErrors: false, logLevel: 'silent' });
  if (doc.errors.length > 0) {
    // The line is worked out from the offset: the parser's own message can quote the text.
    const offset = doc.errors[0]?.pos[0];
    const line = offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
    throw new VaultFormatError(`not valid YAML${line === undefined ? '' : ` (line ${line})`}`);
  }
  // Numbers are taken as written (`1.10`, `0123`), as in every other document secrets-exec reads: one JSON
  // can carry keeps its text as a JSON number (inside a map handed on as JSON), any other is a string.
  visit(doc, {
    Scalar(role, scalar) {
      const numeric = typeof scalar.value === 'number' || typeof scalar.value === 'bigint';
      if (role !== 'key' && numeric && scalar.source !== undefined)
        scalar.value = JSON_NUMBER.test(scalar.source) ? jsonNumber(scalar.source) : scalar.source;
    },
  });
  const root = toPlain(doc);
  if (root === null || root === undefined) return undefined;
  if (typeof root !== 'object' || Array.isArray(root) || root instanceof VaultText) return undefined;

  const entries = Object.entries(root as Record<string, unknown>);
  if (!entries.some(([, value]) => containsVault(value))) return undefined;
  const values = new Map<string, InlineValue>();
  for (const [key, value] of entries) {
    if (value instanceof VaultText) values.set(key, { kind: 'encrypted', envelope: parseValue(key, value.text) });
    else if (containsVault(value))
      throw new VaultFormatError(
        `key '${key}' holds a !vault value inside a map or a list; only top-level vault values can be opened`,
      );
    else if (value !== null && typeof value === 'object' && !isJsonNumber(value))
      values.set(key, { kind: 'plain', value: toEnvText(value) });
    else values.set(key, { kind: 'plain', value: value as string | JsonNumber | boolean | null });
  }
  return values;
}

// A JSON number's grammar: a YAML number written this way keeps its text (`1.10`, `1E-7`, `-0`).
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function parseValue(key: string, text: string): VaultEnvelope {
  try {
    return parseEnvelope(text);
  } catch (error) {
    if (error instanceof VaultFormatError) throw new VaultFormatError(`key '${key}': ${error.message}`);
    throw error;
  }
}

function containsVault(value: unknown): boolean {
  if (value instanceof VaultText) return true;
  return value !== null && typeof value === 'object' && Object.values(value).some(containsVault);
}

// The document as plain values. The YAML library reports an alias that names no anchor, or that expands
// too much (a "billion laughs" file), only while converting, as a ReferenceError quoting the alias name.
function toPlain(doc: { toJS(options: { maxAliasCount: number }): unknown }): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw new VaultFormatError('not valid YAML (an alias names no anchor, or expands too much)');
  }
}
