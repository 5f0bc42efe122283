// Reads a document of named values (the local store, decrypted Ansible Vault content): JSON, YAML or
// dotenv, chosen by the file name and, failing that, by the content.
import { DocumentError, describePosition, duplicateKey, positionAt, type Position } from './document-error.js';
import { DotenvSyntaxError, parseDotenv } from './dotenv.js';
import { isJsonNumber, jsonNumber, parseExactJson, toBareMap } from './exact-json.js';
import { findDuplicateKey } from './json-duplicates.js';
import { binaryText } from './yaml-binary.js';

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
 * their text (see parseYaml for YAML's). Every format treats a document alike: a UTF-8 byte order mark is
 * skipped; a key written twice in one map is a DocumentError naming the key and where the second one is; a
 * document that cannot be read is a DocumentError saying where (`line L, column C`) without quoting the
 * content (the YAML and JSON parsers' own messages can quote a line, so they are not passed on).
 */
export async function parseKeyValueDocument(text: string, format?: DocumentFormat): Promise<Record<string, unknown>> {
  const body = text.replace(/^\uFEFF/, '');
  const kind = format ?? sniff(body);
  let value: unknown;
  try {
    if (kind === 'dotenv') return dotenvMap(body);
    value = kind === 'json' ? parseJsonDocument(body) : await parseYaml(body);
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    throw new DocumentError(`not valid ${kind.toUpperCase()}${describePosition(errorPosition(error, body))}`);
  }
  if (value === null || value === undefined) return Object.create(null) as Record<string, unknown>;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new DocumentError(`the ${kind.toUpperCase()} document is not a map of names to values`);
  return value as Record<string, unknown>;
}

function dotenvMap(body: string): Record<string, unknown> {
  let entries: ReturnType<typeof parseDotenv>;
  try {
    entries = parseDotenv(body);
  } catch (error) {
    if (!(error instanceof DotenvSyntaxError)) throw error;
    throw new DocumentError(`not valid DOTENV${describePosition(error)}: ${error.reason}`);
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) throw duplicateKey(entry.name, entry);
    seen.add(entry.name);
  }
  return toBareMap(Object.fromEntries(entries.map((e) => [e.name, e.value])));
}

function parseJsonDocument(body: string): unknown {
  const value = parseExactJson(body);
  const duplicate = findDuplicateKey(body);
  if (duplicate !== undefined) throw duplicateKey(duplicate.key, duplicate.at);
  return value;
}

// Where a parser's error points: YAML's `pos` offsets, or the position V8 puts in a JSON.parse message
// ("… in JSON at position 15 (line 2 column 5)"), from which only the numbers are taken.
function errorPosition(error: unknown, body: string): Position | undefined {
  const pos = (error as { pos?: unknown } | null)?.pos;
  if (Array.isArray(pos) && typeof pos[0] === 'number') return positionAt(body, pos[0]);
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const offset = /at position (\d+)/.exec(message);
  if (offset) return positionAt(body, Number(offset[1]));
  if (/Unexpected end of JSON input/.test(message)) return positionAt(body, body.length);
  return undefined;
}

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
  const { parseDocument, visit, isScalar, isPair } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors[0]) throw doc.errors[0];
  const at = (node: { range?: readonly number[] | null } | null | undefined): Position | undefined =>
    node?.range ? positionAt(text, node.range[0] ?? 0) : undefined;
  visit(doc, {
    Scalar(role, scalar, path) {
      // Keys stay as they are: a key is a name, and toJS turns a number key into its text anyway.
      if (role === 'key') return;
      const numeric = typeof scalar.value === 'number' || typeof scalar.value === 'bigint';
      if (numeric && scalar.source !== undefined) scalar.value = yamlNumber(scalar.source);
      if (scalar.value instanceof Uint8Array) {
        const parent = path.at(-1);
        const key = isPair(parent) && isScalar(parent.key) ? String(parent.key.value) : undefined;
        scalar.value = binaryText(scalar.value, key, at(scalar));
      }
    },
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          const where = at(pair.key as { range?: readonly number[] }) ?? { line: 0, column: 0 };
          throw duplicateKey(typeof key === 'string' ? key : String(key), where);
        }
        seen.add(key);
      }
    },
  });
  return bare(doc.toJS({ maxAliasCount: 100 }));
}
