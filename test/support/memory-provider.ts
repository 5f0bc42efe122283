// An in-process provider instance that follows the provider contract, for testing the engine's own rules
// (chain, dedupe, retries, deadline) without any store. Each entry of `answers` says how a path answers:
// a value, a failure kind, a list of those for successive calls, or 'hang' (never answers).
import { ProviderError, type ErrorKind } from '../../src/errors/errors.js';
import { createLogger } from '../../src/log/logger.js';
import { Secret } from '../../src/log/secret.js';
import type { Reference } from '../../src/refs/index.js';
import type { LoadedProvider } from '../../src/resolve/providers.js';
import type { Outcome, ProviderContext } from '../../src/resolve/types.js';

type Answer = string | { kind: ErrorKind } | 'hang';

/** A loaded provider whose instance answers from `answers`; `calls` records each batch's paths. */
export function memoryProvider(
  name: string,
  answers: Record<string, Answer | Answer[]>,
): LoadedProvider & { calls: string[][] } {
  const calls: string[][] = [];
  const seen = new Map<string, number>();
  const answer = (path: string): Answer | undefined => {
    const a = answers[path];
    if (!Array.isArray(a)) return a;
    const n = seen.get(path) ?? 0;
    seen.set(path, n + 1);
    return a[Math.min(n, a.length - 1)];
  };
  return {
    name,
    calls,
    instance: {
      mapGeneric: (path: string): Reference => ({ scheme: 'local', path, optional: false, params: {} }),
      async resolve(batch: readonly Reference[]): Promise<Outcome[]> {
        calls.push(batch.map((r) => r.path));
        const outcomes = batch.map((r) => answer(r.path));
        if (outcomes.includes('hang')) return new Promise(() => undefined);
        return outcomes.map((a, i) =>
          a === undefined
            ? new ProviderError('NotFound', `no ${batch[i]?.path}`)
            : typeof a === 'string'
              ? { value: new Secret(a) }
              : new ProviderError((a as { kind: ErrorKind }).kind, 'failed'),
        );
      },
      close: async () => undefined,
    },
    classify: (error: unknown) => new ProviderError('Unavailable', String(error)),
  };
}

/** A provider context with nothing set: an empty environment, no flags, a quiet logger, a 60 s deadline. */
export function testContext(overrides: Partial<ProviderContext> = {}): ProviderContext {
  return {
    env: {},
    flags: { vaultKeepToken: false },
    log: createLogger({ level: 'error', format: 'text', write: () => undefined }),
    signal: new AbortController().signal,
    deadline: Date.now() + 60_000,
    readFile: async () => Buffer.from(''),
    ...overrides,
  };
}
