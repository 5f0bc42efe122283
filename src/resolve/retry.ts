// Retries of transient failures, done once here for every provider (docs/architecture.md): only Unavailable is
// retried, with exponential backoff and full jitter (AWS Architecture Blog, "Exponential Backoff And
// Jitter"), and never past the deadline. Throttling (a 429, a rate-limit quota) is retried for as long as
// the deadline leaves time, not a few hundred milliseconds: the store said to slow down, not that it is
// down. Other failures (a sealed Vault, a 500, a refused connection) keep a few quick tries, so that a
// `secret://` chain still has time to fall through. A store's Retry-After is honoured: the wait is at
// least what it asked for, plus jitter so that waiting references do not all come back at once.
import { ProviderError } from '../errors/errors.js';
import type { Reference } from '../refs/index.js';
import { raceDeadline } from './deadline.js';
import type { LoadedProvider } from './providers.js';
import type { Outcome, ProviderContext } from './types.js';
import { isFetched } from './types.js';

export interface RetryPolicy {
  readonly attempts: number;
  /** Tries for a throttled reference (`attempts` when not given); the deadline usually ends them first. */
  readonly throttledAttempts?: number;
  readonly baseMs: number;
  readonly capMs: number;
  readonly random: () => number;
}

// Up to 100 ms, 200 ms, … 5 s between tries (full jitter: 2.5 s on average once at the cap). A throttled
// reference has no count of tries: the deadline alone ends them, so a fleet restarting at once is spread
// over the whole --timeout instead of failing after a fixed number of tries (measured: bench/fleet.bench.mjs).
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  throttledAttempts: Number.POSITIVE_INFINITY,
  baseMs: 100,
  capMs: 5_000,
  random: Math.random,
};

/** The wait before try `attempt + 2`: full jitter, and never shorter than a Retry-After the store sent. */
export function retryWait(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number {
  const backoff = Math.floor(policy.random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
  if (retryAfterMs === undefined) return backoff;
  return retryAfterMs + Math.floor(policy.random() * Math.min(policy.capMs, Math.max(policy.baseMs, retryAfterMs)));
}

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
      if (isFetched(o) || o.kind !== 'Unavailable') return false;
      return attempt + 1 < (o.throttled ? (policy.throttledAttempts ?? policy.attempts) : policy.attempts);
    });
    if (pending.length === 0) break;
    const asked = pending
      .map((index) => (outcomes[index] as ProviderError).retryAfterMs)
      .filter((ms): ms is number => ms !== undefined);
    const wait = retryWait(policy, attempt, asked.length > 0 ? Math.max(...asked) : undefined);
    if (now() + wait >= ctx.deadline) break;
    ctx.log.debug('provider.retry', `retrying ${pending.length} reference(s) after Unavailable`, {
      provider: provider.name,
      attempt: attempt + 2,
      wait_ms: wait,
    });
    await sleep(wait, ctx.signal);
  }
  return outcomes;
}

// A wait between tries that ends early when the run is stopped (deadline or stop signal): the next try
// then fails at once as a Timeout instead of a TERM waiting out a backoff of several seconds.
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
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
