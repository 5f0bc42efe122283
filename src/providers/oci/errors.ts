// How OCI failures become the reason classes (NotFound, Denied, Unavailable, Timeout, Invalid). OCI answers 404
// NotAuthorizedOrNotFound both for a secret that does not exist and for one the principal may not read,
// so NotFound says both. 401 NotAuthenticated (a signature, key or session token it refused) is Denied
// and names the auth mode; 429 and 5xx are Unavailable (retried centrally); other 4xx are Invalid.
// No SDK import here: the engine calls `classifyOciError` without loading the provider.
import { ProviderError } from '../../errors/errors.js';
import { isNetworkErrorCode } from '../shared/network-errors.js';
import { proxyFailure } from '../shared/egress-errors.js';
import { isBodyTooLarge, MAX_FETCHED_BODY } from '../shared/capped-fetch.js';

/** An OCI answer that is not 2xx, with OCI's `{"code", "message"}` when it sent them. */
export class OciHttpError extends Error {
  override name = 'OciHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serviceMessage: string,
    /** `GetSecretBundle`, `GetSecretBundleByName`. */
    readonly operation: string,
    /** The auth mode that signed the request (`api_key (config file …)`, `instance_principal`, …). */
    readonly auth: string,
    readonly requestId: string | undefined,
  ) {
    super(`OCI answered ${status} ${code} to ${operation}`);
  }
}

/** A 2xx answer that is not a secret bundle OCI would send, or content that cannot become a value. */
export class OciShapeError extends Error {
  override name = 'OciShapeError';
}

/** Authentication could not even be set up (no credentials, an unreadable key, a refused federation). */
export class OciAuthError extends Error {
  override name = 'OciAuthError';
  constructor(
    readonly kind: 'Denied' | 'Invalid' | 'Unavailable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Reads a file an authentication mode names (a key, a token, the config file) as text; a failure is an
 * Invalid OciAuthError: "[MODE: ]cannot read WHAT at PATH (CODE)".
 */
export async function readAuthFile(
  readFile: (path: string) => Promise<Buffer>,
  path: string,
  what: string,
  mode?: string,
): Promise<string> {
  try {
    return (await readFile(path)).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    const why = `${mode === undefined ? '' : `${mode}: `}cannot read ${what} at ${path} (${code})`;
    throw new OciAuthError('Invalid', why, { cause: error });
  }
}

// SDK messages can run to several lines of advice; the first says what went wrong.
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

// Getting the key id is where a principal's session token is fetched (metadata, auth service, proxymux):
// a 4xx there is Denied, an unusable key Invalid, anything else (unreachable, 5xx) Unavailable.
/** Classifies a failure of the auth provider while it gets a session token or signs. */
export function authFailure(error: unknown, auth: string): OciAuthError {
  if (isBodyTooLarge(error)) {
    const why = `the auth service's answer is larger than ${MAX_FETCHED_BODY} bytes (is its address right?)`;
    return new OciAuthError('Invalid', `could not sign the request with ${auth}: ${why}`, { cause: error });
  }
  // JSON.parse quotes the text it could not read: the answer (an HTML page, a token cut short) is not repeated.
  if (error instanceof SyntaxError) {
    const why = "the auth service's answer is not a session token (not JSON; is its address right?)";
    return new OciAuthError('Invalid', `could not sign the request with ${auth}: ${why}`, { cause: error });
  }
  const text = firstLine(error);
  const kind = /status: 4\d\d/i.test(text) ? 'Denied' : /key|PEM|parse/i.test(text) ? 'Invalid' : 'Unavailable';
  return new OciAuthError(kind, `could not sign the request with ${auth}: ${text}`, { cause: error });
}

/** Turns any failure of the OCI provider into a ProviderError that never holds a value. */
export function classifyOciError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const proxied = proxyFailure(error);
  if (proxied) return proxied;
  if (error instanceof OciHttpError) return fromStatus(error);
  if (error instanceof OciShapeError) return new ProviderError('Invalid', error.message, { cause: error });
  if (error instanceof OciAuthError) return new ProviderError(error.kind, error.message, { cause: error });
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const name = (error as Error | undefined)?.name;
  if (name === 'AbortError' || code === 'ABORT_ERR') {
    return new ProviderError('Timeout', 'no answer from OCI before the --timeout deadline', { cause: error });
  }
  if (code !== undefined && (isNetworkErrorCode(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
    return new ProviderError('Unavailable', `cannot reach the OCI Secrets endpoint (${code})`, { cause: error });
  }
  if (code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO/.test(code)) {
    const why = `TLS: the OCI endpoint's certificate is not trusted (${code})`;
    return new ProviderError('Invalid', why, { cause: error });
  }
  if (error instanceof Error && /socket hang up/i.test(error.message)) {
    return new ProviderError('Unavailable', 'the OCI Secrets endpoint closed the connection', { cause: error });
  }
  return new ProviderError('Invalid', `unexpected ${name ?? 'failure'}${code ? ` (${code})` : ''}`, { cause: error });
}

function fromStatus(error: OciHttpError): ProviderError {
  const { status, code, operation } = error;
  const said = describe(error);
  if (status === 404) {
    return new ProviderError(
      'NotFound',
      `${operation}: not found, or this principal may not read it (policy: \`read secret-bundles\`)${said}`,
      { cause: error },
    );
  }
  if (status === 401) {
    return new ProviderError(
      'Denied',
      `${operation}: OCI refused the request's signature (${code || 'NotAuthenticated'}) signed with ${error.auth}: ` +
        'check the key, its fingerprint, the user and tenancy OCIDs, or the session token and the clock',
      { cause: error },
    );
  }
  if (status === 403) {
    return new ProviderError('Denied', `${operation}: forbidden (${error.auth})${said}`, { cause: error });
  }
  if (status === 429 || status >= 500) {
    return new ProviderError('Unavailable', `${operation}: OCI answered ${status}${said}`, {
      cause: error,
      throttled: status === 429,
    });
  }
  return new ProviderError('Invalid', `${operation}: OCI answered ${status}${said}`, { cause: error });
}

// OCI's code and message, short, plus the request id that Oracle support asks for. A service message
// names parameters and OCIDs, never a secret's content (it is not in the request).
function describe(error: OciHttpError): string {
  const message = error.serviceMessage.replace(/\s+/g, ' ').trim();
  const parts = [error.code, message.length > 200 ? `${message.slice(0, 200)}…` : message].filter(Boolean).join(': ');
  const id = error.requestId ? `; opc-request-id ${error.requestId}` : '';
  return parts || id ? ` [${parts}${id}]` : '';
}
