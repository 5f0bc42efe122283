// The corpus: every input a property test found a bug with, kept as a plain test so it is checked on every
// run whatever the fuzzer draws. Each entry says what was wrong and what is expected now.
import { describe, expect, it } from 'vitest';
import { parseInlineVault } from '../../src/ansible-vault/inline-vault.js';
import { loadAnsibleVaults } from '../../src/ansible-vault/load-files.js';
import { VaultFormatError } from '../../src/ansible-vault/parse-envelope.js';
import { UsageError } from '../../src/errors/errors.js';
import { DotenvSyntaxError, parseDotenv } from '../../src/formats/dotenv.js';
import { parseKeyValueDocument } from '../../src/formats/key-value-document.js';

const BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'v: !vault |',
  '  $ANSIBLE_VAULT;1.1;AES256',
  '  6162',
].join('\n');

describe('dotenv corpus', () => {
  // Was: "line 1: 'p@ss+w0rd! x' is not a variable name" — the text before '=' of a pasted secret line.
  it.each(['p@ss+w0rd! x=y', 'DB_PASSWORD: p@ss+w0rd!=x', 'export p@ss+w0rd!=1'])('%j: no quote of the line', (t) => {
    expect(() => parseDotenv(t)).toThrow(DotenvSyntaxError);
    expect(() => parseDotenv(t)).toThrow(/^line 1: the text before '=' is not a variable name/);
    try {
      parseDotenv(t);
    } catch (error) {
      expect((error as Error).message).not.toContain('p@ss');
    }
  });
});

describe('local store document corpus', () => {
  // Was: !!binary came out as a map of byte indexes ({"0":104,…}); a JSON document with a byte order mark
  // was "not valid JSON"; a JSON or dotenv key written twice kept the last value silently.
  it.each([
    ['!!binary', 'a: !!binary aGk=\n', 'yaml', { a: 'hi' }],
    ['a BOM before JSON', '\uFEFF{"a": "x"}', 'json', { a: 'x' }],
    ['a BOM before JSON, sniffed', '\uFEFF{"a": "x"}', undefined, { a: 'x' }],
  ] as const)('%s reads as written', async (_what, text, format, expected) => {
    expect({ ...(await parseKeyValueDocument(text, format)) }).toEqual(expected);
  });

  it.each([
    ['{"a": 1, "a": 2}', 'json'],
    ['a=1\na=2\n', 'dotenv'],
  ] as const)('%j: a duplicate key is an error', async (text, format) => {
    await expect(parseKeyValueDocument(text, format)).rejects.toThrow(/^duplicate key 'a' \(line \d+, column \d+\)/);
  });
});

describe('Ansible Vault YAML corpus', () => {
  // Was: ReferenceError "Unresolved alias …: b" from the YAML library, which became "internal error".
  it.each([
    ['an alias with no anchor', 'k0: *b\nv: !vault |\n  $ANSIBLE_VAULT\n'],
    ['an alias bomb', BOMB],
  ])('%s is a VaultFormatError that quotes nothing', (_what, text) => {
    expect(() => parseInlineVault(text)).toThrow(VaultFormatError);
    expect(() => parseInlineVault(text)).toThrow('not valid YAML (an alias names no anchor, or expands too much)');
  });

  it('makes --ansible-vault with such a file a usage error naming the file, not an internal error', async () => {
    const options = {
      files: ['vars.yml'],
      passwords: ['local://pw'],
      naming: { prefix: '', upcase: false },
      override: false,
    };
    const read = async () => Buffer.from('k0: *b\nv: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n');
    const log = { warn: () => undefined };
    await expect(loadAnsibleVaults(options, read, log)).rejects.toBeInstanceOf(UsageError);
    await expect(loadAnsibleVaults(options, read, log)).rejects.toThrow(/^--ansible-vault vars.yml: not valid YAML/);
  });
});
