// Which namespace a reference is read in: VAULT_NAMESPACE, then the reference's ?namespace= under it.
import { describe, expect, it } from 'vitest';
import { namespaceOf } from '../../../src/providers/vault/namespaces.js';
import { parseReference } from '../../../src/refs/index.js';

describe('namespaceOf', () => {
  it.each([
    [undefined, 'vault://secret/app', ''],
    ['team-a', 'vault://secret/app', 'team-a'],
    ['/team-a/', 'vault://secret/app', 'team-a'],
    [undefined, 'vault://secret/app?namespace=team-a', 'team-a'],
    ['team-a', 'vault://secret/app?namespace=app', 'team-a/app'],
    ['team-a/', 'vault://secret/app?namespace=/app/x/', 'team-a/app/x'],
  ])('VAULT_NAMESPACE=%s with %s reads in %j', (base, text, expected) => {
    expect(namespaceOf(base, parseReference(text))).toBe(expected);
  });
});
