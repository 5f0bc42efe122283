import { describe, expect, it } from 'vitest';
import { orderForLabel, parseVaultPasswords, toPasswordBytes } from '../../src/ansible-vault/passwords.js';
import { ProviderError, UsageError } from '../../src/errors/errors.js';
import { Secret } from '../../src/log/secret.js';

describe('parseVaultPasswords', () => {
  // ---- accepted: any scheme, with or without a label ----
  it.each([
    ['secret://callableapis/vault-password', 'default', 'secret://callableapis/vault-password'],
    ['local://vault-password', 'default', 'local://vault-password'],
    ['aws-sm://ansible/vault?region=eu-west-1#password', 'default', 'aws-sm://ansible/vault?region=eu-west-1#password'],
    ['vault://secret/ansible#password', 'default', 'vault://secret/ansible#password'],
    [
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ansible-AbCdEf',
      'default',
      'aws-sm://arn:aws:secretsmanager:eu-west-1:123456789012:secret:ansible-AbCdEf',
    ],
    ['prod=secret://vault-password-prod', 'prod', 'secret://vault-password-prod'],
    ['dev-2=local://vault-ids#dev', 'dev-2', 'local://vault-ids#dev'],
    ['default=local://pw', 'default', 'local://pw'],
  ])('%s → label %s, reference %s', (text, label, reference) => {
    const [password] = parseVaultPasswords([text]);
    expect(password?.label).toBe(label);
    expect(password?.reference).toBe(reference);
  });

  it('keeps the order given', () => {
    expect(parseVaultPasswords(['b=local://b', 'local://x', 'a=local://a']).map((p) => p.label)).toEqual([
      'b',
      'default',
      'a',
    ]);
  });

  // ---- refused, naming the option ----
  it.each([
    ['a plain value', 'hunter2', /--ansible-vault-password: not a reference/],
    ['a path', '/run/secrets/vault-pass', /--ansible-vault-password: not a reference/],
    ['an empty label', '=local://pw', /--ansible-vault-password: not a reference/],
    ['an unknown scheme', 'prod=file:///etc/pw', /--ansible-vault-password: unknown scheme 'file:\/\/'/],
    ['?optional', 'local://pw?optional', /\?optional has no meaning for a vault password/],
  ])('refuses %s', (_, text, message) => {
    expect(() => parseVaultPasswords([text])).toThrow(UsageError);
    expect(() => parseVaultPasswords([text])).toThrow(message);
  });

  it('never repeats a plain value given by mistake', () => {
    expect(() => parseVaultPasswords(['hunter2'])).not.toThrow(/hunter2/);
  });
});

describe('orderForLabel', () => {
  const passwords = parseVaultPasswords([
    'local://a',
    'prod=local://p',
    'dev=local://d',
    'local://b',
    'prod=local://p2',
  ]);
  const order = (label: string | undefined): string[] => orderForLabel(passwords, label).map((p) => p.reference);

  it.each([
    ['a 1.1 file (label default)', undefined, ['local://a', 'local://b', 'local://p', 'local://d', 'local://p2']],
    ['a file labelled prod', 'prod', ['local://p', 'local://p2', 'local://a', 'local://d', 'local://b']],
    ['a file labelled dev', 'dev', ['local://d', 'local://a', 'local://p', 'local://b', 'local://p2']],
    ['a label no password has', 'qa', ['local://a', 'local://p', 'local://d', 'local://b', 'local://p2']],
  ])('tries the matching passwords first, then every other in order, for %s', (_, label, expected) => {
    expect(order(label)).toEqual(expected);
  });
});

describe('toPasswordBytes', () => {
  it.each([
    ['trailing newline', 'pw\n', 'pw'],
    ['CRLF', 'pw\r\n', 'pw'],
    ['spaces, tabs, vertical tab and form feed', ' \t\v\fpw pw\f\v\t ', 'pw pw'],
    ['unicode', '  pässwörd–🔑\n', 'pässwörd–🔑'],
    // Python's bytes.strip() knows ASCII white space only: a no-break space is part of the password.
    ['a no-break space', '\u00a0pw\u00a0', '\u00a0pw\u00a0'],
  ])('strips surrounding ASCII white space as Ansible does: %s', (_, value, expected) => {
    expect(toPasswordBytes(new Secret(value), 'local://pw').toString('utf8')).toBe(expected);
  });

  it('encodes the password as UTF-8', () => {
    expect(toPasswordBytes(new Secret('ü'), 'local://pw')).toEqual(Buffer.from([0xc3, 0xbc]));
  });

  it('refuses an empty password, naming where it came from', () => {
    expect(() => toPasswordBytes(new Secret(' \n'), 'local://pw')).toThrow(ProviderError);
    expect(() => toPasswordBytes(new Secret(' \n'), 'local://pw')).toThrow(
      'the vault password from local://pw is empty',
    );
  });
});
