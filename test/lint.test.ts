// The lint rule of docs/architecture.md, as a test: all output goes through src/log/. console.* could print a
// value, and process.stdout/stderr/stdin create streams that leave O_NONBLOCK on the child's stdio.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/run-binary.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('source rules', () => {
  const files = sources(join(ROOT, 'src'));

  it.each([
    ['console.*', /\bconsole\.(log|info|warn|error|debug|trace|dir)\(/],
    ['process.stdout / stderr / stdin', /\bprocess\.(stdout|stderr|stdin)\b/],
  ])('no source file uses %s', (_, pattern) => {
    const offenders = files.filter((f) => pattern.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\/?\*).*$/gm, '')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('reads process.env and process.argv only in the entrypoint', () => {
    const offenders = files.filter(
      (f) =>
        !f.endsWith('entrypoint.ts') &&
        /\bprocess\.(env|argv)\b/.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\/?\*).*$/gm, '')),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
