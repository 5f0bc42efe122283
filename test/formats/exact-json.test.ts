// Numbers keep their text and keys from outside are plain keys, in every format a secret or a document
// is read in: JSON secrets (#KEY and --load), JSON, YAML and dotenv documents (the local store, Ansible
// vars). Property tests over number texts and key names that a prototype would shadow.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExactJson, toEnvText } from '../../src/formats/exact-json.js';
import { parseKeyValueDocument } from '../../src/formats/key-value-document.js';
import { Secret } from '../../src/log/secret.js';
import { expandMap } from '../../src/resolve/load.js';
import { parseSecretMap, selectKey } from '../../src/resolve/select.js';

// JSON's number grammar, with the texts JSON.parse would change: leading-zero fractions, exponents in
// either case, -0, integers beyond 2^53 and beyond a double's range.
const digits = fc.stringMatching(/^[0-9]{1,25}$/);
const numberText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,25}$/)),
    fc.option(digits, { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits), { nil: undefined }),
  )
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}${exp ? exp.join('') : ''}`);
const FIXED = ['9007199254740993', '12345678901234567890', '1.10', '1E-7', '-0', '1e400', '0.1000'];
const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];
const key = fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/));

describe('numbers keep their source text', () => {
  it.each(FIXED)('%s through #KEY, a JSON pointer, --load and nested JSON', (text) => {
    const secret = new Secret(`{"n": ${text}, "m": {"list": [${text}]}}`);
    expect(selectKey(secret, 'n').reveal()).toBe(text);
    expect(selectKey(secret, '/m/list/0').reveal()).toBe(text);
    expect(selectKey(secret, 'm').reveal()).toBe(`{"list":[${text}]}`);
    const flat = new Secret(`{"n": ${text}}`);
    const loaded = expandMap(parseSecretMap(flat, 'x'), { prefix: '', upcase: true });
    expect(loaded.get('N')?.reveal()).toBe(text);
  });

  it('holds for any JSON number text, in JSON secrets and in JSON and YAML documents', async () => {
    await fc.assert(
      fc.asyncProperty(numberText, key, async (text, name) => {
        const json = `{${JSON.stringify(name)}: ${text}}`;
        expect(selectKey(new Secret(json), name).reveal()).toBe(text);
        for (const [doc, format] of [
          [json, 'json'],
          [`${JSON.stringify(name)}: ${text}\n`, 'yaml'],
        ] as const) {
          const map = await parseKeyValueDocument(doc, format);
          expect(toEnvText(map[name])).toBe(text);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a number is a value, not a map to select from', () => {
    expect(() => selectKey(new Secret('{"n": 1.5}'), '/n/rawJSON')).toThrow(/no key/);
  });

  it('YAML numbers JSON cannot carry as they are are the text as written', async () => {
    const map = await parseKeyValueDocument('a: 0123\nb: 0x1F\nc: 0o17\nd: .inf\ne: 1.10\n', 'yaml');
    expect(Object.values(map).map(toEnvText)).toEqual(['0123', '0x1F', '0o17', '.inf', '1.10']);
  });
});

describe('keys a prototype would shadow are plain keys', () => {
  const formats: Array<[string, (entries: Array<[string, string]>) => string]> = [
    ['json', (e) => JSON.stringify(Object.fromEntries(e))],
    ['yaml', (e) => e.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}\n`).join('')],
    ['dotenv', (e) => e.map(([k, v]) => `${k}=${v}\n`).join('')],
  ];

  it.each(formats)('in a %s document', async (format, write) => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(key, fc.stringMatching(/^[a-z0-9]{1,8}$/)), { selector: (e) => e[0], maxLength: 8 }),
        async (entries) => {
          const map = await parseKeyValueDocument(write(entries), format as 'json');
          expect(Object.getPrototypeOf(map)).toBe(null);
          expect(Object.entries(map)).toEqual(entries);
        },
      ),
    );
  });

  it('in a JSON secret, through #KEY, --load and nested maps', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 8 }), (keys) => {
        const json = `{${keys.map((k, i) => `${JSON.stringify(k)}: {${JSON.stringify(k)}: "v${i}"}`).join(',')}}`;
        const secret = new Secret(json);
        keys.forEach((k, i) => {
          expect(selectKey(secret, k).reveal()).toBe(`{${JSON.stringify(k)}:"v${i}"}`);
          expect(selectKey(secret, `/${k}/${k}`).reveal()).toBe(`v${i}`);
        });
        const flat = new Secret(`{${keys.map((k, i) => `${JSON.stringify(k)}: "v${i}"`).join(',')}}`);
        const loaded = expandMap(parseSecretMap(flat, 'x'), { prefix: '', upcase: false });
        expect([...loaded].map(([n, v]) => [n, v.reveal()])).toEqual(keys.map((k, i) => [k, `v${i}`]));
      }),
    );
  });

  it('a key absent from the secret is NotFound even when Object.prototype has it', () => {
    for (const k of PROTO_KEYS) expect(() => selectKey(new Secret('{"a": 1}'), k)).toThrow(/no key/);
  });

  it('parseExactJson gives maps without a prototype at every depth', () => {
    const value = parseExactJson('{"__proto__": {"__proto__": [{"a": 1}]}}') as object;
    expect(Object.getPrototypeOf(value)).toBe(null);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(Object.getOwnPropertyDescriptor(value, '__proto__')?.value)).toBe(null);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"__proto__":[{"a":1}]}}');
  });
});
