// A small typed HTTP client for the handful of Vault endpoints secrets-exec calls (how the requests
// travel: transport.ts). Not node-vault (≈100 ms of start-up, measured) and not fetch: Node's fetch
// cannot take a custom CA or a client certificate without undici's Agent, and loads undici (35–55 ms).
import { parseExactJson } from '../../formats/exact-json.js';
import type { ProxyEnv } from '../shared/egress.js';
import type { AgentTls } from '../shared/http.js';
import { createLimit, retryAfterMs } from '../shared/limit.js';
import { createVaultTransport, type VaultAnswer } from './transport.js';

/** Where Vault listens: an http(s) base URL, or a unix socket (VAULT_ADDR=unix:///path, as Vault Agent offers). */
export type VaultAddress = { readonly url: URL } | { readonly socketPath: string };

/** `ca` replaces Node's bundled roots when given, as VAULT_CACERT replaces the system roots in the vault CLI. */
export type VaultTls = AgentTls & {
  /** The variable `ca` came from (VAULT_CACERT or VAULT_CAPATH), for the untrusted-certificate message. */
  readonly caVariable?: string | undefined;
};

/** A request's failure, with the variable that chose the trusted roots when one did. */
export type VaultNetworkError = Error & { caVariable?: string };

export interface VaultRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** The API path after /v1/, already encoded (`secret/data/app`). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly token?: string | undefined;
  readonly body?: unknown;
  readonly signal: AbortSignal;
}

/** A Vault answer that is not 2xx; `errors` is Vault's `{"errors": [...]}` list when it sent one. */
export class VaultHttpError extends Error {
  override name = 'VaultHttpError';
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
    readonly path: string,
    /** The parsed JSON body, when there was one (KV v2 answers 404 with the metadata of a deleted version). */
    readonly body: Record<string, unknown> | undefined,
    /** What a Retry-After header asked for (a rate-limit quota's 429 sends one). */
    readonly retryAfterMs?: number | undefined,
  ) {
    super(`Vault answered ${status} for ${path}`);
  }
}

/** A 2xx answer whose body is not the JSON object Vault sends. */
export class VaultShapeError extends Error {
  override name = 'VaultShapeError';
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`Vault's answer for ${path} ${why}`);
  }
}

export interface VaultClient {
  readonly address: string;
  /** Sends one request; resolves with the JSON body (undefined for 204) or throws VaultHttpError / a network error. */
  send(request: VaultRequest): Promise<Record<string, unknown> | undefined>;
  close(): void;
}

const MAX_BODY = 8 * 1024 * 1024;
const MAX_REDIRECTS = 2;

/** Makes the client of one run; `namespace` is sent as X-Vault-Namespace on every request. */
export function createVaultClient(options: {
  address: VaultAddress;
  namespace?: string | undefined;
  tls: VaultTls;
  /** The run's proxy settings, when a proxy variable is set. */
  proxyEnv?: ProxyEnv | undefined;
  /** The most requests in flight at once (DEFAULT_CONCURRENCY when not given). */
  concurrency?: number | undefined;
  /** Vault's `warnings` of any answer, as the vault CLI prints them. */
  onWarnings?: (path: string, warnings: readonly string[]) => void;
}): VaultClient {
  const { address, namespace, tls } = options;
  const limit = createLimit(options.concurrency);
  const transport = createVaultTransport({
    socketPath: 'socketPath' in address ? address.socketPath : undefined,
    tls,
    proxyEnv: options.proxyEnv,
    maxBodyBytes: MAX_BODY,
  });
  const display = 'url' in address ? address.url.origin : `unix://${address.socketPath}`;

  const sendOnce = (target: URL | undefined, request: VaultRequest): Promise<VaultAnswer> => {
    const query = new URLSearchParams(request.query ?? {}).toString();
    const path = `${target ? target.pathname.replace(/\/$/, '') : ''}/v1/${request.path}${query ? `?${query}` : ''}`;
    const body = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body), 'utf8');
    const headers: Record<string, string> = { Accept: 'application/json' };
    // An empty token (auth `agent`) sends no header: the Vault Agent or Proxy then adds its own.
    if (request.token) headers['X-Vault-Token'] = request.token;
    if (namespace) headers['X-Vault-Namespace'] = namespace;
    if (body) headers['Content-Type'] = 'application/json';
    return transport
      .send(target, { method: request.method, path, headers, body, signal: request.signal })
      .catch((error: VaultNetworkError) => {
        // An untrusted certificate then says "VAULT_CACERT does not hold its CA", not "set VAULT_CACERT".
        if (tls.caVariable !== undefined && error instanceof Error) error.caVariable = tls.caVariable;
        throw error;
      });
  };

  return {
    address: display,
    // At most `limit` requests at once for the whole run (a rate-limit quota counts them all).
    send: (request) => limit(() => send(request)),
    close: () => transport.close(),
  };

  async function send(request: VaultRequest): Promise<Record<string, unknown> | undefined> {
    let target = 'url' in address ? address.url : undefined;
    for (let hop = 0; ; hop++) {
      const { status, headers, text } = await sendOnce(target, request);
      // A standby node that does not forward redirects to the active node (Vault's api client follows it).
      const location = headers.location;
      if ((status === 307 || status === 308) && location && target && hop < MAX_REDIRECTS) {
        const next = new URL(location, target);
        if (next.protocol !== target.protocol)
          throw new VaultHttpError(status, [`redirect to ${next.protocol} refused`], request.path, undefined);
        target = new URL(next.origin);
        continue;
      }
      try {
        return interpret(status, text, request.path, options.onWarnings);
      } catch (error) {
        if (!(error instanceof VaultHttpError)) throw error;
        const wait = retryAfterMs(headers['retry-after']);
        throw new VaultHttpError(error.status, error.errors, error.path, error.body, wait);
      }
    }
  }
}

// Vault's shapes: 2xx with a JSON object (or 204 and nothing); anything else carries {"errors": [...]}.
// Numbers keep their text (a KV value 1.10 or 9007199254740993 is handed on as written).
function interpret(
  status: number,
  text: string,
  path: string,
  onWarnings: ((path: string, warnings: readonly string[]) => void) | undefined,
): Record<string, unknown> | undefined {
  let json: unknown;
  let parsed = false;
  if (text.trim() !== '') {
    try {
      json = parseExactJson(text);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  const object =
    parsed && json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  const warnings = Array.isArray(object?.warnings) ? object.warnings.filter((w) => typeof w === 'string') : [];
  if (warnings.length > 0) onWarnings?.(path, warnings);
  if (status >= 200 && status < 300) {
    if (text.trim() === '') return undefined;
    if (!object)
      throw new VaultShapeError(
        path,
        parsed ? 'is JSON but not an object' : 'is not JSON (is VAULT_ADDR the address of a Vault server?)',
      );
    return object;
  }
  const errors = Array.isArray(object?.errors) ? object.errors.filter((e): e is string => typeof e === 'string') : [];
  throw new VaultHttpError(status, errors, path, object);
}

/** Encodes each segment of a logical path for the URL, keeping the '/' between them. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
