// Which cloud this process runs on (docs/architecture.md): platform variables first — free, and they decide
// without any network traffic — then every metadata probe at once under the --detect-budget. Exactly
// one cloud must answer; two is an error that names both, never a guess.
import type { PlatformEntry } from '../resolve/platform.js';
import type { Evidence } from './detect.js';
import { parseMetadataUrl, probeMetadata } from './metadata-probes.js';
import { findPlatformVariables, providersOf, selectDecidingFindings } from './platform-signals.js';

interface CloudDetection {
  readonly provider?: string | undefined;
  readonly evidence: readonly Evidence[];
  /** Set when more than one cloud was found. */
  readonly error?: string | undefined;
  /** What was checked, for the message of a chain that ends up empty. */
  readonly checked: string;
}

/** Looks for the cloud through its variables, then its metadata service. */
export async function detectCloud(input: {
  env: Readonly<Record<string, string | undefined>>;
  /** The platform table: each cloud's variables and metadata probe, with the provider it selects. */
  platforms: readonly PlatformEntry[];
  /** SECRETS_EXEC_METADATA_URL, when set. */
  metadataUrl?: string | undefined;
  /** --detect-budget: how long all the probes together may take. */
  budgetMs: number;
  now?: () => number;
}): Promise<CloudDetection> {
  const { env, platforms, budgetMs, now } = input;
  const names = platforms.map((p) => p.provider).join(', ');

  const findings = findPlatformVariables(env, platforms);
  if (findings.length > 0) {
    const deciding = selectDecidingFindings(findings);
    const providers = providersOf(deciding);
    const evidence = findings.map((f) => ({
      provider: f.provider,
      source: f.env,
      used: providers.length === 1 && deciding.includes(f),
      detail: deciding.includes(f) ? f.why : `${f.why} (a hint, outranked by a platform variable)`,
    }));
    const seen = deciding.map((f) => `${f.provider} (${f.env})`);
    return {
      provider: providers.length === 1 ? providers[0] : undefined,
      evidence,
      error: ambiguity(providers, seen),
      checked: `platform variables (${seen.join(', ')})`,
    };
  }

  const noVariables: Evidence = {
    provider: '',
    source: 'platform variables',
    used: false,
    detail: `none of ${platforms.reduce((n, p) => n + p.variables.length, 0)} set (${names})`,
  };
  const base = parseMetadataUrl(input.metadataUrl);
  const outcomes = await probeMetadata({ base, budgetMs, platforms, now });
  const providers = providersOf(outcomes);
  const evidence = outcomes.map((o) => ({
    provider: o.provider,
    source: `probe ${o.request}`,
    used: providers.length === 1 && o.found,
    detail: o.detail,
    ms: o.ms,
  }));
  const seen = outcomes.filter((o) => o.found).map((o) => `${o.provider} (${o.request} answered)`);
  const results = outcomes.map((o) => `${o.provider}: ${o.found ? 'answered' : o.detail}`).join(', ');
  return {
    provider: providers.length === 1 ? providers[0] : undefined,
    evidence: [noVariables, ...evidence],
    error: ambiguity(providers, seen),
    checked:
      `platform variables of ${names} (none set), ` + `metadata probes at ${base.href.replace(/\/$/, '')} (${results})`,
  };
}

function ambiguity(providers: readonly string[], seen: readonly string[]): string | undefined {
  if (providers.length < 2) return undefined;
  return (
    `more than one cloud detected: ${seen.join(' and ')}; ` +
    `choose the chain with --provider (e.g. --provider ${providers[0]})`
  );
}
