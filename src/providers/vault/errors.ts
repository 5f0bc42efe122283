// How Vault failures become the five error kinds (docs/architecture.md), in one table:
//   403 → Denied (naming the path and the capability a GET needs); 404 → NotFound; 400 → Invalid;
//   503 sealed, 429, 412, 472/473 standbys, other 5xx, refused or reset connections → Unavailable (retried
//   centrally); a 2xx body that is not Vault's JSON → Invalid; an untrusted server certificate or a refused
//   client certificate → Invalid, saying which variable to set (retrying or falling through to another
//   tier would not fix it).
import { ProviderError } from '../../errors/errors.js';
import { BodyTooLargeError, isNetworkErrorCode } from '../shared/network-errors.js';
import { proxyFailure } from '../shared/egress-errors.js';
import { VaultHttpError, VaultShapeError, type VaultNetworkError } from './client.js';

/** What the failed request was for, to name in the message. */
interface FailureContext {
  /** `read secret/data/app/db`, `log in with approle at auth/approle`, … */
  readonly action: string;
  /** The capability a policy must grant for the request (`read` for a GET, `update` for a POST). */
  readonly capability?: string;
  /** The API path the policy applies to. */
  readonly apiPath?: string;
  /** Strings that must never appear in a message (tokens, secret ids) even if a server echoes them. */
  readonly redact?: readonly string[];
  /** A login: Vault answers 400 for rejected credentials ("invalid role or secret ID"), which is Denied. */
  readonly login?: boolean;
}

// ENOENT: VAULT_ADDR=unix:///path names a socket that is not there (yet): Vault Agent not up.
const isUnreachable = (code: string): boolean => isNetworkErrorCode(code) || code === 'ENOENT';
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

// The server's TLS alerts about the client's certificate (none sent, or one it does not accept).
const CLIENT_CERT_ALERT = new RegExp(
  'ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|' +
    'CERTIFICATE_EXPIRED|ACCESS_DENIED)$',
);

/** Turns any failure of a Vault request into a ProviderError whose message names the action, never a value. */
export function toProviderError(error: unknown, context: FailureContext, address: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const { action } = context;
  const proxied = proxyFailure(error);
  if (proxied) return new ProviderError(proxied.kind, `${action}: ${proxied.message}`, { cause: error });
  if (error instanceof VaultHttpError) return fromStatus(error, context);
  if (error instanceof VaultShapeError)
    return new ProviderError('Invalid', `${action}: ${error.why}`, { cause: error });
  if (error instanceof BodyTooLargeError)
    return new ProviderError('Invalid', `${action}: ${error.message}`, { cause: error });
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const name = (error as Error | undefined)?.name;
  if (name === 'AbortError' || code === 'ABORT_ERR')
    return new ProviderError('Timeout', `${action}: no answer from Vault before the --timeout deadline`, {
      cause: error,
    });
  const caVariable = (error as VaultNetworkError | undefined)?.caVariable;
  if (code !== undefined && TLS_CODES.has(code) && caVariable !== undefined) {
    return new ProviderError(
      'Invalid',
      `${action}: TLS: the certificate of ${address} is not trusted (${code}); ` +
        `the CA certificates in ${caVariable} (which replace the default roots) did not sign it: ` +
        `check that ${caVariable} names the CA of this server`,
      { cause: error },
    );
  }
  if (code !== undefined && TLS_CODES.has(code)) {
    return new ProviderError(
      'Invalid',
      `${action}: TLS: the certificate of ${address} is not trusted (${code}); ` +
        'set VAULT_CACERT to the CA certificate that signed it (or VAULT_CAPATH to a directory of them; ' +
        'SECRETS_EXEC_CA_FILE adds it to the default roots instead)',
      { cause: error },
    );
  }
  // A trusted certificate issued for another name: VAULT_CACERT would not help (it may well be set).
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new ProviderError(
      'Invalid',
      `${action}: TLS: the certificate of ${address} does not name that host (${code}); ` +
        'write VAULT_ADDR with a host name the certificate lists',
      { cause: error },
    );
  }
  // https:// to a server that answers plain http: the handshake reads an HTTP response as a TLS record.
  if (code === 'EPROTO' || (code === 'ERR_SSL_WRONG_VERSION_NUMBER' && /^https:/.test(address))) {
    return new ProviderError(
      'Invalid',
      `${action}: TLS handshake with ${address} failed (${code}): does the server speak plain http? ` +
        'then write VAULT_ADDR as http://',
      { cause: error },
    );
  }
  if (code !== undefined && CLIENT_CERT_ALERT.test(code)) {
    return new ProviderError(
      'Invalid',
      `${action}: TLS: ${address} refused our client certificate (${code}); ` +
        'set VAULT_CLIENT_CERT and VAULT_CLIENT_KEY to a certificate it accepts',
      { cause: error },
    );
  }
  if (code !== undefined && (isUnreachable(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
    return new ProviderError('Unavailable', `${action}: cannot reach Vault at ${address} (${code})`, { cause: error });
  }
  if (error instanceof Error && /socket hang up|EOF/i.test(error.message)) {
    return new ProviderError('Unavailable', `${action}: Vault at ${address} closed the connection`, { cause: error });
  }
  return new ProviderError('Invalid', `${action}: unexpected ${name ?? 'failure'}${code ? ` (${code})` : ''}`, {
    cause: error,
  });
}

function fromStatus(error: VaultHttpError, context: FailureContext): ProviderError {
  const { action } = context;
  const said = describeErrors(error.errors, context.redact ?? []);
  // Vault's own words when they add something ("permission denied" alone does not).
  const vault = said === '' || said === 'permission denied' ? '' : ` (Vault: ${said})`;
  const status = error.status;
  if (status === 403 || status === 401 || (status === 400 && context.login === true)) {
    const need =
      context.capability && context.apiPath
        ? `: the token's policies must grant '${context.capability}' on ${context.apiPath}, ` +
          'or the token is invalid or expired'
        : '';
    return new ProviderError('Denied', `${action}: permission denied${vault}${need}`, { cause: error });
  }
  if (status === 404)
    return new ProviderError('NotFound', `${action}: no secret at this path${vault}`, { cause: error });
  if (status === 503 && /sealed/i.test(said))
    return new ProviderError('Unavailable', `${action}: Vault is sealed`, { cause: error });
  if (status === 429 || status === 412 || status === 472 || status === 473 || status >= 500) {
    return new ProviderError('Unavailable', `${action}: Vault answered ${status}${vault}`, {
      cause: error,
      retryAfterMs: error.retryAfterMs,
      throttled: status === 429,
    });
  }
  return new ProviderError('Invalid', `${action}: Vault answered ${status}${vault}`, { cause: error });
}

// Vault's errors are go-multierror text ("1 error occurred:\n\t* permission denied\n\n"): keep the
// sentences, on one line, short, and without anything we sent it.
function describeErrors(errors: readonly string[], redact: readonly string[]): string {
  let text = errors
    .join('; ')
    .replace(/\d+ errors? occurred:/g, '')
    .replace(/\s*\*\s+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const secret of redact) if (secret.length >= 4) text = text.split(secret).join('[redacted]');
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}
