// Reads a document of named values (the local store, decrypted Ansible Vault content): JSON, YAML or
// dotenv, chosen by the file name and, failing that, by the content.
import { parseDotenv } from './dotenv.js';
import { isJsonNumber, jsonNumber, parseExactJson, toBareMap } from './exact-json.js';

type DocumentFormat = 'json' | 'yaml' | 'dotenv';

/** The format a file name implies, or undefined when the name says nothing. */
export function formatFromName(name: string): DocumentFormat | undefined {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/(^|[/.])env$|\.env\.[^/]*$/i.test(name)) return 'dotenv';
  return undefined;
}

// Content sniffing for a name that says nothing: JSON starts with '{'; dotenv is all NAME=VALUE lines.
function sniff(text: string): DocumentFormat {
  const body = text.trimStart();
  if (body.startsWith('{')) return 'json';
  const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return lines.length > 0 && lines.every((l) => /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_.-]*=/.test(l))
    ? 'dotenv'
    : 'yaml';
}

/**
 * Parses a map-valued document: maps without a prototype (`__proto__` is a key like any other), numbers as
 * their text (see parseYaml for YAML's). Throws an Error whose message says what is wrong without quoting the
 * content (the YAML and JSON parsers' own messages can quote a line, so they are not passed on).
 */
export async function parseKeyValueDocument(
  text: string,
  format: DocumentFormat = sniff(text),
): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    if (format === 'dotenv') return toBareMap(Object.fromEntries(parseDotenv(text).map((e) => [e.name, e.value])));
    value = format === 'json' ? parseExactJson(text) : await parseYaml(text);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw error;
    const where = error instanceof Error && 'linePos' in error ? describeYamlPosition(error) : '';
    throw new Error(`not valid ${format.toUpperCase()}${where}`);
  }
  if (value === null || value === undefined) return Object.create(null) as Record<string, unknown>;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Error(`the ${format.toUpperCase()} document is not a map of names to values`);
  return value as Record<string, unknown>;
}

class DuplicateKeyError extends Error {}

// A JSON number's grammar: a YAML number written this way keeps its text (`1.10`, `1E-7`, `-0`).
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

// YAML numbers are taken as written: one JSON can carry as it is stays a number with its text; any other
// (`0123`, `0x1F`, `0o17`, `.inf`) is the text as written, where the YAML 1.2 core schema would give 123,
// 31, 15 or Infinity: a value is a string in the environment, and the file's author wrote those
// characters.
function yamlNumber(source: string): unknown {
  return JSON_NUMBER.test(source) ? jsonNumber(source) : source;
}

// toJS gives maps with a prototype; every map becomes one without (it keeps `__proto__` as an own key).
function bare(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(bare);
  if (value === null || typeof value !== 'object' || isJsonNumber(value)) return value;
  const map = toBareMap(value);
  for (const key of Object.keys(map)) map[key] = bare(map[key]);
  return map;
}

// The YAML parser is loaded only for YAML documents (it is the largest module a local run needs).
// Its own duplicate-key check compares every key with every other (10 000 keys took 2.4 s), so keys
// are checked here with one set per map instead — a duplicate is still an error, as YAML 1.2 says.
async function parseYaml(text: string): Promise<unknown> {
  const { parseDocument, visit, isScalar } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors[0]) throw doc.errors[0];
  visit(doc, {
    Scalar(role, scalar) {
      // Keys stay as they are: a key is a name, and toJS turns a number key into its text anyway.
      if (role === 'key') return;
      const numeric = typeof scalar.value === 'number' || typeof scalar.value === 'bigint';
      if (numeric && scalar.source !== undefined) scalar.value = yamlNumber(scalar.source);
    },
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key))
          throw new DuplicateKeyError(
            `the YAML document has a duplicate key${typeof key === 'string' ? ` '${key}'` : ''}`,
          );
        seen.add(key);
      }
    },
  });
  return bare(doc.toJS({ maxAliasCount: 100 }));
}

function describeYamlPosition(error: Error): string {
  const pos = (error as { linePos?: Array<{ line: number }> }).linePos;
  return pos?.[0] ? ` (line ${pos[0].line})` : '';
}
