// The registry: one descriptor per provider, every scheme served by exactly one, and descriptors that
// load an implementation with the instance contract.
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/registry.js';
import { SCHEMES } from '../../src/refs/index.js';
import { testContext } from '../support/memory-provider.js';

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
