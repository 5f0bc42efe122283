// The IBM provider's settings, read once per run from the wrapper's environment (ctx.env). The variables
// are the ecosystem's: ibm-cloud-sdk-core's external configuration for service `secrets_manager`
// (SECRETS_MANAGER_URL, SECRETS_MANAGER_AUTH_TYPE, SECRETS_MANAGER_APIKEY, …), read with the core's own
// naming rule (prefix, then the rest camel-cased: SECRETS_MANAGER_IAM_PROFILE_ID → iamProfileId) but from
// ctx.env rather than process.env; the core's credentials file (ibm-credentials.env) and VCAP_SERVICES are
// not read. Fallbacks: IBM_CLOUD_SECRETS_MANAGER_URL for the instance URL, IBM_CLOUD_APIKEY for the API key.
// Pure: no SDK, no I/O. Every problem is an Invalid ProviderError naming the variable.
import { ProviderError } from '../../errors/errors.js';
import type { Logger } from '../../log/logger.js';
import { isLoopbackHost } from '../shared/loopback.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The authenticators secrets-exec builds, by the core's AUTH_TYPE names. */
export const AUTH_TYPES = ['iam', 'container', 'vpc', 'bearerToken'] as const;
export type IbmAuthType = (typeof AUTH_TYPES)[number];

export interface IbmAuthSettings {
  readonly type: IbmAuthType;
  /** The core authenticator's constructor options (apikey, url, iamProfileId, crTokenFilename, …). */
  readonly options: Readonly<Record<string, string | boolean>>;
  /** Where the credential came from, for messages (`SECRETS_MANAGER_APIKEY`, `IBM_CLOUD_APIKEY`, …). */
  readonly source: string;
}

export interface IbmSettings {
  /** The instance's endpoint, public or private: https://{instance_id}.{region}.secrets-manager.appdomain.cloud */
  readonly serviceUrl: string;
  readonly disableSsl: boolean;
  readonly auth: IbmAuthSettings;
}

const PREFIX = 'SECRETS_MANAGER_';
const PUBLIC_ENDPOINT = 'https://INSTANCE_ID.REGION.secrets-manager.appdomain.cloud';
/** Service-level properties: the core keeps them out of the authenticator's options. */
const CLIENT_PROPERTIES = ['url', 'disableSsl', 'enableGzip', 'enableRetries', 'maxRetries', 'retryInterval'];

/** The properties the core would read for service `secrets_manager`, from `env`. */
export function readServiceProperties(env: Env): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || value === undefined || value === '') continue;
    const words = name.slice(PREFIX.length).toLowerCase().split('_').filter(Boolean);
    const key = words.map((w, i) => (i === 0 ? w : `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`)).join('');
    properties[key] = value;
  }
  return properties;
}

/** Works out the instance URL and the authenticator's type and options; warns about unverified TLS. */
export function readSettings(env: Env, log: Logger): IbmSettings {
  const properties = readServiceProperties(env);
  const serviceUrl = parseServiceUrl(properties.url, env, log);
  const disableSsl = properties.disableSsl === 'true';
  const auth = readAuth(properties, env);
  if (disableSsl || auth.options.disableSslVerification === true) {
    const which = disableSsl ? 'SECRETS_MANAGER_DISABLE_SSL' : 'SECRETS_MANAGER_AUTH_DISABLE_SSL';
    const risk = 'TLS certificates are NOT verified, so anyone on the network path can read tokens and secrets';
    log.warn('ibm.tls_skip_verify', `${which} is set: ${risk}`);
  }
  return { serviceUrl, disableSsl, auth };
}

function parseServiceUrl(fromCore: string | undefined, env: Env, log: Logger): string {
  const fallback = env.IBM_CLOUD_SECRETS_MANAGER_URL ? 'IBM_CLOUD_SECRETS_MANAGER_URL' : undefined;
  const variable = fromCore !== undefined ? 'SECRETS_MANAGER_URL' : fallback;
  if (variable === undefined) {
    throw new ProviderError(
      'Invalid',
      `no Secrets Manager instance: set SECRETS_MANAGER_URL to ${PUBLIC_ENDPOINT} (or the private endpoint ` +
        'https://INSTANCE_ID.private.REGION.secrets-manager.appdomain.cloud)',
    );
  }
  const text = env[variable] ?? '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProviderError('Invalid', `${variable} is not a URL: write ${PUBLIC_ENDPOINT}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderError('Invalid', `${variable} must be an https:// URL`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ProviderError('Invalid', `${variable} must not have a query or a fragment`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    const risk = 'tokens and secrets cross the network unencrypted';
    log.warn('ibm.plain_http', `${variable} ${url.origin} is plain http: ${risk}`);
  }
  // The API lives under /api/v2; an instance URL copied with its /api suffix (as the console shows it) still works.
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api$/, '')}`;
}

function readAuth(properties: Record<string, string>, env: Env): IbmAuthSettings {
  const options: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (!CLIENT_PROPERTIES.includes(key) && key !== 'authType' && key !== 'authtype') options[key] = value;
  }
  // As the core's getAuthenticatorFromEnvironment: AUTH_URL and AUTH_DISABLE_SSL are the authenticator's.
  delete options.authUrl;
  delete options.authDisableSsl;
  if (properties.authUrl !== undefined) options.url = properties.authUrl;
  if (properties.authDisableSsl === 'true') options.disableSslVerification = true;
  let source = 'SECRETS_MANAGER_APIKEY';
  if (options.apikey === undefined && env.IBM_CLOUD_APIKEY) {
    options.apikey = env.IBM_CLOUD_APIKEY;
    source = 'IBM_CLOUD_APIKEY';
  }
  const type = chooseType(properties.authType ?? properties.authtype, options);
  if (type === 'container') source = 'the compute-resource token file';
  if (type === 'vpc') {
    source = 'the VPC instance metadata service';
    // Detection's metadata address (tests point it at loopback) is also where the VPC token comes from.
    if (options.url === undefined && env.SECRETS_EXEC_METADATA_URL) options.url = env.SECRETS_EXEC_METADATA_URL;
  }
  if (type === 'bearerToken') source = 'SECRETS_MANAGER_BEARER_TOKEN';
  return { type, options, source };
}

// The core's rule: an explicit AUTH_TYPE (case-insensitive), else iam with an API key, else container.
function chooseType(explicit: string | undefined, options: Record<string, string | boolean>): IbmAuthType {
  if (explicit === undefined) return options.apikey !== undefined ? 'iam' : 'container';
  const type = AUTH_TYPES.find((t) => t.toLowerCase() === explicit.trim().toLowerCase());
  if (type === undefined) {
    const known = AUTH_TYPES.join(', ');
    throw new ProviderError('Invalid', `SECRETS_MANAGER_AUTH_TYPE '${explicit}' is not supported: use one of ${known}`);
  }
  return type;
}

/** The secret group `secret://NAME` looks in (SECRETS_EXEC_IBM_SECRET_GROUP, default `default`). */
export function getGenericGroup(env: Env): string {
  return env.SECRETS_EXEC_IBM_SECRET_GROUP || 'default';
}
