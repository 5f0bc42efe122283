// openProviders: the one place a run's provider instances are loaded, memoised and closed.
import { describe, expect, it } from 'vitest';
import { ProviderError, UsageError } from '../../src/errors/errors.js';
import { createLogger } from '../../src/log/logger.js';
import { findProvider, listCredentialEnv, openProviders } from '../../src/resolve/providers.js';
import type { ProviderDescriptor, ProviderInstance } from '../../src/resolve/types.js';
import { testContext } from '../support/memory-provider.js';

// A descriptor whose module counts loads, creations and closes; `closeFails` makes close() reject.
function counted(name: string, options: { closeFails?: boolean } = {}) {
  const counts = { load: 0, create: 0, close: 0 };
  const instance: ProviderInstance = {
    mapGeneric: (path) => ({ scheme: 'local', path, optional: false, params: {} }),
    resolve: async (batch) => batch.map(() => new ProviderError('NotFound', 'none')),
    close: async () => {
      counts.close++;
      if (options.closeFails) throw new ProviderError('Unavailable', 'revoke failed');
    },
  };
  const descriptor: ProviderDescriptor = {
    name,
    schemes: ['local'],
    tier: 'development',
    credentialEnv: [`${name.toUpperCase()}_TOKEN`],
    env: [`${name.toUpperCase()}_ADDR`],
    load: async () => {
      counts.load++;
      return {
        create: () => {
          counts.create++;
          return instance;
        },
        classify: () => new ProviderError('Invalid', 'classified'),
      };
    },
  };
  return { descriptor, counts };
}

function open(descriptors: ProviderDescriptor[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', format: 'text', write: (l) => lines.push(l) });
  return { run: openProviders({ providers: descriptors, ctx: testContext({ log, env }), log }), lines };
}

describe('openProviders', () => {
  it('loads and creates each provider once per run, however many ask at once', async () => {
    const a = counted('a');
    const { run } = open([a.descriptor]);
    const [first, second] = await Promise.all([run.get('a'), run.get('a')]);
    expect(first).toBe(second);
    expect(a.counts).toEqual({ load: 1, create: 1, close: 0 });
  });

  it('gives every run its own instance', async () => {
    const a = counted('a');
    await open([a.descriptor]).run.get('a');
    await open([a.descriptor]).run.get('a');
    expect(a.counts.create).toBe(2);
  });

  it('closes every instance it created, and only those', async () => {
    const a = counted('a');
    const b = counted('b');
    const { run } = open([a.descriptor, b.descriptor]);
    await run.get('a');
    await run.closeAll();
    expect([a.counts.close, b.counts.close]).toEqual([1, 0]);
  });

  it('logs a failing close and still closes the others', async () => {
    const a = counted('a', { closeFails: true });
    const b = counted('b');
    const { run, lines } = open([a.descriptor, b.descriptor]);
    await Promise.all([run.get('a'), run.get('b')]);
    await expect(run.closeAll()).resolves.toBeUndefined();
    expect(b.counts.close).toBe(1);
    expect(lines.join('')).toMatch(/warn: a: cleanup failed: revoke failed/);
  });

  it('rejects a provider this build does not have with Invalid, and closes nothing for it', async () => {
    const { run } = open([{ name: 'later', schemes: ['gcp-sm'], tier: 'cloud', credentialEnv: [], env: [] }]);
    await expect(run.get('later')).rejects.toMatchObject({
      kind: 'Invalid',
      message: 'provider later is not available in this build',
    });
    await expect(run.closeAll()).resolves.toBeUndefined();
  });

  // A provider reads its own variables as written: a reference there would be sent to the store literally.
  it.each([
    ['A_TOKEN', 'local://vt'],
    ['A_ADDR', 'vault://secret/addr#url'],
  ])('refuses to use a provider whose own variable %s holds a reference, naming only its scheme', async (name, ref) => {
    const a = counted('a');
    const { run } = open([a.descriptor], { [name]: ref });
    const scheme = ref.slice(0, ref.indexOf('://') + 3);
    await expect(run.get('a')).rejects.toMatchObject({
      kind: 'Invalid',
      message:
        `${name} holds a ${scheme} reference, but a reads ${name} itself before any reference is resolved ` +
        `(it would be used as written): give ${name} the value itself`,
    });
    expect(a.counts.load).toBe(0);
  });

  it('uses a provider whose variables hold plain values', async () => {
    const a = counted('a');
    await open([a.descriptor], { A_TOKEN: 's.plain', A_ADDR: 'https://vault:8200' }).run.get('a');
    expect(a.counts.create).toBe(1);
  });

  it('finds the provider that serves a scheme directly', () => {
    const { run } = open([counted('a').descriptor]);
    expect(run.forScheme('local')).toBe('a');
    expect(run.forScheme('secret')).toBeUndefined();
  });
});

describe('findProvider', () => {
  it('refuses an unknown name with a usage error that lists the known ones', () => {
    const descriptors = [counted('a').descriptor, counted('b').descriptor];
    expect(findProvider(descriptors, 'b').name).toBe('b');
    expect(() => findProvider(descriptors, 'c')).toThrow(UsageError);
    expect(() => findProvider(descriptors, 'c')).toThrow("unknown provider 'c' (known: a, b)");
  });
});

describe('listCredentialEnv', () => {
  it('lists every credential variable the providers declare', () => {
    expect(listCredentialEnv([counted('a').descriptor, counted('b').descriptor])).toEqual(['A_TOKEN', 'B_TOKEN']);
  });
});
