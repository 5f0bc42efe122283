import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { parseReference, toFetchReference } from '../../src/refs/index.js';
import { fetchAll, fixedTiers, type FetchOptions } from '../../src/resolve/fetch-all.js';
import type { LoadedProvider } from '../../src/resolve/providers.js';
import { memoryProvider, testContext } from '../support/memory-provider.js';

const NO_WAIT = { attempts: 4, baseMs: 1, capMs: 1, random: () => 0 };

function options(providers: LoadedProvider[], extra: Partial<FetchOptions> = {}): FetchOptions {
  return {
    loadProvider: async (name) => providers.find((p) => p.name === name) as LoadedProvider,
    providerForScheme: (scheme) => (scheme === 'local' ? providers.at(-1)?.name : undefined),
    tiers: fixedTiers(providers.map((p) => p.name)),
    strict: false,
    ctx: testContext(),
    policy: NO_WAIT,
    now: () => Date.now(),
    log: createLogger({ level: 'error', format: 'text', write: () => undefined }),
    ...extra,
  };
}
const refs = (...texts: string[]) => texts.map((t) => toFetchReference(parseReference(t)));

describe('fetchAll', () => {
  it('fetches each distinct reference once, in one batch per provider', async () => {
    const local = memoryProvider('local', { a: 'A', b: 'B' });
    const results = await fetchAll(refs('local://a', 'local://a', 'local://b'), options([local]));
    expect(local.calls).toEqual([['a', 'b']]);
    expect(results.get('local://a')).toMatchObject({ ok: true, provider: 'local' });
  });

  it('falls through NotFound to the next tier and records every tier', async () => {
    const vault = memoryProvider('vault', {});
    const local = memoryProvider('local', { db: 'x' });
    const results = await fetchAll(refs('secret://db'), options([vault, local]));
    expect(results.get('secret://db')).toMatchObject({
      ok: true,
      provider: 'local',
      attempts: [{ provider: 'vault', kind: 'NotFound' }, { provider: 'local' }],
    });
  });

  it('keeps a Timeout with the tier that ran out of time, not one that was never tried', async () => {
    const vault = memoryProvider('vault', { db: 'hang' });
    const local = memoryProvider('local', { db: 'x' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const ctx = testContext({ signal: abort.signal, deadline: Date.now() + 50 });
    const results = await fetchAll(refs('secret://db'), options([vault, local], { ctx }));
    expect(results.get('secret://db')).toMatchObject({
      ok: false,
      provider: 'vault',
      error: { kind: 'Timeout', message: expect.stringMatching(/^vault did not answer/) },
    });
    expect(local.calls).toEqual([]);
  });

  it('does not fall through Denied', async () => {
    const vault = memoryProvider('vault', { db: { kind: 'Denied' } });
    const local = memoryProvider('local', { db: 'x' });
    const results = await fetchAll(refs('secret://db'), options([vault, local]));
    expect(results.get('secret://db')).toMatchObject({ ok: false, provider: 'vault', error: { kind: 'Denied' } });
    expect(local.calls).toEqual([]);
  });

  it('does not fall through at all with --strict', async () => {
    const vault = memoryProvider('vault', {});
    const local = memoryProvider('local', { db: 'x' });
    const results = await fetchAll(refs('secret://db'), options([vault, local], { strict: true }));
    expect(results.get('secret://db')).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
    expect(local.calls).toEqual([]);
  });

  it('retries Unavailable through the retry policy and succeeds when the store recovers', async () => {
    const local = memoryProvider('local', { a: [{ kind: 'Unavailable' }, { kind: 'Unavailable' }, 'A'], b: 'B' });
    const results = await fetchAll(refs('local://a', 'local://b'), options([local]));
    expect(results.get('local://a')).toMatchObject({ ok: true });
    // only the failed reference is asked again
    expect(local.calls).toEqual([['a', 'b'], ['a'], ['a']]);
  });

  it('says when no tier is configured for secret://', async () => {
    const results = await fetchAll(refs('secret://a'), options([], { tiers: fixedTiers([]) }));
    expect(results.get('secret://a')).toMatchObject({
      ok: false,
      error: { kind: 'Invalid', message: expect.stringMatching(/no provider tier/) },
    });
  });
});
