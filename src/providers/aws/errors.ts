// How AWS failures become the five error kinds (docs/architecture.md; issue #3): the error codes of the Secrets Manager
// and SSM API references, the SDK's credential-chain and region errors, and network errors. Messages say
// what AWS said and what to do; they never hold a value (AWS error messages name resources, not data).
import { ProviderError, type ErrorKind } from '../../errors/errors.js';
import { BodyTooLargeError, isNetworkErrorCode } from '../shared/network-errors.js';
import { isUntrustedCertificate, proxyFailure, untrustedCertificate } from '../shared/egress-errors.js';
import { AWS_CA_VARIABLE } from './transport.js';
import { badCredentialsAnswer } from '../shared/aws-credential-chain.js';

type Env = Readonly<Record<string, string | undefined>>;

// Error codes (the JSON `__type`, the SDK error's `name`, a BatchGetSecretValue `ErrorCode`) by kind.
const CODES: ReadonlyArray<readonly [ErrorKind, readonly string[]]> = [
  ['NotFound', ['ResourceNotFoundException', 'ParameterNotFound', 'ParameterVersionNotFound']],
  [
    'Denied',
    [
      'AccessDeniedException',
      'AccessDenied',
      'UnrecognizedClientException',
      'InvalidClientTokenId',
      'ExpiredTokenException',
      'ExpiredToken',
      'InvalidSignatureException',
      'SignatureDoesNotMatch',
      'IncompleteSignature',
      'MissingAuthenticationTokenException',
      'DecryptionFailure',
      'InvalidKeyId',
    ],
  ],
  [
    'Unavailable',
    [
      'ThrottlingException',
      'Throttling',
      'TooManyRequestsException',
      'RequestLimitExceeded',
      'ThrottledException',
      'RequestThrottled',
      'InternalServiceError',
      'InternalServerError',
      'InternalFailure',
      'ServiceUnavailable',
      'ServiceUnavailableException',
    ],
  ],
];

/** The kind an AWS error code stands for, when the code is one we know. */
export function kindOfCode(code: string): ErrorKind | undefined {
  if (code.startsWith('KMS')) return 'Denied';
  return CODES.find(([, codes]) => codes.includes(code))?.[0];
}

/** A ProviderError for an error code and message AWS returned (a thrown error, or a batch `Errors[]` entry). */
export function errorFromCode(code: string, awsMessage: string | undefined, status?: number): ProviderError {
  const said = awsMessage ? `: AWS says "${clean(awsMessage)}"` : '';
  const kind =
    kindOfCode(code) ?? (status !== undefined && (status >= 500 || status === 429) ? 'Unavailable' : 'Invalid');
  switch (kind) {
    case 'NotFound':
      return new ProviderError('NotFound', `not found (${code})${said}`);
    case 'Denied':
      return new ProviderError('Denied', `${deniedReason(code, awsMessage)} (${code})${said}`);
    case 'Unavailable':
      return new ProviderError(
        'Unavailable',
        `AWS is unavailable or throttling (${code}${status === undefined ? '' : `, HTTP ${status}`})${said}`,
        { throttled: status === 429 || /Throttl|TooManyRequests|LimitExceeded/.test(code) },
      );
    default:
      return new ProviderError(
        kind,
        `AWS refused the request (${code}${status === undefined ? '' : `, HTTP ${status}`})${said}`,
      );
  }
}

// What to tell the user for a denial: the permission AWS named, or the credential problem behind the code.
function deniedReason(code: string, message: string | undefined): string {
  const permission = /not authorized to perform: ([\w-]+:[\w*-]+)/.exec(message ?? '')?.[1];
  if (permission) return `access denied: the caller lacks the IAM permission ${permission}`;
  if (
    code === 'DecryptionFailure' ||
    code === 'InvalidKeyId' ||
    code.startsWith('KMS') ||
    /\bKMS\b|kms:/i.test(message ?? '')
  ) {
    return 'the secret could not be decrypted: the caller needs kms:Decrypt on the KMS key that encrypts it';
  }
  if (code === 'ExpiredTokenException' || code === 'ExpiredToken')
    return 'the AWS session credentials have expired: refresh them';
  if (code === 'UnrecognizedClientException' || code === 'InvalidClientTokenId')
    return 'AWS does not recognise the access key or session token';
  if (code === 'InvalidSignatureException' || code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature') {
    return 'AWS rejected the request signature: wrong secret access key, or a clock more than 5 minutes off';
  }
  if (code === 'MissingAuthenticationTokenException') return 'the request carried no AWS credentials';
  return 'access denied';
}

/** An error answer whose body the SDK could not parse (not JSON: HTML, XML, truncated). */
function isUnreadable(error: unknown): boolean {
  const e = (error ?? {}) as { name?: unknown; message?: unknown };
  return e.name === 'SyntaxError' || (typeof e.message === 'string' && /Deserialization error/i.test(e.message));
}

/** A refusal of the action itself (IAM, or a 401/403 whose body is not AWS's): another action may be allowed. */
export function isActionDenied(error: unknown): boolean {
  const e = (error ?? {}) as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return e.name === 'AccessDeniedException' || (isUnreadable(error) && (status === 401 || status === 403));
}

/**
 * Classifies anything an AWS call threw. `env` (the wrapper's environment) makes the "no credentials"
 * message say which sources were configured; without it the message lists them all.
 */
export function classifyAwsError(error: unknown, env?: Env): ProviderError {
  if (error instanceof ProviderError) return error;
  const egress = egressFailure(error, env);
  if (egress) return egress;
  const credentials = badCredentialsAnswer(error, env);
  if (credentials) return credentials;
  const e = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
    $fault?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return new ProviderError(
      'Denied',
      `no AWS credentials could be loaded (${clean(message)}). ${describeCredentialSources(env)}`,
      { cause: error },
    );
  }
  if (message === 'Region is missing') {
    return new ProviderError(
      'Invalid',
      'no AWS region: set AWS_REGION, write the reference as an ARN, or add ?region=REGION',
      { cause: error },
    );
  }
  if (/^Region not accepted|^Invalid region in client config/.test(message)) {
    // Regions from the environment and references are checked before; this one came from the AWS profile.
    return new ProviderError(
      'Invalid',
      'the AWS region is not a region name (check the region of the AWS profile in ~/.aws/config or ' +
        'AWS_CONFIG_FILE): set AWS_REGION, or add ?region=REGION',
      { cause: error },
    );
  }
  if (name === 'AbortError')
    return new ProviderError('Timeout', 'AWS did not answer before the --timeout deadline', { cause: error });
  // Before the unreadable-body case: the SDK adds "Deserialization error" to whatever its parser threw.
  if (error instanceof BodyTooLargeError)
    return new ProviderError(
      'Invalid',
      `AWS answered with more than ${error.limit} bytes, which is not read further (a wrong endpoint?)`,
      { cause: error },
    );
  const code = typeof e.code === 'string' ? e.code : '';
  if (isNetworkErrorCode(code) || name === 'TimeoutError') {
    return new ProviderError('Unavailable', `cannot reach AWS (${code || name})`, { cause: error });
  }
  const status = e.$metadata?.httpStatusCode;
  // A body the SDK could not parse: the raw text may be anything, so it is never quoted. The status says
  // what happened (a proxy's HTML 403, an XML AccessDenied from a gateway); the body only adds detail.
  if (isUnreadable(error)) {
    if (status === 401 || status === 403)
      return new ProviderError(
        'Denied',
        `access denied: AWS (or a proxy in front of it) answered HTTP ${status} with a body that is not AWS's JSON`,
        { cause: error },
      );
    if (status !== undefined && (status >= 500 || status === 429))
      return new ProviderError('Unavailable', `AWS answered HTTP ${status} with an unreadable body`, { cause: error });
    return new ProviderError(
      'Invalid',
      `AWS answered${status === undefined ? '' : ` HTTP ${status}`} with a body that is not valid JSON ` +
        '(a proxy in the way, or a wrong endpoint?)',
      { cause: error },
    );
  }
  if (e.$fault !== undefined || e.$metadata !== undefined) {
    return withCause(errorFromCode(name || 'UnknownError', message || undefined, status), error);
  }
  return new ProviderError('Invalid', `the AWS SDK failed (${name || 'unknown error'})`, { cause: error });
}

/** Where the SDK's default chain looked for credentials, with what the environment says about each. */
export function describeCredentialSources(env?: Env): string {
  const set = (name: string): string => (env === undefined ? name : `${name}${env[name] ? '' : ' (not set)'}`);
  const profile = env?.AWS_PROFILE ?? 'default';
  const imds =
    env?.AWS_EC2_METADATA_DISABLED && env.AWS_EC2_METADATA_DISABLED !== 'false'
      ? ' (disabled by AWS_EC2_METADATA_DISABLED)'
      : '';
  return [
    'Looked in:',
    `1) environment: ${set('AWS_ACCESS_KEY_ID')} and AWS_SECRET_ACCESS_KEY;`,
    `2) shared files ${env?.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'} and ` +
      `${env?.AWS_CONFIG_FILE ?? '~/.aws/config'}, profile '${profile}' (static keys, SSO, credential_process);`,
    `3) web identity / IRSA: ${set('AWS_WEB_IDENTITY_TOKEN_FILE')} with AWS_ROLE_ARN;`,
    `4) ECS / EKS Pod Identity container credentials: ${set('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')} ` +
      'or AWS_CONTAINER_CREDENTIALS_FULL_URI;',
    `5) EC2 instance metadata (IMDSv2)${imds}.`,
    'Give the task or pod an IAM role, or set one of these.',
  ].join(' ');
}

// An AWS message is made one printable line of bounded length before it is quoted.
function clean(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

// The same error with its cause attached; whether it is throttling (and a Retry-After) is kept, since the
// engine's retry policy depends on it.
function withCause(error: ProviderError, cause: unknown): ProviderError {
  return new ProviderError(error.kind, error.message, {
    cause,
    throttled: error.throttled === true,
    retryAfterMs: error.retryAfterMs,
  });
}

// A proxy that failed the request, or an endpoint whose certificate no trusted CA signed (the host is the
// configured endpoint when one is set: the SDK's error does not carry it).
function egressFailure(error: unknown, env: Env | undefined): ProviderError | undefined {
  const proxied = proxyFailure(error);
  if (proxied) return proxied;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !isUntrustedCertificate(code)) return undefined;
  const endpoint = env?.AWS_ENDPOINT_URL_SECRETS_MANAGER || env?.AWS_ENDPOINT_URL_SSM || env?.AWS_ENDPOINT_URL;
  const host = endpoint ? `the AWS endpoint ${hostOf(endpoint)}` : 'the AWS endpoint';
  return withCause(untrustedCertificate(host, code, [AWS_CA_VARIABLE]), error);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
