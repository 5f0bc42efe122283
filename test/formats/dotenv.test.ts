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
  it('reads JSON, YAML and dotenv', () => {
    expect(parseKeyValueDocument('{"a": 1}')).toEqual({ a: 1 });
    expect(parseKeyValueDocument('a: 1\nb:\n  c: x\n')).toEqual({ a: 1, b: { c: 'x' } });
    expect(parseKeyValueDocument('A=1\nB=2\n')).toEqual({ A: '1', B: '2' });
    expect(parseKeyValueDocument('')).toEqual({});
  });

  it('never quotes the content in a parse error', () => {
    expect(() => parseKeyValueDocument('{"a": "hunter2"', 'json')).toThrow(/^not valid JSON$/);
    try {
      parseKeyValueDocument('a: [hunter2', 'yaml');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(() => parseKeyValueDocument('- a\n- b\n', 'yaml')).toThrow(/not a map/);
  });
});
