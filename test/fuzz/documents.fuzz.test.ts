// Property tests over the local store's formats (JSON, YAML, dotenv, and content sniffing): any text gives
// a map of names to values or one of the documented errors — never a parser's own exception, whose message
// could quote the document.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DotenvSyntaxError } from '../../src/formats/dotenv.js';
import { parseKeyValueDocument } from '../../src/formats/key-value-document.js';
import { RUNS } from './settings.js';

const MARK = 'p@ss+w0rd!';
const FORMATS = ['json', 'yaml', 'dotenv', undefined] as const;
// The error messages parseKeyValueDocument documents (it never passes on a parser's own message).
const DOCUMENTED = [
  /^not valid (JSON|YAML)( \(line \d+, column \d+\))?$/,
  /^not valid DOTENV \(line \d+, column \d+\): .+$/,
  /^the (JSON|YAML|DOTENV) document is not a map of names to values$/,
  /^duplicate key '.*' \(line \d+, column \d+\): each key may appear once$/s,
  /^(a !!binary value|the !!binary value of '.*') \(line \d+, column \d+\) (is not UTF-8 text|holds a NUL byte)/s,
];

const yamlPiece = fc.oneof(
  fc.constantFrom('\n', '  ', '- ', ': ', ':', '? ', '{', '}', '[', ']', ',', '"', "'", '#', '|', '>', '\t'),
  fc.constantFrom('&a ', '*a', '<<: ', '!!binary ', '!!str ', '!!int ', '!vault |', '!!map', '---\n', '...\n'),
  fc.constantFrom('%YAML 1.2\n', '0x1F', '0123', '1.10', '12345678901234567890', 'true', 'null', '~', '.inf'),
  fc.constantFrom('key', 'db', 'password', MARK, '\uFEFF', '\r\n', '$ANSIBLE_VAULT;1.1;AES256\n'),
  fc.string({ maxLength: 5, unit: 'binary' }),
);
const text = fc.oneof(
  fc.array(yamlPiece, { maxLength: 40 }).map((p) => p.join('')),
  fc.json().map((j) => j),
  fc.string({ maxLength: 60, unit: 'binary' }),
);
// Aliases that expand a little into a lot (a "billion laughs" document).
const laughs = fc.integer({ min: 2, max: 12 }).map((depth) => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < depth; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n');
});

async function parsesOrFailsAsDocumented(input: string, format: (typeof FORMATS)[number]): Promise<void> {
  try {
    const doc = await parseKeyValueDocument(input, format);
    expect(typeof doc === 'object' && doc !== null && !Array.isArray(doc)).toBe(true);
  } catch (error) {
    expect(error).not.toBeInstanceOf(DotenvSyntaxError);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(
      DOCUMENTED.some((m) => m.test(message)),
      message,
    ).toBe(true);
    // Only a key, which is a name, may be quoted.
    if (!/duplicate key|!!binary value of/.test(message)) expect(message).not.toContain(MARK);
  }
}

describe('local store document properties', () => {
  it('parses any text as a map, or fails with a documented message, in every format', async () => {
    await fc.assert(fc.asyncProperty(text, fc.constantFrom(...FORMATS), parsesOrFailsAsDocumented), { numRuns: RUNS });
  });

  it('refuses alias bombs as documented, without expanding them', async () => {
    await fc.assert(
      fc.asyncProperty(laughs, (t) => parsesOrFailsAsDocumented(t, 'yaml')),
      { numRuns: 50 },
    );
  });
});
