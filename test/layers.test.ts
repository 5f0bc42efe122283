// The layering of docs/architecture.md, as a test: every import in src/ points one way, provider code
// stays in its folder, nothing outside src/providers/ names a provider, and nothing heavy is imported
// statically on the way from the entrypoint (start-up cost).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/providers/registry.js';
import { ROOT } from './support/run-binary.js';

const SRC = join(ROOT, 'src');

interface Import {
  /** The specifier as written. */
  readonly spec: string;
  /** The file it resolves to, relative to src/ (undefined for packages and node: builtins). */
  readonly target: string | undefined;
  /** `import type`, or `import { type A, type B }` only: erased at build time. */
  readonly typeOnly: boolean;
  /** `await import(…)`: evaluated only when reached. */
  readonly dynamic: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const FILES = sources(SRC).map((f) => relative(SRC, f));
const text = (file: string): string => readFileSync(join(SRC, file), 'utf8');
// Comments are prose: they may name anything.
const code = (file: string): string =>
  text(file)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');

function importsOf(file: string): Import[] {
  const source = code(file);
  const found: Import[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic: boolean): void => {
    const target = spec.startsWith('.')
      ? relative(SRC, resolve(dirname(join(SRC, file)), spec)).replace(/\.js$/, '.ts')
      : undefined;
    found.push({ spec, target, typeOnly, dynamic });
  };
  for (const m of source.matchAll(/^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gm)) {
    const names = m[3] ?? '';
    const allTypes =
      /^\{[^}]*\}$/.test(names.trim()) &&
      names
        .replace(/[{}]/g, '')
        .split(',')
        .every((n) => n.trim() === '' || n.trim().startsWith('type '));
    add(m[4] as string, m[2] !== undefined || allTypes, false);
  }
  for (const m of source.matchAll(/^import\s+'([^']+)'/gm)) add(m[1] as string, false, false);
  for (const m of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) add(m[1] as string, false, true);
  return found;
}

// The layer of a file: its folder under src/, or its name for the two top-level files.
function layerOf(file: string): string {
  return file.includes('/') ? (file.split('/')[0] as string) : file.replace(/\.ts$/, '');
}

// Which layers each layer may import (docs/architecture.md, "Layers"). Lower layers come first.
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  log: ['errors'],
  refs: ['errors', 'log'],
  formats: ['errors', 'log'],
  cli: ['errors', 'log', 'refs'],
  resolve: ['errors', 'log', 'refs', 'formats'],
  providers: ['errors', 'log', 'refs', 'formats', 'resolve'],
  detect: ['errors', 'log', 'refs', 'resolve', 'providers/shared'],
  'ansible-vault': ['errors', 'log', 'refs', 'formats', 'resolve'],
  process: ['errors', 'log'],
  commands: ['errors', 'log', 'refs', 'formats', 'cli', 'resolve', 'providers', 'detect', 'ansible-vault', 'process'],
  main: ['errors', 'log', 'cli', 'commands', 'process'],
  entrypoint: ['cli', 'errors', 'log', 'main', 'process'],
};

function allows(from: string, target: string): boolean {
  const to = layerOf(target);
  if (to === from) return true;
  return (ALLOWED[from] ?? []).some((layer) => (layer.includes('/') ? target.startsWith(`${layer}/`) : to === layer));
}

const providerFolder = (file: string): string | undefined => /^providers\/([^/]+)\//.exec(file)?.[1];

describe('layers', () => {
  it('knows the layer of every file under src/', () => {
    expect(FILES.map(layerOf).filter((layer) => ALLOWED[layer] === undefined)).toEqual([]);
  });

  it('has every import point from a layer to one it may use', () => {
    const wrong = FILES.flatMap((file) =>
      importsOf(file)
        .filter((i) => i.target !== undefined && !allows(layerOf(file), i.target))
        .map((i) => `${file} → ${i.target}`),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps each provider folder to itself: it imports only its own files and providers/shared/', () => {
    const wrong = FILES.filter((f) => providerFolder(f) !== undefined).flatMap((file) =>
      importsOf(file)
        .filter((i) => i.target?.startsWith('providers/'))
        .filter((i) => ![providerFolder(file), 'shared'].includes(providerFolder(i.target as string)))
        .map((i) => `${file} → ${i.target}`),
    );
    expect(wrong).toEqual([]);
  });

  it('reaches a provider folder from outside src/providers/ only through the registry', () => {
    const wrong = FILES.filter((f) => !f.startsWith('providers/')).flatMap((file) =>
      importsOf(file)
        .filter(
          (i) =>
            i.target?.startsWith('providers/') &&
            !i.target.startsWith('providers/shared/') &&
            i.target !== 'providers/registry.ts',
        )
        .map((i) => `${file} → ${i.target}`),
    );
    expect(wrong).toEqual([]);
  });

  it('imports no package and no heavy built-in statically on the way from the entrypoint', () => {
    // Cheap built-ins the start path uses anyway; everything else waits for `await import()`.
    const cheap = new Set(['node:fs', 'node:util', 'node:os', 'node:path', 'node:fs/promises']);
    const seen = new Set<string>();
    const heavy: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const i of importsOf(file)) {
        if (i.typeOnly || i.dynamic) continue;
        if (i.target !== undefined) visit(i.target);
        else if (!cheap.has(i.spec)) heavy.push(`${file} → ${i.spec}`);
      }
    };
    visit('entrypoint.ts');
    expect(heavy).toEqual([]);
    // The descriptors are on that path; their implementations are not.
    expect(
      [...seen].filter(
        (f) =>
          /^providers\/[^/]+\/[^/]+\.ts$/.test(f) &&
          !/\/(index|platform)\.ts$/.test(f) &&
          !f.startsWith('providers/shared/'),
      ),
    ).toEqual([]);
  });
});

describe('provider names', () => {
  const names = new Set(PROVIDERS.flatMap((p) => [p.name, ...p.schemes]));
  // The variables providers declare: credentials, platform variables, and those their advice names.
  const variables = new Set(
    PROVIDERS.flatMap((p) => [
      ...p.credentialEnv,
      ...(p.platform?.variables.map((v) => v.env) ?? []),
      ...(`${p.hint ?? ''} ${p.unsignalled ?? ''}`.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []),
    ]),
  );
  // The reference grammar (src/refs/) and the option table and help text (src/cli/) are the documented
  // surface: they name schemes and options by design. Everything else learns about providers from the registry.
  const outside = FILES.filter((f) => !/^(providers|refs|cli)\//.test(f));

  it('are never written as a string outside src/providers/', () => {
    const wrong = outside.flatMap((file) =>
      [...code(file).matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`/g)]
        .map((m) => m[1] ?? m[2] ?? m[3] ?? '')
        .filter((s) => names.has(s) || [...variables].some((v) => new RegExp(`\\b${v}\\b`).test(s)))
        .map((s) => `${file}: ${s.slice(0, 60)}`),
    );
    expect(wrong).toEqual([]);
  });

  it('are known to the registry, whose descriptors each have a folder of their own', () => {
    for (const p of PROVIDERS) expect(FILES).toContain(`providers/${p.name}/index.ts`);
    expect(new Set(PROVIDERS.map((p) => p.name)).size).toBe(PROVIDERS.length);
  });
});
