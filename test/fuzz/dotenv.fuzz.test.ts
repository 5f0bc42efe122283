// Property tests over dotenv (env files and dotenv local stores): any text parses or throws DotenvSyntaxError,
// whose message never repeats what the line held but the line number; and entries written the way the
// format says read back exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DotenvSyntaxError, parseDotenv } from '../../src/formats/dotenv.js';
import { RUNS } from './settings.js';

// A token that cannot be part of a variable name, so that no message has a reason to show it.
const MARK = 'p@ss+w0rd!';
const fragment = fc.oneof(
  fc.constantFrom('export ', '=', '"', "'", '\\', '\\n', '\\"', '#', ' #', '\t', ' ', '\r', '\r\n', '\n', '\uFEFF'),
  fc.constantFrom(MARK, `${MARK}=`, `"${MARK}`, `'${MARK}`, `${MARK} x=y`),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/),
  fc.string({ maxLength: 6, unit: 'binary' }),
);
const text = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));

const entry = fc.record({
  name: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
  value: fc.string({ maxLength: 30, unit: 'binary' }).filter((v) => !/[\r\n]/.test(v)),
});

describe('dotenv properties', () => {
  it('parses or throws DotenvSyntaxError, and no message shows the text of a line', () => {
    fc.assert(
      fc.property(text, (t) => {
        try {
          for (const e of parseDotenv(t)) expect(e.name).toMatch(/^[A-Za-z_][A-Za-z0-9_.-]*$/);
        } catch (error) {
          if (!(error instanceof DotenvSyntaxError)) throw error;
          expect(error.message).toMatch(/^line \d+: /);
          expect(error.message).not.toContain(MARK);
          expect(error.message).not.toContain('p@ss');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('reads back single-quoted values exactly', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), (entries) => {
        const safe = entries.filter((e) => !e.value.includes("'"));
        const parsed = parseDotenv(safe.map((e) => `${e.name}='${e.value}'`).join('\n'));
        expect(parsed.map((e) => [e.name, e.value])).toEqual(safe.map((e) => [e.name, e.value]));
      }),
      { numRuns: RUNS },
    );
  });

  it('reads back double-quoted values with \\\\ and \\" escaped exactly', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), (entries) => {
        const quoted = entries.map((e) => `export ${e.name}="${e.value.replace(/[\\"]/g, (c) => `\\${c}`)}" # c`);
        const parsed = parseDotenv(quoted.join('\r\n'));
        expect(parsed.map((e) => [e.name, e.value])).toEqual(entries.map((e) => [e.name, e.value]));
      }),
      { numRuns: RUNS },
    );
  });
});
