// docs/private-endpoints.md cannot drift from the code: every variable its tables name is one a provider
// declares it reads (its descriptor's `env` or `credentialEnv`), every provider has a row, and every
// endpoint or address variable a provider declares has a place in the tables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/providers/registry.js';
import { ROOT } from './support/run-binary.js';

const doc = readFileSync(join(ROOT, 'docs', 'private-endpoints.md'), 'utf8');
const rows = doc.split('\n').filter((line) => /^\| [a-z]/.test(line));
const rowsOf = (provider: string): string[] => rows.filter((row) => row.startsWith(`| ${provider} `));
// The variables of a table row's "Variable" column: upper-case names in backquotes.
const variablesIn = (row: string): string[] => {
  const column = row.split(' | ')[1] ?? '';
  return [...column.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1] as string);
};
const declared = (name: string): Set<string> => {
  const descriptor = PROVIDERS.find((p) => p.name === name);
  return new Set([...(descriptor?.env ?? []), ...(descriptor?.credentialEnv ?? [])]);
};

describe('docs/private-endpoints.md', () => {
  const providers = PROVIDERS.filter((p) => p.tier !== 'development').map((p) => p.name);

  it.each(providers)('has rows for %s', (name) => {
    expect(rowsOf(name).length).toBeGreaterThan(0);
  });

  it.each(providers)('names only variables the %s provider reads', (name) => {
    const named = rowsOf(name).flatMap(variablesIn);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((v) => !declared(name).has(v))).toEqual([]);
  });

  it.each(providers)('gives every endpoint or address variable of %s a row', (name) => {
    const endpointLike = [...declared(name)].filter(
      (v) => /ENDPOINT|_URL|_ADDR$|_URI$/.test(v) && v !== 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
    );
    const named = new Set(rowsOf(name).flatMap(variablesIn));
    expect(endpointLike.filter((v) => !named.has(v))).toEqual([]);
  });

  it('has no row for a provider that does not exist', () => {
    const names = new Set(PROVIDERS.map((p) => p.name));
    expect(rows.map((row) => row.split(' ')[1]).filter((n) => !names.has(n as string))).toEqual([]);
  });

  it("is what the README's table of the secret stores shows", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replaceAll('docs/providers/', 'providers/');
    const storesTable = (text: string): string => {
      const start = text.indexOf('| Provider | Variable |');
      return text.slice(start, text.indexOf('\n\n', start));
    };
    expect(storesTable(readme)).toBe(storesTable(doc));
  });
});
