// What `detect` says about the network path: the proxy each kind of request goes through (credentials
// masked), and that the metadata probes never do. Only reads variables: nothing is loaded or sent. The
// rows point at no provider and put none in the chain (`used` is false).
import { ProviderError } from '../errors/errors.js';
import { readEgress } from '../providers/shared/egress.js';
import type { Evidence } from './detect.js';

/** Evidence rows for the proxy variables, or none when no proxy is set. */
export function egressEvidence(env: Readonly<Record<string, string | undefined>>, metadataUrl: string): Evidence[] {
  let egress: ReturnType<typeof readEgress>;
  try {
    egress = readEgress(env);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return [{ provider: '', source: 'proxy', used: false, detail: error.message }];
  }
  if (egress.proxyEnv === undefined) return [];
  const rows: Evidence[] = [];
  for (const [scheme, variable] of [
    ['https', 'HTTPS_PROXY'],
    ['http', 'HTTP_PROXY'],
  ] as const) {
    const proxy = egress.proxyFor(new URL(`${scheme}://proxy-check.invalid`));
    if (proxy !== undefined)
      rows.push({ provider: '', source: variable, used: false, detail: `${scheme}:// requests go through ${proxy}` });
  }
  const metadata = new URL(metadataUrl);
  const noProxy = env.no_proxy || env.NO_PROXY;
  rows.push({
    provider: '',
    source: 'proxy bypass',
    used: false,
    detail:
      `metadata probes (${metadata.host}) and link-local addresses go direct, whatever NO_PROXY says` +
      (noProxy ? `; so do the hosts of NO_PROXY (${noProxy})` : ''),
  });
  return rows;
}
