// The registry: one descriptor per provider, every scheme served by exactly one, and descriptors that
// load an implementation with the instance contract.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/registry.js';
import { SCHEMES } from '../../src/refs/index.js';
import { ROOT } from '../support/run-binary.js';
import { testContext } from '../support/memory-provider.js';

// The code of one provider folder, comments included (a variable an SDK reads is named in a comment).
function folderText(name: string): string {
  const dir = join(ROOT, 'src', 'providers', name);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

describe('PROVIDERS', () => {
  it('serves every scheme but secret:// with exactly one provider', () => {
    for (const scheme of SCHEMES.filter((s) => s !== 'secret')) {
      expect(
        PROVIDERS.filter((p) => p.schemes.includes(scheme)).map((p) => p.name),
        scheme,
      ).toHaveLength(1);
    }
    expect(PROVIDERS.some((p) => p.schemes.includes('secret'))).toBe(false);
  });

  // The variable lists feed --help and the check for references in a provider's own variables: they must
  // name what the folder really reads, and every direct read (env.NAME, env['NAME']) must be listed.
  it.each(PROVIDERS.map((p) => [p.name, p] as const))('lists the variables %s really reads', (name, p) => {
    const text = folderText(name);
    const listed = new Set([...p.credentialEnv, ...p.env, ...(p.platform?.variables.map((v) => v.env) ?? [])]);
    const stale = [...listed].filter((v) => !text.includes(v) && !text.includes(v.replace(/_FILE$/, '')));
    expect(stale).toEqual([]);
    const read = [...text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]+)|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g)].map(
      (m) => m[1] ?? m[2] ?? '',
    );
    expect([...new Set(read)].filter((v) => !listed.has(v) && v !== 'HOME')).toEqual([]);
  });

  it('has unique names', () => {
    expect(new Set(PROVIDERS.map((p) => p.name)).size).toBe(PROVIDERS.length);
  });

  it('gives every cloud a platform, and every other tier a signal, what it checked and a hint', () => {
    for (const p of PROVIDERS) {
      if (p.tier === 'cloud') expect(p.platform, p.name).toBeDefined();
      else
        expect([typeof p.signal, typeof p.unsignalled, typeof p.hint], p.name).toEqual([
          'function',
          'string',
          'string',
        ]);
    }
  });

  it.each(PROVIDERS.filter((p) => p.load !== undefined).map((p) => [p.name, p] as const))(
    'loads %s as a module whose create() makes an instance with mapGeneric, resolve and close',
    async (_, descriptor) => {
      const module = await (descriptor.load as NonNullable<typeof descriptor.load>)();
      const instance = module.create(testContext({ env: {} }));
      expect([typeof instance.mapGeneric, typeof instance.resolve, typeof instance.close]).toEqual([
        'function',
        'function',
        'function',
      ]);
      await instance.close();
      expect(module.classify(new Error('x')).kind).toBeDefined();
    },
  );
});
