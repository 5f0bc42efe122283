// No line of source, tests, benchmarks or scripts is longer than 120 characters, the width Biome formats
// to: the formatter cannot break a long string or comment, so this test names the lines it left long.
// Split a long string into concatenated pieces (the same text), a long comment over several lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/run-binary.js';

const MAX = 120;
const FOLDERS = ['src', 'test', 'bench', 'scripts'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules'
        ? []
        : sources(join(dir, e.name))
      : /\.(ts|mjs)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

const FILES = FOLDERS.flatMap((folder) => sources(join(ROOT, folder))).map((f) => relative(ROOT, f));

describe('line length', () => {
  it('finds the files to check', () => {
    expect(FILES).toContain('src/main.ts');
    expect(FILES).toContain('test/line-length.test.ts');
    expect(FILES.some((f) => f.startsWith('bench/') && f.endsWith('.mjs'))).toBe(true);
    expect(FILES.some((f) => f.startsWith('scripts/') && f.endsWith('.mjs'))).toBe(true);
  });

  it(`keeps every line of ${FOLDERS.join(', ')} within ${MAX} characters`, () => {
    const long = FILES.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => {
          const length = [...line.replace(/\r$/, '')].length;
          return length > MAX ? [`${file}:${i + 1}: ${length} characters`] : [];
        }),
    );
    expect(long).toEqual([]);
  });
});
