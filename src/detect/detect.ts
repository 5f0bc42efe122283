// Which providers `secret://` walks, and why (DESIGN §4, `secrets-exec detect`). An explicit
// --provider list is used as given, with no probing. Otherwise the chain is: the Vault tier when its
// signal variables are set, then the detected cloud, then the local store when one was given.
import type { Config } from '../cli/config.js';
import { getProviderEntry, listProviderEntries } from '../providers/registry.js';

export interface Evidence {
  readonly provider: string;
  /** What decided: an option, a variable, or a probe. */
  readonly source: string;
  readonly detail: string;
  readonly ms?: number | undefined;
}

export interface Detection {
  readonly tiers: readonly string[];
  readonly evidence: readonly Evidence[];
  readonly explicit: boolean;
}

/** Works out the chain; `env` is the wrapper's environment. */
export async function detectChain(input: { config: Config; env: Readonly<Record<string, string | undefined>> }): Promise<Detection> {
  const { config, env } = input;
  if (config.providers !== 'auto') {
    const tiers = config.providers.map((name) => getProviderEntry(name).name);
    return { tiers, evidence: tiers.map((provider) => ({ provider, source: '--provider', detail: 'named explicitly' })), explicit: true };
  }
  const evidence: Evidence[] = [];
  const tiers: string[] = [];
  for (const entry of listProviderEntries()) {
    const signal = entry.signals.find((s) => env[s.env] !== undefined && env[s.env] !== '');
    if (entry.tier === 'local' && config.localFile !== undefined) {
      tiers.push(entry.name);
      evidence.push({ provider: entry.name, source: '--local-file', detail: 'a local store was given (development only)' });
    } else if (signal) {
      tiers.push(entry.name);
      evidence.push({ provider: entry.name, source: signal.env, detail: signal.why });
    }
  }
  return { tiers, evidence, explicit: false };
}
