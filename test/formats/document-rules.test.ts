// The rules every local document format shares (docs/store-fidelity.md): a byte order mark is skipped, a
// key written twice is an error naming the key and the place of the second one, a document that cannot be
// read says line and column, and YAML's !!binary is its bytes when they are text.
import { describe, expect, it } from 'vitest';
import { parseKeyValueDocument } from '../../src/formats/key-value-document.js';
import { findDuplicateKey } from '../../src/formats/json-duplicates.js';

const BOM = '\uFEFF';

describe('the same rules in JSON, YAML and dotenv', () => {
  it.each([
    ['json', '{"a": "1", "b": "two"}'],
    ['yaml', 'a: "1"\nb: two\n'],
    ['dotenv', 'a=1\nb=two\n'],
  ] as const)('%s: skips a byte order mark, with the format given or sniffed', async (format, text) => {
    for (const f of [format, undefined]) {
      const map = await parseKeyValueDocument(BOM + text, f);
      expect({ ...map }).toEqual({ a: '1', b: 'two' });
    }
  });

  it.each([
    ['json', '{\n  "a": "x",\n  "b": "y",\n  "a": "z"\n}', 'a', 4, 3],
    ['yaml', 'a: x\nb: y\na: z\n', 'a', 3, 1],
    ['dotenv', 'a=x\nb=y\n  export a=z\n', 'a', 3, 10],
    ['json', '{"m": {"k": 1, "k": 2}}', 'k', 1, 16],
    ['yaml', 'm:\n  k: 1\n  k: 2\n', 'k', 3, 3],
    ['json', `${BOM}{"a": 1, "a": 2}`, 'a', 1, 10],
  ] as const)(
    '%s: a duplicate key is an error naming it and the place (%j)',
    async (format, text, key, line, column) => {
      await expect(parseKeyValueDocument(text, format)).rejects.toThrow(
        `duplicate key '${key}' (line ${line}, column ${column}): each key may appear once`,
      );
    },
  );

  it('tells a key from a value of the same text, and keys of different objects apart', async () => {
    const text = '{"a": "a", "list": [{"k": 1}, {"k": 2}], "s": "\\"a\\", \\"a\\""}';
    expect(Object.keys(await parseKeyValueDocument(text, 'json'))).toEqual(['a', 'list', 's']);
    expect(findDuplicateKey('{"a\\u0062": 1, "ab": 2}')).toEqual({ key: 'ab', at: { line: 1, column: 16 } });
  });

  it.each([
    ['json', '{\n  "a": "hunter2",\n  "b" "x"\n}', /^not valid JSON \(line 3, column 7\)$/],
    ['json', '{"a": "hunter2"', /^not valid JSON \(line 1, column 16\)$/],
    ['yaml', 'a: ok\nb: [hunter2\n', /^not valid YAML \(line 3, column 1\)$/],
    ['yaml', 'a: ok\n  b: hunter2\n', /^not valid YAML \(line 1, column 4\)$/],
    ['dotenv', 'A=1\n  hunter2\n', /^not valid DOTENV \(line 2, column 3\): expected NAME=VALUE/],
    ['dotenv', 'A=1\nB="hunter2\n', /^not valid DOTENV \(line 2, column 3\): unterminated double-quoted value$/],
  ] as const)('%s: a parse error gives line and column and quotes nothing (%j)', async (format, text, message) => {
    const error = await parseKeyValueDocument(text, format).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe("YAML's !!binary", () => {
  it('is the text its bytes spell, in a map and in a list', async () => {
    const pem = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
    const map = await parseKeyValueDocument(`cert: !!binary |\n  ${pem}\nlist: [!!binary aGk=]\n`, 'yaml');
    expect(map.cert).toBe('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(map.list).toEqual(['hi']);
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x41]), /is not UTF-8 text/],
    ['a NUL byte', Buffer.from('a\0b'), /holds a NUL byte, which no environment variable can hold/],
  ])('is an error naming the key and place for %s', async (_what, bytes, message) => {
    const text = `ok: 1\nblob: !!binary ${bytes.toString('base64')}\n`;
    const error = await parseKeyValueDocument(text, 'yaml').catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/^the !!binary value of 'blob' \(line 2, column 16\) /);
    expect((error as Error).message).toMatch(message);
  });
});
