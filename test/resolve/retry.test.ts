// resolveWithRetry against the in-memory provider: what is retried, how often, and what stops it.
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors/errors.js';
import { Secret } from '../../src/log/secret.js';
import { parseReference, toFetchReference } from '../../src/refs/index.js';
import type { LoadedProvider } from '../../src/resolve/providers.js';
import { resolveWithRetry, type RetryPolicy } from '../../src/resolve/retry.js';
import { isFetched, type Outcome } from '../../src/resolve/types.js';
import { memoryProvider, testContext } from '../support/memory-provider.js';

const NO_WAIT: RetryPolicy = { attempts: 4, baseMs: 1, capMs: 1, random: () => 0 };
const refs = (...paths: string[]) => paths.map((p) => toFetchReference(parseReference(`local://${p}`)));
const kinds = (outcomes: Outcome[]) => outcomes.map((o) => (isFetched(o) ? o.value.reveal() : o.kind));

function retry(provider: LoadedProvider, paths: string[], options: { policy?: RetryPolicy; deadline?: number } = {}) {
  const ctx = testContext(options.deadline === undefined ? {} : { deadline: options.deadline });
  return resolveWithRetry({ provider, batch: refs(...paths), ctx, policy: options.policy ?? NO_WAIT, now: Date.now });
}

describe('resolveWithRetry', () => {
  it('asks again only for the references that came back Unavailable, until they succeed', async () => {
    const store = memoryProvider('m', { a: [{ kind: 'Unavailable' }, { kind: 'Unavailable' }, 'A'], b: 'B' });
    expect(kinds(await retry(store, ['a', 'b']))).toEqual(['A', 'B']);
    expect(store.calls).toEqual([['a', 'b'], ['a'], ['a']]);
  });

  it("gives up after the policy's attempts and returns Unavailable", async () => {
    const store = memoryProvider('m', { a: { kind: 'Unavailable' } });
    expect(kinds(await retry(store, ['a']))).toEqual(['Unavailable']);
    expect(store.calls).toHaveLength(4);
  });

  it.each(['NotFound', 'Denied', 'Invalid', 'Timeout'] as const)('never retries %s', async (kind) => {
    const store = memoryProvider('m', { a: { kind } });
    expect(kinds(await retry(store, ['a']))).toEqual([kind]);
    expect(store.calls).toHaveLength(1);
  });

  it('retries throttling beyond the quick tries, waiting at least the Retry-After the store sent', async () => {
    let calls = 0;
    const answer = (throttled: boolean) => ({
      name: 't',
      classify: (e: unknown) => e as ProviderError,
      instance: {
        mapGeneric: () => refs('x')[0] as never,
        close: async () => undefined,
        resolve: async () => {
          calls++;
          return calls <= 5
            ? [new ProviderError('Unavailable', 'slow down', { throttled, retryAfterMs: 30 })]
            : [{ value: new Secret('ok') }];
        },
      },
    });
    const policy: RetryPolicy = { attempts: 2, throttledAttempts: 12, baseMs: 1, capMs: 1, random: () => 0 };
    const started = Date.now();
    expect(kinds(await retry(answer(true), ['x'], { policy }))).toEqual(['ok']);
    expect(calls).toBe(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 30 - 5);
    calls = 0;
    expect(kinds(await retry(answer(false), ['x'], { policy }))).toEqual(['Unavailable']);
    expect(calls).toBe(2);
  });

  it('does not wait past the deadline for another attempt', async () => {
    const store = memoryProvider('m', { a: { kind: 'Unavailable' } });
    const slow: RetryPolicy = { attempts: 4, baseMs: 60_000, capMs: 60_000, random: () => 1 };
    expect(kinds(await retry(store, ['a'], { policy: slow, deadline: Date.now() + 1_000 }))).toEqual(['Unavailable']);
    expect(store.calls).toHaveLength(1);
  });

  it('turns a store that does not answer before the deadline into Timeout', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const store = memoryProvider('m', { a: 'hang' });
    const ctx = testContext({ signal: controller.signal });
    const outcomes = await resolveWithRetry({ provider: store, batch: refs('a'), ctx, policy: NO_WAIT, now: Date.now });
    expect(outcomes).toEqual([expect.objectContaining({ kind: 'Timeout' })]);
  });

  it("classifies a thrown error with the provider's own classify, once per reference", async () => {
    const store = memoryProvider('m', {});
    const failing: LoadedProvider = {
      name: 'm',
      instance: { ...store.instance, resolve: async () => Promise.reject(new Error('socket closed')) },
      classify: () => new ProviderError('Denied', 'classified'),
    };
    expect(kinds(await retry(failing, ['a', 'b']))).toEqual(['Denied', 'Denied']);
  });

  it('turns an answer with the wrong number of outcomes into Invalid', async () => {
    const store = memoryProvider('m', { a: 'A' });
    const short: LoadedProvider = { ...store, instance: { ...store.instance, resolve: async () => [] } };
    const [outcome] = await retry(short, ['a']);
    expect(outcome).toMatchObject({ kind: 'Invalid', message: 'm returned 0 results for 1 references' });
  });

  it('stops waiting between tries as soon as the run is stopped, and the next try is a Timeout', async () => {
    const store = memoryProvider('m', { a: { kind: 'Unavailable' } });
    const stop = new AbortController();
    const ctx = testContext({ signal: stop.signal, deadline: Date.now() + 60_000 });
    const slow: RetryPolicy = { attempts: 4, baseMs: 10_000, capMs: 10_000, random: () => 1 };
    setTimeout(() => stop.abort('SIGTERM'), 50);
    const started = Date.now();
    const outcomes = await resolveWithRetry({ provider: store, batch: refs('a'), ctx, policy: slow, now: Date.now });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(kinds(outcomes)).toEqual(['Timeout']);
  });
});
