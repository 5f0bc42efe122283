// Which providers `secret://` walks, and why (DESIGN §4, `secrets-exec detect`). In order:
//   1. an explicit --provider / SECRETS_EXEC_PROVIDER list is used as given, with no probing at all;
//   2. otherwise the chain is built tier by tier — the Vault tier when its signal variable is set
//      (VAULT_ADDR), then the detected cloud (detect-cloud.ts: platform variables, then metadata
//      probes), then the local store when one was given (development only; each fall-through to it
//      is logged as a warning by the resolver).
// Every check lands in `evidence`, so `detect` can show what decided and what each probe took.
import type { Config } from '../cli/config.js';
import { ProviderError } from '../errors/errors.js';
import { getProviderEntry, listProviderEntries } from '../providers/registry.js';
import type { TierSource } from '../resolve/fetch-all.js';
import { detectCloud } from './detect-cloud.js';

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
}

type DetectInput = { config: Config; env: Readonly<Record<string, string | undefined>>; now?: () => number };

/**
 * The chain as resolution walks it. The tiers that configuration decides (an explicit list, or Vault by
 * its variable) are answered at once; the probes for the cloud start now and are awaited only by a
 * reference that gets past them — so a run that Vault serves never waits for a silent metadata address.
 */
export function detectTiers(input: DetectInput): TierSource {
  const configured = input.config.providers !== 'auto' ? explicitTiers(input.config.providers) : vaultTiers(input.env).map((t) => t.provider);
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
function explicitTiers(names: readonly string[]): string[] {
  return names.map((name) => getProviderEntry(name).name);
}

// The Vault tier comes first and is decided by a variable alone (DESIGN §4).
function vaultTiers(env: DetectInput['env']): Evidence[] {
  return listProviderEntries()
    .filter((e) => e.tier === 'vault')
    .flatMap((entry) => {
      const signal = entry.signals?.find((s) => env[s.env] !== undefined && env[s.env] !== '');
      return signal ? [{ provider: entry.name, source: signal.env, used: true, detail: signal.why }] : [];
    });
}

/** Works out the whole chain with its evidence; `env` is the wrapper's environment, `now` a clock for probe timings. */
export async function detectChain(input: DetectInput): Promise<Detection> {
  const { config, env } = input;
  if (config.providers !== 'auto') {
    const tiers = explicitTiers(config.providers);
    const evidence = tiers.map((provider) => ({ provider, source: '--provider', used: true, detail: 'named explicitly (no probing)' }));
    return { tiers, evidence, explicit: true, whyEmpty: '' };
  }

  const tiers: string[] = [];
  const evidence: Evidence[] = [];
  const checked: string[] = [];
  const entries = listProviderEntries();
  // The order of the tiers is the chain's order (DESIGN §4): Vault, the cloud, local.
  for (const found of vaultTiers(env)) {
    tiers.push(found.provider);
    evidence.push(found);
  }
  for (const entry of entries.filter((e) => e.tier === 'vault' && !tiers.includes(e.name))) {
    checked.push(`${entry.signals?.map((s) => s.env).join(' or ') || entry.name} (not set)`);
  }
  const cloud = await detectCloud({ config, env, now: input.now });
  if (cloud.provider !== undefined) tiers.push(getProviderEntry(cloud.provider).name);
  evidence.push(...cloud.evidence);
  checked.push(cloud.checked);
  for (const entry of entries.filter((e) => e.tier === 'local')) {
    if (config.localFile !== undefined) {
      tiers.push(entry.name);
      evidence.push({ provider: entry.name, source: '--local-file', used: true, detail: 'a local store was given (development only)' });
    } else {
      checked.push('--local-file (not given)');
    }
  }
  const whyEmpty =
    tiers.length > 0 ? '' : `no provider found for secret://: checked ${checked.join(', ')}; pass --provider, set VAULT_ADDR or give --local-file (secrets-exec detect shows the evidence)`;
  return { tiers, evidence, explicit: false, error: cloud.error, whyEmpty };
}
