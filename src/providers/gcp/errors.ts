// How Google Secret Manager failures become the reason classes, in one place. Google's REST
// errors carry {"error": {"code", "message", "status"}} (the google.rpc.Status model, HTTP-mapped):
//   404 NOT_FOUND → NotFound; 400 FAILED_PRECONDITION "… is in DISABLED|DESTROYED state" → NotFound naming
//   the state; 403 PERMISSION_DENIED → Denied naming secretmanager.versions.access on the resource;
//   401 UNAUTHENTICATED → Denied ("credentials rejected", naming the credential source); 429, 5xx,
//   UNAVAILABLE, refused or reset connections → Unavailable (retried centrally); other 4xx → Invalid.
// This file is loaded with the descriptor: it imports nothing heavy.
import { ProviderError, type ErrorKind } from '../../errors/errors.js';
import { isNetworkErrorCode } from '../shared/network-errors.js';
import { proxyFailure } from '../shared/egress-errors.js';

/** A non-2xx answer of the Secret Manager API. */
export class GcpApiError extends Error {
  override name = 'GcpApiError';
  constructor(
    readonly status: number,
    /** google.rpc.Code name (`NOT_FOUND`, …) when Google sent one. */
    readonly code: string | undefined,
    /** Google's own message, shortened. */
    readonly said: string,
    /** The version's resource name asked for. */
    readonly resource: string,
    /** Where the credentials came from (`emulator` when none were sent). */
    readonly source: string,
  ) {
    super(`Secret Manager answered ${status}${code ? ` ${code}` : ''} for ${resource}`);
  }
}

/** A 2xx answer that is not the documented AccessSecretVersionResponse, or a payload that fails its checks. */
export class GcpShapeError extends Error {
  override name = 'GcpShapeError';
}

/** Credentials could not be loaded or refreshed; `kind` is decided where the cause is known. */
export class GcpAuthError extends Error {
  override name = 'GcpAuthError';
  /** An Unavailable that is throttling (a 429 from a token endpoint): retried until the deadline. */
  readonly throttled: boolean;
  constructor(
    readonly kind: 'Denied' | 'Unavailable' | 'Invalid',
    message: string,
    options?: { cause?: unknown; throttled?: boolean },
  ) {
    super(message, options);
    this.throttled = options?.throttled === true;
  }
}

const TLS_CODES = /^(UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|ERR_TLS_CERT_ALTNAME_INVALID)/;

/** Turns any failure of the gcp provider into a ProviderError whose message never holds a value or token. */
export function classifyGcpError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const proxied = proxyFailure(error);
  if (proxied) return proxied;
  if (error instanceof GcpApiError) return fromApiError(error);
  if (error instanceof GcpShapeError) return new ProviderError('Invalid', error.message, { cause: error });
  if (error instanceof GcpAuthError)
    return new ProviderError(error.kind, error.message, { cause: error, throttled: error.throttled });
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const name = (error as Error | undefined)?.name;
  if (name === 'AbortError' || code === 'ABORT_ERR') {
    return new ProviderError('Timeout', 'no answer from Secret Manager before the deadline', { cause: error });
  }
  if (code !== undefined && TLS_CODES.test(code)) {
    const message =
      `TLS: the Secret Manager endpoint's certificate is not trusted (${code}); ` +
      'for a private CA, set SECRETS_EXEC_CA_FILE to its PEM file';
    return new ProviderError('Invalid', message, { cause: error });
  }
  // A reset stream or a GOAWAY of an HTTP/2 connection is as transient as a reset socket.
  if (code !== undefined && (isNetworkErrorCode(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_HTTP2'))) {
    return new ProviderError('Unavailable', `cannot reach Secret Manager (${code})`, { cause: error });
  }
  if (error instanceof Error && /socket hang up/i.test(error.message)) {
    return new ProviderError('Unavailable', 'Secret Manager closed the connection', { cause: error });
  }
  return new ProviderError('Invalid', `unexpected ${name ?? 'failure'}${code ? ` (${code})` : ''}`, { cause: error });
}

function fromApiError(error: GcpApiError): ProviderError {
  const { status, code, resource, source } = error;
  const google = error.said === '' ? '' : ` (Google: ${error.said})`;
  const state = /\b(DISABLED|DESTROYED)\b/.exec(error.said)?.[1];
  const make = (kind: ErrorKind, message: string): ProviderError =>
    new ProviderError(kind, `${message}${google}`, { cause: error });
  if (status === 404 || code === 'NOT_FOUND') return make('NotFound', `no secret version ${resource}`);
  if (code === 'FAILED_PRECONDITION' && state !== undefined) {
    return make('NotFound', `version ${resource} is ${state}: enable it, or ask for another version`);
  }
  if (status === 401 || code === 'UNAUTHENTICATED') {
    return make('Denied', `credentials rejected: Secret Manager did not accept the token from ${source}`);
  }
  if (status === 403 || code === 'PERMISSION_DENIED') {
    const secret = resource.replace(/\/versions\/[^/]+$/, '');
    const role = 'role roles/secretmanager.secretAccessor';
    const needs = `needs secretmanager.versions.access on ${secret} (${role})`;
    return make('Denied', `permission denied: the identity from ${source} ${needs}`);
  }
  const answered = `Secret Manager answered ${status}${code ? ` ${code}` : ''} for ${resource}`;
  const throttled = status === 429 || code === 'RESOURCE_EXHAUSTED';
  if (throttled) return new ProviderError('Unavailable', `${answered}${google}`, { cause: error, throttled });
  const transient = status >= 500 || code === 'UNAVAILABLE';
  return make(transient ? 'Unavailable' : 'Invalid', answered);
}
