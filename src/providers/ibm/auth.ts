// Authentication through ibm-cloud-sdk-core's own authenticators, one per auth type (loaded lazily, each
// from its own module so that a run evaluates only the one it uses):
//   iam         IamAuthenticator: POST {url}/identity/token, grant urn:ibm:params:oauth:grant-type:apikey
//   container   ContainerAuthenticator: the compute-resource token file (IKS/OpenShift, Code Engine) with a
//               trusted profile, grant urn:ibm:params:oauth:grant-type:cr-token
//   vpc         VpcInstanceAuthenticator: instance identity token, then an IAM token for a trusted profile,
//               from the VPC instance metadata service
//   bearerToken BearerTokenAuthenticator: a token obtained elsewhere
// The core caches the token and shares one request among concurrent callers. Its failures are wrapped in
// IbmAuthError so that classification can tell a refused token from a refused secret.
import type { AuthenticatorInterface } from 'ibm-cloud-sdk-core';
import type { AuthenticateOptions } from 'ibm-cloud-sdk-core/auth/authenticators/authenticator-interface.js';
import type { SDKLogger } from 'ibm-cloud-sdk-core/lib/get-new-logger.js';
import { ProviderError } from '../../errors/errors.js';
import { IbmAuthError } from './errors.js';
import type { IbmAuthSettings, IbmAuthType } from './settings.js';

type Options = Record<string, string | boolean | number>;

/** A cap on token answers (a few KiB), handed to the core's request library: it reads whatever comes. */
export const MAX_TOKEN_BODY = 1024 * 1024;
type Construct = (options: Options) => Promise<AuthenticatorInterface>;

// Deep imports: the package index would evaluate every authenticator and the service base class too.
const CONSTRUCTORS: Readonly<Record<IbmAuthType, Construct>> = {
  iam: async (o) => {
    const { IamAuthenticator } = await import('ibm-cloud-sdk-core/auth/authenticators/iam-authenticator.js');
    return new IamAuthenticator(o as never);
  },
  container: async (o) => {
    const { ContainerAuthenticator } = await import(
      'ibm-cloud-sdk-core/auth/authenticators/container-authenticator.js'
    );
    return new ContainerAuthenticator(o);
  },
  vpc: async (o) => {
    const { VpcInstanceAuthenticator } = await import(
      'ibm-cloud-sdk-core/auth/authenticators/vpc-instance-authenticator.js'
    );
    return new VpcInstanceAuthenticator(o);
  },
  bearerToken: async (o) => {
    const { BearerTokenAuthenticator } = await import(
      'ibm-cloud-sdk-core/auth/authenticators/bearer-token-authenticator.js'
    );
    return new BearerTokenAuthenticator(o as never);
  },
};

/** The core's debug logger prints HTTP bodies (a payload among them) when DEBUG asks for it: never. */
export async function silenceCoreLogger(): Promise<void> {
  // A CommonJS module with `exports.default`: Node's import() puts it at .default.default.
  type LoggerModule = { default: SDKLogger & { default?: SDKLogger } };
  const mod = (await import('ibm-cloud-sdk-core/lib/logger.js')) as unknown as LoggerModule;
  const logger = mod.default.default ?? mod.default;
  for (const level of [logger.error, logger.warn, logger.info, logger.verbose, logger.debug]) level.enabled = false;
}

/** Builds the authenticator of the run; a setting the core refuses is Invalid, naming what to set. */
export async function createAuthenticator(auth: IbmAuthSettings): Promise<AuthenticatorInterface> {
  await silenceCoreLogger();
  let inner: AuthenticatorInterface;
  try {
    // proxy: false — axios would otherwise read the proxy variables itself, and send https requests to the
    // proxy without CONNECT; the proxy is Node's global agent's, with the metadata addresses direct.
    inner = await CONSTRUCTORS[auth.type]({ ...auth.options, proxy: false, maxContentLength: MAX_TOKEN_BODY });
  } catch (error) {
    const why = describeConfigError(auth.type, error);
    throw new ProviderError('Invalid', `auth type ${auth.type}: ${why}`, { cause: error });
  }
  return {
    // Some failures (an unreadable token file) are thrown, not rejected: run it inside the promise chain.
    authenticate: (options: AuthenticateOptions) =>
      Promise.resolve()
        .then(() => inner.authenticate(options))
        .catch((error: unknown) => {
          throw new IbmAuthError(auth.type, auth.source, error);
        }),
    authenticationType: () => inner.authenticationType(),
  };
}

// The core's constructor messages name its option names; say which variables those are.
function describeConfigError(type: IbmAuthType, error: unknown): string {
  const message = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 200) : 'rejected';
  const hint: Record<IbmAuthType, string> = {
    iam: 'set SECRETS_MANAGER_APIKEY (or IBM_CLOUD_APIKEY)',
    container:
      'set SECRETS_MANAGER_IAM_PROFILE_NAME or SECRETS_MANAGER_IAM_PROFILE_ID (and ' +
      'SECRETS_MANAGER_CR_TOKEN_FILENAME when the token is not at a default path)',
    vpc: 'set at most one of SECRETS_MANAGER_IAM_PROFILE_CRN, SECRETS_MANAGER_IAM_PROFILE_ID',
    bearerToken: 'set SECRETS_MANAGER_BEARER_TOKEN',
  };
  return `${message} (${hint[type]})`;
}
