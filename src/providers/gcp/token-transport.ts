// How Google's auth library sends its own requests (token endpoints, STS, impersonation, the metadata
// server) in a run, made to follow the rules every provider follows — found by the fault matrix on the
// token endpoint:
// - no retries of its own: gaxios retried a failed token request up to three times with its own backoff,
//   under the engine's four tries, so a token endpoint answering 500 saw up to 16 requests and the run
//   ended as a Timeout instead of Unavailable. Retries are the engine's alone (src/resolve/retry.ts);
// - a cap on every answer's body (shared/http-fetch.ts, the library's fetch): fetch reads whatever comes;
// - that fetch for every request: a client built from a file holds more than its own transporter — an
//   external_account's STS exchange has one of its own, and an impersonated_service_account sends through its
//   source client's — each of which would otherwise send with gaxios's bundled node-fetch (slow to evaluate,
//   uncapped, retrying);
// - an answer without an access token is Invalid, instead of a request sent with "Bearer undefined" that
//   Secret Manager then refuses (reported as Denied credentials).
import type { AuthClient } from 'google-auth-library';

type Transporter = Pick<AuthClient['transporter'], 'interceptors'>;
const configured = new WeakSet<Transporter>();

// What a client may hold besides its transporter (BaseExternalAccountClient, Impersonated).
type ClientParts = {
  transporter?: AuthClient['transporter'];
  stsCredential?: { transporter?: AuthClient['transporter'] };
  sourceClient?: ClientParts;
};

/**
 * Gives every transporter of `client` (its own, its STS exchange's, its source client's, recursively) the
 * run's fetch, without gaxios's retries.
 */
export function configureLibraryTransport(client: AuthClient, fetchImplementation: typeof fetch): void {
  const visit = (parts: ClientParts | undefined, depth: number): void => {
    if (parts === undefined || depth > 3) return;
    for (const transporter of [parts.transporter, parts.stsCredential?.transporter]) {
      if (transporter === undefined) continue;
      transporter.defaults.fetchImplementation = fetchImplementation;
      withoutLibraryRetries(transporter);
    }
    visit(parts.sourceClient, depth + 1);
  };
  visit(client as ClientParts, 0);
}

/**
 * Turns off gaxios's retries for every request a transporter sends: a client's own, or gaxios's shared
 * instance, which the metadata server's requests go through. Once per transporter.
 */
export function withoutLibraryRetries(transporter: Transporter): void {
  if (configured.has(transporter)) return;
  configured.add(transporter);
  transporter.interceptors.request.add({
    resolved: async (config) => {
      config.retry = false;
      config.retryConfig = { ...config.retryConfig, retry: 0, noResponseRetries: 0 };
      return config;
    },
  });
}

/** True when the library's headers carry a usable bearer token (not "Bearer undefined"). */
export function hasAccessToken(headers: Record<string, string>): boolean {
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
  return /^Bearer \S+$/.test(value) && !/^Bearer (undefined|null)$/.test(value);
}
