import { describe, expect, it } from 'vitest';
import { expandMap, toVariableName } from '../../src/resolve/load.js';

describe('toVariableName', () => {
  it.each([
    ['db_password', { prefix: '', upcase: false }, 'db_password'],
    ['db-password', { prefix: '', upcase: true }, 'DB_PASSWORD'],
    ['api.key', { prefix: 'APP_', upcase: false }, 'APP_api_key'],
    ['9lives', { prefix: '', upcase: false }, '_9lives'],
    ['ключ', { prefix: '', upcase: false }, '____'],
  ])('%s → %s', (key, naming, expected) => {
    expect(toVariableName(key, naming)).toBe(expected);
  });
});

describe('expandMap', () => {
  it('loads scalar keys and skips nulls', () => {
    const out = expandMap({ a: 'x', n: 1, b: true, z: null }, { prefix: '', upcase: true });
    expect([...out].map(([k, v]) => [k, v.reveal()])).toEqual([
      ['A', 'x'],
      ['N', '1'],
      ['B', 'true'],
    ]);
  });

  it('refuses a map value, naming the key', () => {
    expect(() => expandMap({ nested: { a: 1 } }, { prefix: '', upcase: false })).toThrow(
      /key 'nested' holds a map or a list/,
    );
  });

  it('refuses two keys that become one variable', () => {
    expect(() => expandMap({ 'db-pass': 'a', db_pass: 'b' }, { prefix: '', upcase: false })).toThrow(
      /keys 'db-pass' and 'db_pass' both become db_pass/,
    );
  });
});
