// Fetches every distinct reference once (docs/architecture.md): groups them by provider, calls each provider with
// one batch per round, and walks `secret://` references down the chain of tiers round by round.
import { ProviderError, type ErrorKind } from '../errors/errors.js';
import type { Logger } from '../log/logger.js';
import { formatReference, type Reference } from '../refs/index.js';
import { fallsThrough } from './chain.js';
import type { LoadedProvider } from './providers.js';
import { resolveWithRetry, type RetryPolicy } from './retry.js';
import { isFetched, type Fetched, type ProviderContext, type TierSource } from './types.js';

/** How one tier answered one reference; kept for `check` and for the final error. */
interface TierAttempt {
  readonly provider: string;
  readonly reference: string;
  readonly kind?: ErrorKind;
  readonly reason?: string;
}

export type FetchResult =
  | {
      readonly ok: true;
      readonly fetched: Fetched;
      readonly provider: string;
      readonly attempts: readonly TierAttempt[];
    }
  | {
      readonly ok: false;
      readonly error: ProviderError;
      readonly provider: string;
      readonly attempts: readonly TierAttempt[];
    };

export interface FetchOptions {
  /**
   * Resolves a provider name to this run's instance; rejects with ProviderError('Invalid') when this build
   * lacks it.
   */
  readonly loadProvider: (name: string) => Promise<LoadedProvider>;
  /** The provider that serves a scheme directly, or undefined for `secret://`. */
  readonly providerForScheme: (scheme: Reference['scheme']) => string | undefined;
  /** The tiers `secret://` walks, in order (the later ones may still be being detected). */
  readonly tiers: TierSource;
  /** Tiers whose use is worth a warning at every fall-through (the local development store). */
  readonly warnsOnFallThrough?: (name: string) => boolean;
  readonly strict: boolean;
  readonly ctx: ProviderContext;
  readonly policy: RetryPolicy;
  readonly now: () => number;
  readonly log: Logger;
}

/** A chain that is known in full. */
export function fixedTiers(names: readonly string[]): TierSource {
  return { at: async (index) => names[index], whyEmpty: async () => '' };
}

const NO_TIER = 'no provider tier is configured for secret:// (pass --provider)';

interface Pending {
  readonly key: string;
  readonly ref: Reference;
  tier: number;
  readonly attempts: TierAttempt[];
}

/** Fetches each distinct fetch reference (no #KEY, no optional) and returns its result by canonical text. */
export async function fetchAll(refs: readonly Reference[], options: FetchOptions): Promise<Map<string, FetchResult>> {
  const results = new Map<string, FetchResult>();
  let pending: Pending[] = [...new Map(refs.map((r) => [formatReference(r), r])).entries()].map(([key, ref]) => ({
    key,
    ref,
    tier: 0,
    attempts: [],
  }));
  while (pending.length > 0) {
    const groups = new Map<string, Pending[]>();
    for (const item of pending) {
      const name = await providerOf(item, options).catch((error: unknown) => error as ProviderError);
      if (typeof name !== 'string') {
        const error = name ?? new ProviderError('Invalid', (await options.tiers.whyEmpty()) || NO_TIER);
        results.set(item.key, { ok: false, error, provider: 'none', attempts: item.attempts });
        continue;
      }
      groups.set(name, [...(groups.get(name) ?? []), item]);
    }
    const next: Pending[] = [];
    await Promise.all(
      [...groups].map(async ([name, items]) => {
        const outcomes = await fetchGroup(name, items, options);
        for (const [i, item] of items.entries()) {
          const { outcome, reference } = outcomes[i] as { outcome: Fetched | ProviderError; reference: string };
          if (isFetched(outcome)) {
            item.attempts.push({ provider: name, reference });
            results.set(item.key, { ok: true, fetched: outcome, provider: name, attempts: item.attempts });
            continue;
          }
          item.attempts.push({ provider: name, reference, kind: outcome.kind, reason: outcome.message });
          const nextTier = await nextTierFor(item, outcome, options);
          if (typeof nextTier === 'string') {
            item.tier++;
            if (options.warnsOnFallThrough?.(nextTier))
              options.log.warn(
                'chain.fall_through',
                `${outcome.kind} in ${name}: falling back to ${nextTier} (development store)`,
                { reference: item.key },
              );
            else
              options.log.debug('chain.fall_through', `${outcome.kind} in ${name}: trying ${nextTier}`, {
                reference: item.key,
              });
            next.push(item);
            continue;
          }
          results.set(item.key, { ok: false, error: nextTier ?? outcome, provider: name, attempts: item.attempts });
        }
      }),
    );
    pending = next;
  }
  return results;
}

// The tier a failed `secret://` reference moves on to: a name, undefined when it stops here, or the
// detection error when the next tier could not be worked out.
async function nextTierFor(
  item: Pending,
  outcome: ProviderError,
  options: FetchOptions,
): Promise<string | ProviderError | undefined> {
  if (item.ref.scheme !== 'secret' || options.strict || !fallsThrough(outcome.kind)) return undefined;
  // Past the deadline no later tier can be asked: the error stays with the tier that ran out of time,
  // rather than blaming one that was never tried.
  if (options.ctx.signal.aborted) return undefined;
  return options.tiers.at(item.tier + 1).catch((error: unknown) => error as ProviderError);
}

async function providerOf(item: Pending, options: FetchOptions): Promise<string | undefined> {
  return item.ref.scheme === 'secret' ? options.tiers.at(item.tier) : options.providerForScheme(item.ref.scheme);
}

// One provider's share of a round: load it, map generic names to its own references, dedupe, fetch.
async function fetchGroup(
  name: string,
  items: readonly Pending[],
  options: FetchOptions,
): Promise<Array<{ outcome: Fetched | ProviderError; reference: string }>> {
  let provider: LoadedProvider;
  try {
    provider = await options.loadProvider(name);
  } catch (error) {
    const failure =
      error instanceof ProviderError
        ? error
        : new ProviderError('Invalid', `provider ${name} failed to load`, { cause: error });
    return items.map((item) => ({ outcome: failure, reference: item.key }));
  }
  const mapped = items.map((item) => {
    if (item.ref.scheme !== 'secret') return { ref: item.ref };
    try {
      const own = provider.instance.mapGeneric(item.ref.path);
      return { ref: { ...own, version: item.ref.version ?? own.version } };
    } catch (error) {
      return { error: error instanceof ProviderError ? error : provider.classify(error) };
    }
  });
  const distinct = new Map<string, Reference>();
  for (const m of mapped) if (m.ref) distinct.set(formatReference(m.ref), m.ref);
  const batch = [...distinct.values()];
  const started = options.now();
  const outcomes =
    batch.length === 0
      ? []
      : await resolveWithRetry({ provider, batch, ctx: options.ctx, policy: options.policy, now: options.now });
  options.log.debug('provider.batch', `${name} answered ${batch.length} reference(s)`, {
    provider: name,
    ms: options.now() - started,
  });
  const byKey = new Map(batch.map((ref, i) => [formatReference(ref), outcomes[i] as Fetched | ProviderError]));
  return mapped.map((m, i) => {
    if (!m.ref) return { outcome: m.error as ProviderError, reference: (items[i] as Pending).key };
    const reference = formatReference(m.ref);
    return { outcome: byKey.get(reference) as Fetched | ProviderError, reference };
  });
}
