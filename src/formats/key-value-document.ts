// Reads a document of named values (the local store, decrypted Ansible Vault content): JSON, YAML or
// dotenv, chosen by the file name and, failing that, by the content.
import { parseDotenv } from './dotenv.js';

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
 * Parses a map-valued document. Throws an Error whose message says what is wrong without quoting the
 * content (the YAML and JSON parsers' own messages can quote a line, so they are not passed on).
 */
export async function parseKeyValueDocument(
  text: string,
  format: DocumentFormat = sniff(text),
): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    if (format === 'dotenv') return Object.fromEntries(parseDotenv(text).map((e) => [e.name, e.value]));
    value = format === 'json' ? JSON.parse(text) : await parseYaml(text);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw error;
    const where = error instanceof Error && 'linePos' in error ? describeYamlPosition(error) : '';
    throw new Error(`not valid ${format.toUpperCase()}${where}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Error(`the ${format.toUpperCase()} document is not a map of names to values`);
  return value as Record<string, unknown>;
}

class DuplicateKeyError extends Error {}

// The YAML parser is loaded only for YAML documents (it is the largest module a local run needs).
// Its own duplicate-key check compares every key with every other (10 000 keys took 2.4 s), so keys
// are checked here with one set per map instead — a duplicate is still an error, as YAML 1.2 says.
async function parseYaml(text: string): Promise<unknown> {
  const { parseDocument, visit, isScalar } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors[0]) throw doc.errors[0];
  visit(doc, {
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
  return doc.toJS({ maxAliasCount: 100 });
}

function describeYamlPosition(error: Error): string {
  const pos = (error as { linePos?: Array<{ line: number }> }).linePos;
  return pos?.[0] ? ` (line ${pos[0].line})` : '';
}
