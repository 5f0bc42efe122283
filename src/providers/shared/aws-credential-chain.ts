// The SDK's default credential chain, with its failures marked as such: an answer the chain read itself
// (STS for web identity or an assumed role, SSO, the container credentials endpoint, the instance metadata)
// that is too large or not what AWS sends is then reported as a bad credentials answer naming its source,
// not as a bad Secrets Manager or SSM answer. The chain itself is the SDK's, untouched.
import { ProviderError } from '../../errors/errors.js';
import { AwsAnswerTooLargeError } from './aws-body-cap.js';
import { BodyTooLargeError } from './network-errors.js';

type Env = Readonly<Record<string, string | undefined>>;
type DefaultProvider = typeof import('@aws-sdk/credential-provider-node').defaultProvider;

// Set on whatever the chain threw (an SDK error object): it survives the client's own rethrows.
const FROM_CHAIN = Symbol.for('secrets-exec.aws-credential-chain');

/** A `credentialDefaultProvider` for an SDK client: the SDK's default chain, marking what it throws. */
export async function markedDefaultProvider(): Promise<DefaultProvider> {
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return (init) => {
    const chain = defaultProvider(init);
    return async (options) => {
      try {
        return await chain(options);
      } catch (error) {
        if (typeof error === 'object' && error !== null && !Object.isFrozen(error))
          Object.defineProperty(error, FROM_CHAIN, { value: true });
        throw error;
      }
    };
  };
}

/**
 * True when the SDK's default chain will answer with its first link, the environment keys, and so make no
 * request: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set and no AWS_PROFILE (which makes it skip them).
 * `env` is the wrapper's environment, a copy of the process's, which the chain reads.
 */
export function chainTakesEnvironmentKeys(env: Env): boolean {
  return Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && !env.AWS_PROFILE);
}

/** The source the default chain took, as far as the environment tells (the shared files are not read). */
export function credentialSource(env: Env): string {
  if (env.AWS_PROFILE) return `the AWS profile '${env.AWS_PROFILE}' (STS AssumeRole, SSO or credential_process)`;
  if (chainTakesEnvironmentKeys(env)) return 'the environment keys';
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN)
    return 'web identity (STS AssumeRoleWithWebIdentity, AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)';
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)
    return 'the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)';
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    return 'the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI)';
  return 'the EC2 instance metadata service';
}

/**
 * A failure of the credential chain whose answer was too large or unreadable, as Invalid naming the source
 * and never quoting the answer; undefined for anything else (left to the general classification).
 */
export function badCredentialsAnswer(error: unknown, env: Env | undefined): ProviderError | undefined {
  const e = (error ?? {}) as Parameters<typeof isMalformed>[0] & { [FROM_CHAIN]?: true };
  if (e[FROM_CHAIN] !== true) return undefined;
  const source = env === undefined ? 'the AWS credential chain' : credentialSource(env);
  if (error instanceof BodyTooLargeError) {
    const host = error instanceof AwsAnswerTooLargeError && error.host ? ` (from ${error.host})` : '';
    return new ProviderError(
      'Invalid',
      `the credentials answer of ${source}${host} has more than ${error.limit} bytes, which are not read further`,
      { cause: error },
    );
  }
  if (!isMalformed(e)) return undefined;
  return new ProviderError(
    'Invalid',
    `the credentials answer of ${source} is not what AWS sends (an HTML page, a cut-short body, or no keys: ` +
      'a proxy in the way, or a wrong endpoint?)',
    { cause: error },
  );
}

// What the SDK throws for a body it could not parse, or a parsed answer without credentials in it.
function isMalformed(e: { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } }): boolean {
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 400 || status < 200)) return false;
  const message = typeof e.message === 'string' ? e.message : '';
  return (
    e.name === 'SyntaxError' ||
    /Deserialization error|^Invalid response (from STS|received from instance metadata)/.test(message) ||
    /response not of the required format/.test(message)
  );
}
