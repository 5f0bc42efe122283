import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptVault } from '../support/encrypt-vault.js';
import { parseInlineVault, type InlineValue } from '../../src/ansible-vault/inline-vault.js';
import { VaultFormatError } from '../../src/ansible-vault/parse-envelope.js';
import { FIXTURES } from '../support/run-binary.js';

const inline = (name: string): string => readFileSync(join(FIXTURES, 'ansible', 'inline', name), 'utf8');
const kinds = (values: Map<string, InlineValue> | undefined): Record<string, string> =>
  Object.fromEntries(
    [...(values ?? [])].map(([k, v]) => [
      k,
      v.kind === 'encrypted'
        ? `vault ${v.envelope.version}${v.envelope.label ? ` ${v.envelope.label}` : ''}`
        : `plain ${JSON.stringify(v.value)}`,
    ]),
  );
// An encrypt_string value as Ansible writes it, under `key`, indented by `indent`.
const vaultValue = (key: string, indent = ''): string =>
  `${indent}${key}: !vault |\n${encryptVault('v', 'pw', { salt: Buffer.from('s') })
    .trimEnd()
    .split('\n')
    .map((l) => `${indent}  ${l}`)
    .join('\n')}\n`;

describe('parseInlineVault', () => {
  // ---- files written by ansible-vault encrypt_string ----
  it('reads vault values mixed with plain ones, in file order', () => {
    expect(kinds(parseInlineVault(inline('inline.yml')))).toEqual({
      db_host: 'plain "db.internal"',
      db_password: 'vault 1.1',
      // Numbers are taken as written (a JSON number keeping its text).
      db_port: 'plain 5432',
      api_key: 'vault 1.1',
      cert: 'vault 1.1',
      feature_flag: 'plain true',
    });
  });

  it('reads the label of each value', () => {
    expect(kinds(parseInlineVault(inline('labels.yml')))).toEqual({
      prod_token: 'vault 1.2 prod',
      dev_token: 'vault 1.2 dev',
      region: 'plain "eu-west-1"',
    });
  });

  it('reads a file with CRLF line endings', () => {
    const text = inline('inline.yml');
    expect(kinds(parseInlineVault(text.replace(/\n/g, '\r\n')))).toEqual(kinds(parseInlineVault(text)));
  });

  it("knows Ansible's other tags: !vault-encrypted and !unsafe", () => {
    const text = `${vaultValue('a').replace('!vault', '!vault-encrypted')}b: !unsafe '{{ not templated }}'\n`;
    expect(kinds(parseInlineVault(text))).toEqual({ a: 'vault 1.1', b: 'plain "{{ not templated }}"' });
  });

  it('keeps null values (loading skips them)', () => {
    expect(kinds(parseInlineVault(`${vaultValue('a')}b:\n`))).toEqual({ a: 'vault 1.1', b: 'plain null' });
  });

  // A map or a list next to vault values used to refuse the whole file; now it is loaded as its JSON text.
  it('hands on a map or a list without a vault as its JSON text, numbers as written', () => {
    const text = `${vaultValue('a')}hosts:\n  - a\n  - 1.10\nservice:\n  port: 0123\n  ratio: 1E-7\n  on: yes\n`;
    expect(kinds(parseInlineVault(text))).toEqual({
      a: 'vault 1.1',
      hosts: `plain ${JSON.stringify('["a",1.10]')}`,
      service: `plain ${JSON.stringify('{"port":"0123","ratio":1E-7,"on":"yes"}')}`,
    });
  });

  // ---- not an inline vault file: the caller says so ----
  it.each([
    ['plain YAML', 'a: 1\nb: two\n'],
    ['plain YAML with maps', 'a:\n  b: 1\n'],
    ['an empty file', ''],
    ['a list', '- a\n- b\n'],
    ['a plain string', 'just some text\n'],
    ['a document that is one vault value', '!vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3031\n'],
  ])('returns undefined for %s', (_, text) => {
    expect(parseInlineVault(text)).toBeUndefined();
  });

  // ---- refused, naming the key and never quoting the text ----
  it.each([
    ['a vault nested in a map', inline('nested.yml'), /key 'nested' holds a !vault value inside a map or a list/],
    [
      'a vault value with a bad version',
      `${vaultValue('a').replace('1.1', '9.9')}`,
      /key 'a': unsupported vault format version '9.9'/,
    ],
    [
      'a vault value with bad hex',
      `${vaultValue('a').replace(/(\n {2}[0-9a-f]{10})[0-9a-f]/, '$1x')}`,
      /key 'a': the body is not hexadecimal \(line 2\)/,
    ],
    ['invalid YAML', `${vaultValue('a')}b: [unclosed hunter2\n`, /^not valid YAML \(line \d+\)$/],
    ['a duplicated key', `${vaultValue('a')}${vaultValue('a')}`, /^not valid YAML/],
  ])('refuses %s', (_, text, message) => {
    expect(() => parseInlineVault(text)).toThrow(VaultFormatError);
    expect(() => parseInlineVault(text)).toThrow(message);
    expect(() => parseInlineVault(text)).not.toThrow(/hunter2/);
  });
});
