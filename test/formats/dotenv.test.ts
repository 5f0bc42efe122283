import { describe, expect, it } from 'vitest';
import { DotenvSyntaxError, parseDotenv } from '../../src/formats/dotenv.js';
import { parseKeyValueDocument } from '../../src/formats/key-value-document.js';

describe('parseDotenv', () => {
  it.each([
    ['A=1', { A: '1' }],
    ['export A=1', { A: '1' }],
    ['  A = spaced  ', { A: 'spaced' }],
    ['A=value # comment', { A: 'value' }],
    ['A=a#b', { A: 'a#b' }],
    ["A='single # kept \\n'", { A: 'single # kept \\n' }],
    ['A="line\\nbreak \\"q\\""', { A: 'line\nbreak "q"' }],
    ['# comment\n\nA=1\r\nB=2', { A: '1', B: '2' }],
    ['A=', { A: '' }],
  ])('%j', (text, expected) => {
    expect(Object.fromEntries(parseDotenv(text).map((e) => [e.name, e.value]))).toEqual(expected);
  });

  it.each([
    ['just-a-password', /line 1: expected NAME=VALUE/],
    ['1A=x', /not a variable name/],
    ['A="open', /unterminated/],
    ["A='x' y", /text after the closing quote/],
  ])('rejects %j without quoting it', (text, message) => {
    expect(() => parseDotenv(text)).toThrow(DotenvSyntaxError);
    expect(() => parseDotenv(text)).toThrow(message);
    try {
      parseDotenv(text);
    } catch (error) {
      expect((error as Error).message).not.toContain('just-a-password');
    }
  });
});

describe('parseKeyValueDocument', () => {
  it('reads JSON, YAML and dotenv', async () => {
    // Numbers keep their text, so the documents are compared as the JSON text they hand on.
    expect(JSON.stringify(await parseKeyValueDocument('{"a": 1}'))).toBe('{"a":1}');
    expect(JSON.stringify(await parseKeyValueDocument('a: 1\nb:\n  c: x\n'))).toBe('{"a":1,"b":{"c":"x"}}');
    expect(await parseKeyValueDocument('A=1\nB=2\n')).toEqual({ A: '1', B: '2' });
    expect(await parseKeyValueDocument('')).toEqual({});
  });

  it('never quotes the content in a parse error', async () => {
    await expect(parseKeyValueDocument('{"a": "hunter2"', 'json')).rejects.toThrow(
      /^not valid JSON \(line 1, column 16\)$/,
    );
    await expect(parseKeyValueDocument('a: [hunter2', 'yaml')).rejects.toThrow(/^not valid YAML/);
    await expect(parseKeyValueDocument('a: [hunter2', 'yaml')).rejects.not.toThrow(/hunter2/);
    await expect(parseKeyValueDocument('- a\n- b\n', 'yaml')).rejects.toThrow(/not a map/);
  });

  it('refuses a duplicate key at any depth, naming the key', async () => {
    await expect(parseKeyValueDocument('a: 1\na: 2\n', 'yaml')).rejects.toThrow("duplicate key 'a'");
    await expect(parseKeyValueDocument('m:\n  k: 1\n  k: 2\n', 'yaml')).rejects.toThrow("duplicate key 'k'");
  });

  it('reads a YAML map of 10 000 keys', async () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `key${i}: value${i}`).join('\n');
    expect(Object.keys(await parseKeyValueDocument(text, 'yaml'))).toHaveLength(10_000);
  });
});
