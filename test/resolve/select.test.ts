import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors/errors.js';
import { Secret } from '../../src/log/secret.js';
import { selectKey } from '../../src/resolve/select.js';

const doc = new Secret(
  JSON.stringify({
    password: 'p4ss',
    port: 5432,
    tls: true,
    db: { 'a/b': 'slash', 'c~d': 'tilde', list: ['x', 'y'] },
    gone: null,
  }),
);

describe('selectKey', () => {
  it.each([
    ['password', 'p4ss'],
    ['port', '5432'],
    ['tls', 'true'],
    ['db', JSON.stringify({ 'a/b': 'slash', 'c~d': 'tilde', list: ['x', 'y'] })],
    ['/db/a~1b', 'slash'],
    ['/db/c~0d', 'tilde'],
    ['/db/list/1', 'y'],
  ])('#%s selects %s', (key, expected) => {
    expect(selectKey(doc, key).reveal()).toBe(expected);
  });

  it.each(['missing', 'gone', '/db/nope', '/db/list/2', '/db/list/01', '/password/deeper'])(
    '#%s is NotFound naming the key',
    (key) => {
      try {
        selectKey(doc, key);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ProviderError);
        expect((error as ProviderError).kind).toBe('NotFound');
        expect((error as ProviderError).message).toContain(`'${key}'`);
        expect((error as ProviderError).message).not.toContain('p4ss');
      }
    },
  );

  it('says a non-JSON secret cannot be selected from, without quoting it', () => {
    expect(() => selectKey(new Secret('not json hunter2'), 'password')).toThrow(
      /the secret is not JSON, so #password cannot select from it/,
    );
    expect(() => selectKey(new Secret('"a string"'), 'password')).toThrow(/not an object/);
  });
});
