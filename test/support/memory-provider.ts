// An in-process provider that follows the Provider contract, for testing the engine's own rules
// (chain, dedupe, retries, deadline) without any store. Each entry of `answers` says how a path answers:
// a value, a failure kind, a list of those for successive calls, or 'hang' (never answers).
import { ProviderError, type ErrorKind } from '../../src/errors/errors.js';
import { createLogger } from '../../src/log/logger.js';
import { Secret } from '../../src/log/secret.js';
import type { Config } from '../../src/cli/config.js';
import type { Reference } from '../../src/refs/index.js';
import type { Outcome, Provider, ProviderContext } from '../../src/resolve/types.js';

type Answer = string | { kind: ErrorKind } | 'hang';

export function memoryProvider(name: string, answers: Record<string, Answer | Answer[]>): Provider & { calls: string[][] } {
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
    schemes: ['local'],
    calls,
    mapGeneric: (path: string): Reference => ({ scheme: 'local', path, optional: false, params: {} }),
    async resolve(batch: readonly Reference[]): Promise<Outcome[]> {
      calls.push(batch.map((r) => r.path));
      const outcomes = batch.map((r) => answer(r.path));
      if (outcomes.includes('hang')) return new Promise(() => undefined);
      return outcomes.map((a, i) =>
        a === undefined ? new ProviderError('NotFound', `no ${batch[i]?.path}`) : typeof a === 'string' ? { value: new Secret(a) } : new ProviderError((a as { kind: ErrorKind }).kind, 'failed'),
      );
    },
    classify: (error: unknown) => new ProviderError('Unavailable', String(error)),
  };
}

export function testContext(overrides: Partial<ProviderContext> = {}): ProviderContext {
  return {
    env: {},
    config: {} as Config,
    log: createLogger({ level: 'error', format: 'text', write: () => undefined }),
    signal: new AbortController().signal,
    deadline: Date.now() + 60_000,
    readFile: async () => Buffer.from(''),
    ...overrides,
  };
}
