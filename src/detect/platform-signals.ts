// Step 2 of detection (docs/architecture.md): the variables a platform sets in every workload it runs. They cost
// nothing to read, so when they decide, no metadata probe is sent.
import type { PlatformEntry, SignalWeight } from '../resolve/platform.js';

type Env = Readonly<Record<string, string | undefined>>;

interface VariableFinding {
  readonly provider: string;
  readonly env: string;
  readonly weight: SignalWeight;
  readonly why: string;
}

/** Every platform variable that is set (non-empty), in table order. */
export function findPlatformVariables(env: Env, platforms: readonly PlatformEntry[]): VariableFinding[] {
  return platforms.flatMap((platform) =>
    platform.variables
      .filter((v) => env[v.env] !== undefined && env[v.env] !== '')
      .map((v) => ({ provider: platform.provider, env: v.env, weight: v.weight, why: v.why })),
  );
}

/**
 * The findings that decide: those of weight `platform` when there are any, else the hints. A hint never
 * outvotes a platform variable: IBM Code Engine sets Knative's K_SERVICE next to its own CE_APP, and a
 * GOOGLE_CLOUD_PROJECT left in an image does not make a Lambda function a Google workload.
 */
export function selectDecidingFindings(findings: readonly VariableFinding[]): VariableFinding[] {
  const strong = findings.filter((f) => f.weight === 'platform');
  return strong.length > 0 ? strong : [...findings];
}

/** The distinct providers named by some findings, in order of first appearance. */
export function providersOf(findings: readonly { provider: string; found?: boolean }[]): string[] {
  return [...new Set(findings.filter((f) => f.found !== false).map((f) => f.provider))];
}
