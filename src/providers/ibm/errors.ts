// How IBM failures become the five kinds of ProviderError. The core turns every HTTP failure into an Error with
// `status` (the HTTP status; 0/undefined when nothing answered), `statusText` (the network code then),
// `message` (the service's own `errors[0].message` or IAM's `errorMessage`) and `result` (the parsed body).
//   Secrets Manager: 404 → NotFound; 401/403 → Denied naming the IAM action secrets-manager.secret.read;
//   429, 5xx, refused or reset connections → Unavailable (retried centrally); 400 and others → Invalid.
//   Token (IbmAuthError): 429, 5xx, network and an answer cut short → Unavailable; a 2xx answer that holds no
//   token (not JSON, HTML, no access_token) or passes the cap → Invalid; anything else → Denied naming the
//   auth type.
//   The run's deadline (an aborted request) → Timeout.
import { ProviderError, type ErrorKind } from '../../errors/errors.js';
import type { IbmAuthType } from './settings.js';
import { isNetworkErrorCode } from '../shared/network-errors.js';
import { isUntrustedCertificate, proxyFailure, untrustedCertificate } from '../shared/egress-errors.js';

// The core's messages for a 2xx token answer it could not use.
const NO_TOKEN = /^(Error processing HTTP response|Access token not present in response)/;

/** A failure to obtain a token, with the auth type it happened in. */
export class IbmAuthError extends Error {
  override name = 'IbmAuthError';
  constructor(
    readonly authType: IbmAuthType,
    readonly source: string,
    cause: unknown,
  ) {
    super(`getting a token with auth type ${authType} failed`, { cause });
  }
}

/** A 2xx answer that is not a JSON object. */
export class IbmShapeError extends Error {
  override name = 'IbmShapeError';
}

interface CoreError {
  status?: unknown;
  statusText?: unknown;
  message?: unknown;
  result?: unknown;
  code?: unknown;
}

// Node's codes for a server certificate it does not trust (no CA bundle can be configured yet).
const TLS_CODES = new RegExp(
  '^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE)' +
    '|CERT_|ERR_TLS_CERT_ALTNAME_INVALID)',
);
const READ_ACTION =
  'the identity needs the SecretsReader role on the secret or its secret group ' +
  '(IAM action secrets-manager.secret.read)';
// Status texts that say nothing the status does not.
const GENERIC = /^(Not Found|Forbidden|Unauthorized|Internal Server Error|Too Many Requests)$/i;

const AUTH_LABEL: Readonly<Record<string, string>> = {
  iam: 'auth type iam (API key)',
  container: 'auth type container (trusted profile, compute-resource token)',
  vpc: 'auth type vpc (trusted profile from the VPC instance metadata service)',
  bearerToken: 'auth type bearerToken',
};

/** Classifies a failure of one request; `what` names it ("secret 0b55…", "kv secret db in secret group default"). */
export function classifyIbmError(error: unknown, what = 'Secrets Manager request'): ProviderError {
  if (error instanceof ProviderError) return error;
  const proxied = proxyFailure(error);
  if (proxied) return proxied;
  if (error instanceof IbmAuthError) return classifyAuth(error);
  const fail = (kind: ErrorKind, message: string): ProviderError =>
    new ProviderError(kind, `${what}: ${message}`, { cause: error });
  if (error instanceof IbmShapeError) return fail('Invalid', error.message);
  const e = (error ?? {}) as CoreError;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const said = serviceSays(e);
  if (isCanceled(e)) return fail('Timeout', 'no answer before the --timeout deadline');
  if (status === undefined) return fromNetwork(e, `${what}: cannot reach Secrets Manager`, error);
  if (status === 404) return fail('NotFound', `not found${said}`);
  if (status === 401) return fail('Denied', `Secrets Manager rejected the IAM access token (HTTP 401)${said}`);
  if (status === 403) return fail('Denied', `access denied (HTTP 403): ${READ_ACTION}${said}`);
  if (status === 429)
    return new ProviderError('Unavailable', `${what}: Secrets Manager answered HTTP 429${said}`, {
      cause: error,
      throttled: true,
    });
  if (status >= 500) return fail('Unavailable', `Secrets Manager answered HTTP ${status}${said}`);
  return fail('Invalid', `Secrets Manager refused the request (HTTP ${status})${said}`);
}

function classifyAuth(error: IbmAuthError): ProviderError {
  const label = AUTH_LABEL[error.authType] ?? `auth type ${error.authType}`;
  const e = (error.cause ?? {}) as CoreError;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.statusText === 'string' ? e.statusText : '';
  if (isCanceled(e)) {
    return new ProviderError('Timeout', `no IAM token (${label}) before the --timeout deadline`, { cause: error });
  }
  if (status === undefined && (isNetworkErrorCode(code) || TLS_CODES.test(code))) {
    return fromNetwork(e, `cannot get an IAM token (${label})`, error);
  }
  if (status === 429 || (status !== undefined && status >= 500)) {
    const message = `cannot get an IAM token (${label}): the token service answered HTTP ${status}`;
    return new ProviderError('Unavailable', message, { cause: error, throttled: status === 429 });
  }
  // The core reports a 2xx whose body never arrived whole (the connection dropped mid-body) with that
  // status: nothing was refused, so it is worth another try.
  if (status !== undefined && status >= 200 && status < 300) {
    const message = `cannot get an IAM token (${label}): the token service's answer was cut short`;
    return new ProviderError('Unavailable', message, { cause: error });
  }
  // An answer that holds no token (not JSON, an HTML page, JSON without access_token) is no refusal of the
  // credential either: the address is not a token service. The core's parser text is not quoted.
  const tooLarge = typeof e.message === 'string' ? /^maxContentLength size of (\d+) exceeded/.exec(e.message) : null;
  if (status === undefined && tooLarge) {
    const message = `no IAM token (${label}): the token service's answer is larger than ${tooLarge[1]} bytes`;
    return new ProviderError('Invalid', message, { cause: error });
  }
  if (status === undefined && typeof e.message === 'string' && NO_TOKEN.test(e.message)) {
    const message = `no IAM token (${label}): the token service's answer holds none (is its address right?)`;
    return new ProviderError('Invalid', message, { cause: error });
  }
  const detail =
    status !== undefined
      ? `HTTP ${status}${errorCode(e)}${serviceSays(e)}`
      : clean(typeof e.message === 'string' ? e.message : 'failed');
  const message = `no IAM token (${label}, credential from ${error.source}): ${detail}`;
  return new ProviderError('Denied', message, { cause: error });
}

function fromNetwork(e: CoreError, prefix: string, cause: unknown): ProviderError {
  const code = typeof e.statusText === 'string' ? e.statusText : typeof e.code === 'string' ? e.code : '';
  if (isUntrustedCertificate(code)) {
    const where = prefix.startsWith('cannot get an IAM token') ? 'the IAM token service' : 'the server';
    return new ProviderError('Invalid', `${prefix}: ${untrustedCertificate(where, code, []).message}`, { cause });
  }
  if (TLS_CODES.test(code)) {
    return new ProviderError('Invalid', `${prefix}: TLS: the server certificate is not trusted (${code})`, { cause });
  }
  const detail = code || clean(typeof e.message === 'string' ? e.message : 'no answer');
  return new ProviderError('Unavailable', `${prefix} (${detail})`, { cause });
}

// axios reports an aborted request as CanceledError ("canceled"), which the core copies into its message.
function isCanceled(e: CoreError): boolean {
  return e.message === 'canceled' || e.code === 'ERR_CANCELED' || e.statusText === 'ERR_CANCELED';
}

// The service's own words, when it sent some: IBM error messages name resources, never secret data.
function serviceSays(e: CoreError): string {
  const message = typeof e.message === 'string' ? clean(e.message) : '';
  return message === '' || GENERIC.test(message) ? '' : `: "${message}"`;
}

// IAM's errorCode (BXNIM0415E: API key not found, …), the documented way to look an IAM failure up.
function errorCode(e: CoreError): string {
  const code = (e.result as { errorCode?: unknown } | undefined)?.errorCode;
  return typeof code === 'string' && /^[A-Z0-9]{1,20}$/.test(code) ? ` ${code}` : '';
}

function clean(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
