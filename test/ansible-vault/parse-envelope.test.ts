import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVaultText, parseEnvelope, VaultFormatError } from '../../src/ansible-vault/parse-envelope.js';
import { FIXTURES } from '../support/run-binary.js';

const vault = (name: string): string => readFileSync(join(FIXTURES, 'ansible', 'vault', name), 'utf8');
const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');
// A body as Ansible writes it: hex(hex(salt) \n hex(hmac) \n hex(ciphertext)) in lines of 80 columns.
const body = (salt: string, hmac: string, ciphertext: string): string =>
  hex([salt, hmac, ciphertext].join('\n')).replace(/.{80}/g, '$&\n');

describe('parseEnvelope', () => {
  // ---- files made by ansible-vault ----
  it('reads a 1.1 file: no label, a 32-byte salt and a 32-byte HMAC', () => {
    const envelope = parseEnvelope(vault('app-1.1.yml'));
    expect(envelope).toMatchObject({ version: '1.1', cipher: 'AES256', label: undefined });
    expect(envelope.salt).toHaveLength(32);
    expect(envelope.hmac).toHaveLength(32);
    expect(envelope.ciphertext.length % 16).toBe(0);
  });

  it('reads the vault id of a 1.2 file', () => {
    expect(parseEnvelope(vault('app-prod-1.2.yml'))).toMatchObject({ version: '1.2', label: 'prod' });
    expect(parseEnvelope(vault('app-dev-1.2.yml'))).toMatchObject({ version: '1.2', label: 'dev' });
  });

  it('reads a file with CRLF line endings as the same vault', () => {
    const crlf = vault('app-crlf-envelope.yml');
    expect(crlf).toContain('\r\n');
    const lf = parseEnvelope(crlf.replace(/\r\n/g, '\n'));
    expect(parseEnvelope(crlf)).toEqual(lf);
    expect(parseEnvelope(crlf.replace(/\r\n/g, '\r'))).toEqual(lf);
  });

  it.each([
    ['short-salt.yml', 1],
    ['long-salt.yml', 100],
  ])('reads %s, whose salt is %i bytes long', (name, length) => {
    expect(parseEnvelope(vault(name)).salt).toHaveLength(length);
  });

  it('ignores white space around body lines (an indented value pasted by hand)', () => {
    const text = vault('app-1.1.yml');
    const indented = text
      .split('\n')
      .map((l, i) => (i === 0 ? l : `    ${l}  `))
      .join('\n');
    expect(parseEnvelope(indented)).toEqual(parseEnvelope(text));
  });

  it("takes hex digits in either case, as Python's unhexlify does", () => {
    const text = vault('app-1.1.yml');
    const [header, ...rest] = text.split('\n');
    expect(parseEnvelope([header, ...rest.map((l) => l.toUpperCase())].join('\n'))).toEqual(parseEnvelope(text));
  });

  it('accepts an empty salt and splits only at the first two newlines', () => {
    const envelope = parseEnvelope(`$ANSIBLE_VAULT;1.1;AES256\n${body('', hex('h'), hex('c'))}`);
    expect(envelope.salt).toHaveLength(0);
    expect(envelope.hmac.toString()).toBe('h');
    expect(envelope.ciphertext.toString()).toBe('c');
  });

  // ---- what is not a vault it can read ----
  it.each([
    ['a header without version and cipher', '$ANSIBLE_VAULT\n3031\n', /the header has no version or cipher/],
    [
      'a header with another prefix',
      '$ANSIBLE_VAULTX;1.1;AES256\n3031\n',
      /first line does not start with \$ANSIBLE_VAULT/,
    ],
    [
      'format 1.0',
      '$ANSIBLE_VAULT;1.0;AES\n3031\n',
      /unsupported vault format version '1.0' \(secrets-exec reads 1.1 and 1.2\)/,
    ],
    ['format 2.0', '$ANSIBLE_VAULT;2.0;AES256\n3031\n', /unsupported vault format version '2.0'/],
    [
      'the retired AES cipher',
      '$ANSIBLE_VAULT;1.1;AES\n3031\n',
      /unsupported cipher 'AES' \(Ansible Vault 1.1 and 1.2 use AES256\)/,
    ],
    ['an unknown cipher', '$ANSIBLE_VAULT;1.2;CHACHA20;prod\n3031\n', /unsupported cipher 'CHACHA20'/],
    ['a header only', '$ANSIBLE_VAULT;1.1;AES256\n', /the vault has no body/],
    ['a header without a newline', '$ANSIBLE_VAULT;1.1;AES256', /the vault has no body/],
    [
      'a digit that is not hex on line 3',
      '$ANSIBLE_VAULT;1.1;AES256\n3031\n30zz\n',
      /the body is not hexadecimal \(line 3\)/,
    ],
    ['an odd number of hex digits', '$ANSIBLE_VAULT;1.1;AES256\n303\n', /the body has an odd number of hex digits/],
    [
      'a body without its two newlines',
      `$ANSIBLE_VAULT;1.1;AES256\n${hex('3031')}\n`,
      /does not hold a salt, an HMAC and a ciphertext/,
    ],
    ['a salt that is not hex', `$ANSIBLE_VAULT;1.1;AES256\n${hex('zz\n30\n30')}\n`, /the salt is not hexadecimal/],
    [
      'an HMAC with an odd length',
      `$ANSIBLE_VAULT;1.1;AES256\n${hex('30\n303\n30')}\n`,
      /the HMAC has an odd number of hex digits/,
    ],
    [
      'a ciphertext that is not hex',
      `$ANSIBLE_VAULT;1.1;AES256\n${hex('30\n30\n30\n30')}\n`,
      /the ciphertext is not hexadecimal/,
    ],
  ])('refuses %s', (_, text, message) => {
    expect(() => parseEnvelope(text)).toThrow(VaultFormatError);
    expect(() => parseEnvelope(text)).toThrow(message);
  });

  it('never quotes a header field that does not look like a version or a cipher', () => {
    const text = '$ANSIBLE_VAULT;hunter2 is my password;AES256\n3031\n';
    expect(() => parseEnvelope(text)).toThrow(/unsupported vault format version \(not shown\)/);
    expect(() => parseEnvelope(text)).not.toThrow(/hunter2/);
  });
});

describe('isVaultText', () => {
  it.each([
    ['$ANSIBLE_VAULT;1.1;AES256\n30', true],
    ['db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256', false],
    [' $ANSIBLE_VAULT;1.1;AES256', false], // as Ansible's is_encrypted: the very first bytes
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(isVaultText(text)).toBe(expected);
  });
});
