// Retries of transient failures, done once here for every provider (docs/architecture.md): only Unavailable is
// retried, with exponential backoff and full jitter (AWS Architecture Blog, "Exponential Backoff And
// Jitter"), and never past the deadline.
import { ProviderError } from '../errors/errors.js';
import type { Reference } from '../refs/index.js';
import { raceDeadline } from './deadline.js';
import type { LoadedProvider } from './providers.js';
import type { Outcome, ProviderContext } from './types.js';
import { isFetched } from './types.js';

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  readonly random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 100, capMs: 2_000, random: Math.random };

/** Calls `provider.resolve` and retries the references that came back Unavailable. */
export async function resolveWithRetry(options: {
  provider: LoadedProvider;
  batch: readonly Reference[];
  ctx: ProviderContext;
  policy: RetryPolicy;
  now: () => number;
}): Promise<Outcome[]> {
  const { provider, batch, ctx, policy, now } = options;
  const outcomes: Outcome[] = new Array<Outcome>(batch.length);
  let pending = batch.map((_, i) => i);
  for (let attempt = 0; pending.length > 0; attempt++) {
    const refs = pending.map((i) => batch[i] as Reference);
    const results = await callOnce(provider, refs, ctx);
    for (const [j, index] of pending.entries()) outcomes[index] = results[j] as Outcome;
    pending = pending.filter((index) => {
      const o = outcomes[index] as Outcome;
      return !isFetched(o) && o.kind === 'Unavailable';
    });
    if (pending.length === 0 || attempt + 1 >= policy.attempts) break;
    const wait = Math.floor(policy.random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
    if (now() + wait >= ctx.deadline) break;
    ctx.log.debug('provider.retry', `retrying ${pending.length} reference(s) after Unavailable`, {
      provider: provider.name,
      attempt: attempt + 2,
      wait_ms: wait,
    });
    await new Promise((r) => setTimeout(r, wait));
  }
  return outcomes;
}

// One call of the provider, with the deadline and with a thrown error turned into one outcome per
// reference by the provider's own classification.
async function callOnce(
  provider: LoadedProvider,
  refs: readonly Reference[],
  ctx: ProviderContext,
): Promise<Outcome[]> {
  try {
    const results = await raceDeadline(provider.instance.resolve(refs), ctx.signal, provider.name);
    if (results.length !== refs.length)
      throw new ProviderError(
        'Invalid',
        `${provider.name} returned ${results.length} results for ${refs.length} references`,
      );
    return results;
  } catch (error) {
    const classified =
      error instanceof ProviderError
        ? error
        : ctx.signal.aborted
          ? new ProviderError('Timeout', `${provider.name} did not answer before the --timeout deadline`, {
              cause: error,
            })
          : provider.classify(error);
    return refs.map(() => classified);
  }
}
