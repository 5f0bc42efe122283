// Which providers `secret://` walks, and why (docs/architecture.md, `secrets-exec detect`). In order:
//   1. an explicit --provider / SECRETS_EXEC_PROVIDER list is used as given, with no probing at all;
//   2. otherwise the chain is built tier by tier — the configured tiers whose signal is set (the
//      address of a server), then the detected cloud (detect-cloud.ts: platform variables, then
//      metadata probes), then the development stores that were given explicitly (each fall-through to
//      one is logged as a warning by the resolver).
// The providers and their platform table come in as a parameter: detection knows no provider by name.
// Every check lands in `evidence`, so `detect` can show what decided and what each probe took.
import { ProviderError } from '../errors/errors.js';
import type { PlatformEntry } from '../resolve/platform.js';
import { findProvider } from '../resolve/providers.js';
import type { ProviderDescriptor, ProviderFlags, Tier, TierSource } from '../resolve/types.js';
import { detectCloud } from './detect-cloud.js';
import { egressEvidence } from './egress-evidence.js';

export interface Evidence {
  /** The provider this check points at ('' when it points at none). */
  readonly provider: string;
  /** What was checked: an option, a variable, or a probe (`probe GET /computeMetadata/v1/`). */
  readonly source: string;
  /** True when this check put its provider in the chain. */
  readonly used: boolean;
  readonly detail: string;
  /** How long a probe took. */
  readonly ms?: number | undefined;
}

export interface Detection {
  readonly tiers: readonly string[];
  readonly evidence: readonly Evidence[];
  readonly explicit: boolean;
  /** Set when detection cannot decide (two clouds found): resolution must stop with it. */
  readonly error?: string | undefined;
  /** Why the chain is empty, naming everything that was checked ('' when it is not empty). */
  readonly whyEmpty: string;
  /** What a user can do to get a chain (`pass --provider, set VAULT_ADDR or give --local-file`). */
  readonly advice: string;
}

/** What detection looks at: the providers, the run's settings and the environment. */
export interface DetectInput {
  /** Every provider, in chain order within each tier (the registry). */
  readonly providers: readonly ProviderDescriptor[];
  /** `auto`, or the explicit chain of --provider. */
  readonly chain: 'auto' | readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags: ProviderFlags;
  /** SECRETS_EXEC_METADATA_URL, when set. */
  readonly metadataUrl?: string | undefined;
  /** --detect-budget in milliseconds. */
  readonly budgetMs: number;
  /** A clock for probe timings. */
  readonly now?: () => number;
}

/**
 * The chain as resolution walks it. The tiers that configuration decides (an explicit list, or a configured
 * tier by its variable) are answered at once; the probes for the cloud start now and are awaited only by a
 * reference that gets past them — so a run that the first tier serves never waits for a silent metadata address.
 */
export function detectTiers(input: DetectInput): TierSource {
  const configured =
    input.chain !== 'auto' ? explicitTiers(input) : signalledTiers(input, 'configured').map((t) => t.provider);
  const detection = detectChain(input);
  detection.catch(() => undefined); // awaited below if needed; never an unhandled rejection
  return {
    async at(index) {
      if (index < configured.length) return configured[index];
      const { tiers, error } = await detection;
      if (error !== undefined) throw new ProviderError('Invalid', error);
      return tiers[index];
    },
    whyEmpty: async () => (await detection).whyEmpty,
  };
}

// An explicit chain, each name checked now: an unknown one is a usage error that lists the known ones.
function explicitTiers(input: DetectInput): string[] {
  const names = input.chain === 'auto' ? [] : input.chain;
  return names.map((name) => findProvider(input.providers, name).name);
}

// The tiers of one kind that this run's configuration switches on, each with what decided.
function signalledTiers(input: DetectInput, tier: Exclude<Tier, 'cloud'>): Evidence[] {
  return input.providers
    .filter((p) => p.tier === tier)
    .flatMap((p) => {
      const signal = p.signal?.(input.env, input.flags);
      return signal ? [{ provider: p.name, source: signal.source, used: true, detail: signal.why }] : [];
    });
}

// What a tier that was not switched on looked at, for the message of an empty chain.
function describeUnsignalled(input: DetectInput, tier: Exclude<Tier, 'cloud'>, found: readonly Evidence[]): string[] {
  return input.providers
    .filter((p) => p.tier === tier && !found.some((e) => e.provider === p.name))
    .map((p) => p.unsignalled ?? `${p.name} (not configured)`);
}

/** The platform table of the clouds among `providers`, in their order. */
export function platformTable(providers: readonly ProviderDescriptor[]): PlatformEntry[] {
  return providers.flatMap((p) => (p.tier === 'cloud' && p.platform ? [{ provider: p.name, ...p.platform }] : []));
}

/** Works out the whole chain with its evidence; `env` is the wrapper's environment, `now` a clock for probe timings. */
export async function detectChain(input: DetectInput): Promise<Detection> {
  const { env } = input;
  if (input.chain !== 'auto') {
    const tiers = explicitTiers(input);
    const evidence = [
      ...tiers.map((provider) => ({
        provider,
        source: '--provider',
        used: true,
        detail: 'named explicitly (no probing)',
      })),
      ...egressEvidence(env, input.metadataUrl || 'http://169.254.169.254'),
    ];
    return { tiers, evidence, explicit: true, whyEmpty: '', advice: adviseOn(input.providers) };
  }

  // The order of the tiers is the chain's order (docs/architecture.md): configured, the cloud, development.
  const configured = signalledTiers(input, 'configured');
  const cloud = await detectCloud({
    env,
    platforms: platformTable(input.providers),
    metadataUrl: input.metadataUrl,
    budgetMs: input.budgetMs,
    now: input.now,
  });
  const development = signalledTiers(input, 'development');
  const tiers = [
    ...configured.map((e) => e.provider),
    ...(cloud.provider === undefined ? [] : [findProvider(input.providers, cloud.provider).name]),
    ...development.map((e) => e.provider),
  ];
  const network = egressEvidence(env, input.metadataUrl || 'http://169.254.169.254');
  const evidence = [...configured, ...cloud.evidence, ...development, ...network];
  const checked = [
    ...describeUnsignalled(input, 'configured', configured),
    cloud.checked,
    ...describeUnsignalled(input, 'development', development),
  ];
  const advice = adviseOn(input.providers);
  const whyEmpty =
    tiers.length > 0
      ? ''
      : `no provider found for secret://: checked ${checked.join(', ')}; ${advice} ` +
        '(secrets-exec detect shows the evidence)';
  return { tiers, evidence, explicit: false, error: cloud.error, whyEmpty, advice };
}

// The ways to get a chain: name it, or switch on a tier that configuration decides (in chain order).
function adviseOn(providers: readonly ProviderDescriptor[]): string {
  const hints = (['configured', 'development'] as const).flatMap((tier) =>
    providers.filter((p) => p.tier === tier && p.hint !== undefined).map((p) => p.hint as string),
  );
  return hints.length === 0 ? 'pass --provider' : `pass --provider, ${hints.join(' or ')}`;
}
