// The --mask stream: every value and its encodings become [redacted], also split over writes at every
// possible boundary; short values are left alone; what is held back never exceeds the longest pattern.
import { describe, expect, it } from 'vitest';
import { createMasker, maskPatterns, MIN_MASKED_LENGTH } from '../../src/process/mask.js';

const VALUE = 'p@ss/word"42+x';

function run(values: string[], writes: string[]): string {
  const masker = createMasker(maskPatterns(values));
  const out = writes.map((w) => masker.push(Buffer.from(w)).toString());
  return out.join('') + masker.end().toString();
}

describe('createMasker', () => {
  it.each([
    ['as written', VALUE],
    ['base64', Buffer.from(VALUE).toString('base64')],
    ['base64url', Buffer.from(VALUE).toString('base64url')],
    ['URL-encoded', encodeURIComponent(VALUE)],
    ['JSON-escaped', JSON.stringify(VALUE).slice(1, -1)],
  ])('replaces the value %s', (_form, text) => {
    expect(run([VALUE], [`a ${text} b\n`])).toBe('a [redacted] b\n');
  });

  it('finds a value split across two writes, at every boundary', () => {
    const line = `token=${VALUE}; again ${VALUE}\n`;
    for (let i = 0; i <= line.length; i++) {
      expect(run([VALUE], [line.slice(0, i), line.slice(i)])).toBe('token=[redacted]; again [redacted]\n');
    }
  });

  it('finds it written one byte at a time', () => {
    expect(run([VALUE], [...`x${VALUE}y`])).toBe('x[redacted]y');
  });

  it('passes on at once what cannot begin a value, and holds no more than the longest pattern', () => {
    const masker = createMasker(maskPatterns([VALUE]));
    expect(masker.push(Buffer.from('ready\n')).toString()).toBe('ready\n');
    expect(masker.push(Buffer.from('so p@ss')).toString()).toBe('so ');
    expect(masker.push(Buffer.from('ive\n')).toString()).toBe('p@ssive\n');
  });

  it(`leaves values shorter than ${MIN_MASKED_LENGTH} characters alone`, () => {
    expect(run(['on', '8080'], ['port 8080 on\n'])).toBe('port 8080 on\n');
  });

  it('masks several values, overlapping ones as one', () => {
    expect(run(['abcdefgh', 'efghijkl'], ['xabcdefghijklx'])).toBe('x[redacted]x');
  });
});
