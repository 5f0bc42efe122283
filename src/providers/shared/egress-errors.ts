// Failures caused by the egress path rather than by the store, in one wording for every provider: a
// proxy that cannot be reached (Unavailable, naming the proxy with its credentials masked), a proxy that
// wants other credentials (407: Invalid, say what to set), a proxy that refuses the destination, and a
// server certificate that no trusted CA signed (Invalid, naming the host and the variable to set).
import { ProviderError } from '../../errors/errors.js';
import { describeNetworkError, isNetworkErrorCode } from './network-errors.js';
import { activeProxy, activeProxyNames } from './network-setup.js';

/** Node's codes for a server certificate it does not trust. */
const UNTRUSTED =
  /^(UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE)|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED)/;

/** True when `code` says the server's certificate chain ends at no trusted CA. */
export function isUntrustedCertificate(code: string | undefined): boolean {
  return code !== undefined && UNTRUSTED.test(code);
}

/** The Invalid error for an untrusted certificate: names the host and the variables that add a CA. */
export function untrustedCertificate(host: string, code: string, variables: readonly string[]): ProviderError {
  const names = [...variables, 'SECRETS_EXEC_CA_FILE'].filter((v, i, all) => all.indexOf(v) === i);
  const set = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return new ProviderError(
    'Invalid',
    `TLS: the certificate of ${host} is not trusted (${code}): set ${set} to the PEM file of the CA that signed it`,
  );
}

/** The untrusted-certificate error for `host` when that is what `error` (or what it wraps) says. */
export function asUntrusted(error: unknown, host: string, variables: readonly string[]): ProviderError | undefined {
  for (const f of chain(error)) {
    if (typeof f.code === 'string' && isUntrustedCertificate(f.code))
      return new ProviderError('Invalid', untrustedCertificate(host, f.code, variables).message, { cause: error });
  }
  return undefined;
}

type Failure = {
  code?: unknown;
  message?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  cause?: unknown;
  errors?: unknown;
  status?: unknown;
  statusText?: unknown;
  statusCode?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  response?: { status?: unknown };
};

/** The error and what it wraps (cause chains, AggregateError's list), a few levels deep. */
function chain(error: unknown): Failure[] {
  const out: Failure[] = [];
  const visit = (e: unknown, depth: number): void => {
    if (e === null || typeof e !== 'object' || depth > 4) return;
    const f = e as Failure;
    out.push(f);
    visit(f.cause, depth + 1);
    if (Array.isArray(f.errors)) for (const inner of f.errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return out;
}

const PROXY_AUTH =
  'asks for other credentials (407 Proxy Authentication Required): ' +
  'put them in the proxy URL as http://USER:PASSWORD@HOST:PORT (percent-encoded)';

/** A ProviderError when the proxy, not the store, failed the request; undefined otherwise. */
export function proxyFailure(error: unknown): ProviderError | undefined {
  for (const f of chain(error)) {
    const message = typeof f.message === 'string' ? f.message : '';
    // ibm-cloud-sdk-core copies the socket error's code into statusText.
    const code = typeof f.code === 'string' ? f.code : typeof f.statusText === 'string' ? f.statusText : undefined;
    // Node's agents: "Failed to establish tunnel to HOST:PORT via URL: HTTP/1.1 407 …";
    // fetch: "Proxy response (407) !== 200 when HTTP Tunneling".
    const tunnel = code === 'ERR_PROXY_TUNNEL' || /^Proxy response \(\d+\)/.test(message);
    const status = tunnel
      ? Number(/(?:HTTP\/1\.[01] |Proxy response \()(\d{3})/.exec(message)?.[1] ?? 0)
      : [f.status, f.statusCode, f.$metadata?.httpStatusCode, f.response?.status].find((s) => s === 407);
    const named = activeProxyNames();
    const proxy = named ? `the proxy ${named}` : ((tunnel ? describeTunnelProxy(message) : undefined) ?? 'the proxy');
    if (status === 407) return new ProviderError('Invalid', `${proxy} ${PROXY_AUTH}`, { cause: error });
    if (tunnel) {
      const kind = status === 403 ? 'Denied' : 'Unavailable';
      const why = status === 0 ? message.slice(0, 160) : `it answered ${status} to CONNECT`;
      return new ProviderError(kind, `${proxy} did not open a tunnel (${why})`, { cause: error });
    }
    if (isNetworkErrorCode(code)) {
      const used = activeProxy(socketAddress(f, message));
      if (used !== undefined) {
        const why = describeNetworkError({ code });
        return new ProviderError('Unavailable', `the proxy ${used} cannot be reached (${why})`, { cause: error });
      }
    }
  }
  return undefined;
}

// Node names the proxy in its message without credentials ("via http://host:port"); say it the same way.
function describeTunnelProxy(message: string): string | undefined {
  const url = / via (https?:\/\/\S+?):? /.exec(message)?.[1];
  return url === undefined ? undefined : `the proxy ${url.replace(/\/$/, '')}`;
}

// host:port of a socket error: its fields, else its message ("connect ECONNREFUSED 127.0.0.1:3128"), which
// is all that is left once a library has copied the error.
function socketAddress(f: Failure, message: string): string {
  const host = typeof f.address === 'string' ? f.address : typeof f.hostname === 'string' ? f.hostname : undefined;
  if (host !== undefined && typeof f.port === 'number') return `${host}:${f.port}`;
  const found = /\b[A-Z_]+ \[?([\w.:-]+?)\]?:(\d+)$/.exec(message.trim());
  return found ? `${found[1]}:${found[2]}` : '';
}
