import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isReference, suggestScheme } from '../../src/refs/index.js';

describe('suggestScheme', () => {
  it.each([
    ['secrets://db', 'secret'],
    ['Secret://db', 'secret'],
    ['Vault://secret/x', 'vault'],
    ['VAULT://secret/x', 'vault'],
    ['vault:/secret/x', 'vault'],
    ['valut://secret/x', 'vault'],
    ['aws-secretsmanager://db', 'aws-sm'],
    ['secretsmanager://db', 'aws-sm'],
    ['aws-sms://db', 'aws-sm'],
    ['aws-ssn:///p', 'aws-ssm'],
    ['gcp-secret-manager://db', 'gcp-sm'],
    ['oci-valt://ocid1.vaultsecret.oc1.iad.x', 'oci-vault'],
    ['locale://x', 'local'],
    ['Local://x', 'local'],
  ])('%s is a near miss of %s://', (value, scheme) => {
    expect(suggestScheme(value)).toBe(scheme);
  });

  it.each([
    'secret://db',
    'vault://secret/x',
    'postgres://user:pass@host/db',
    'https://example.com/',
    'http://x',
    'ws://host',
    'wss://host',
    's3://bucket/key',
    'redis://host:6379',
    'mysql://h',
    'file:///etc/passwd',
    'plain value',
    'secret',
    'C:/path',
    '',
  ])('%s is not one', (value) => {
    expect(suggestScheme(value)).toBeUndefined();
  });

  it('never calls a reference a near miss, and names only known schemes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const scheme = suggestScheme(value);
        if (isReference(value)) expect(scheme).toBeUndefined();
        if (scheme !== undefined) expect(value).toMatch(/^[A-Za-z][A-Za-z0-9+.-]*:\//);
      }),
      { numRuns: 10_000 },
    );
  });
});
