// API-key authentication from the OCI CLI's standard places, built with Oracle's own classes
// (ConfigFileReader parses the file, SimpleAuthenticationDetailsProvider carries the key):
//   - env-only form, what containers use: OCI_CLI_USER, OCI_CLI_TENANCY, OCI_CLI_FINGERPRINT,
//     OCI_CLI_KEY_FILE or OCI_CLI_KEY_CONTENT, OCI_CLI_PASSPHRASE, OCI_CLI_REGION;
//   - config file: OCI_CLI_CONFIG_FILE (or the SDKs' OCI_CONFIG_FILE), else ~/.oci/config, profile
//     OCI_CLI_PROFILE (default DEFAULT): user, tenancy, fingerprint, key_file, pass_phrase, region.
// Files are read through ctx.readFile, never by the SDK itself.
import type { ProviderContext } from '../../resolve/types.js';
import { OciAuthError, firstLine, readAuthFile } from './errors.js';
import { loadApiKeyParts, type AuthenticationDetailsProvider } from './sdk.js';

export interface ApiKeySetup {
  readonly label: string;
  readonly provider: AuthenticationDetailsProvider;
  readonly region: string | undefined;
}

type Env = ProviderContext['env'];
type Read = ProviderContext['readFile'];

const ENV_FORM = ['OCI_CLI_USER', 'OCI_CLI_TENANCY', 'OCI_CLI_FINGERPRINT', 'OCI_CLI_KEY_FILE', 'OCI_CLI_KEY_CONTENT'];

/** True when any variable of the env-only form is set (then the form must be complete). */
export function hasEnvApiKey(env: Env): boolean {
  return ENV_FORM.some((name) => (env[name] ?? '') !== '');
}

/** The config file the OCI CLI would read, and whether it was named explicitly. */
export function configFilePath(env: Env): { path: string; explicit: boolean } {
  const named = env.OCI_CLI_CONFIG_FILE || env.OCI_CONFIG_FILE;
  if (named) return { path: expandHome(named, env), explicit: true };
  return { path: expandHome('~/.oci/config', env), explicit: false };
}

/** The API key of the env-only form. */
export async function apiKeyFromEnv(env: Env, readFile: Read): Promise<ApiKeySetup> {
  const missing = ['OCI_CLI_USER', 'OCI_CLI_TENANCY', 'OCI_CLI_FINGERPRINT'].filter((name) => !env[name]);
  if (!env.OCI_CLI_KEY_FILE && !env.OCI_CLI_KEY_CONTENT) missing.push('OCI_CLI_KEY_FILE or OCI_CLI_KEY_CONTENT');
  if (missing.length > 0) {
    throw new OciAuthError('Invalid', `API key from the environment: ${missing.join(', ')} not set`);
  }
  const key = env.OCI_CLI_KEY_CONTENT
    ? unescapeNewlines(env.OCI_CLI_KEY_CONTENT)
    : await readAuthFile(readFile, expandHome(env.OCI_CLI_KEY_FILE ?? '', env), 'OCI_CLI_KEY_FILE');
  const { SimpleProvider } = await loadApiKeyParts();
  const { OCI_CLI_TENANCY: tenancy = '', OCI_CLI_USER: user = '', OCI_CLI_FINGERPRINT: fingerprint = '' } = env;
  const provider = new SimpleProvider(tenancy, user, fingerprint, key, env.OCI_CLI_PASSPHRASE || null);
  return { label: 'api_key (OCI_CLI_* variables)', provider, region: env.OCI_CLI_REGION || undefined };
}

/** The API key of a profile of the OCI CLI's config file. */
export async function apiKeyFromConfigFile(env: Env, readFile: Read, path: string): Promise<ApiKeySetup> {
  const profile = env.OCI_CLI_PROFILE || 'DEFAULT';
  const text = await readAuthFile(readFile, path, 'the OCI config file');
  const { SimpleProvider, ConfigReader } = await loadApiKeyParts();
  let config: ReturnType<typeof ConfigReader.parse>;
  try {
    config = ConfigReader.parse(text, profile);
  } catch (error) {
    throw new OciAuthError('Invalid', `OCI config file ${path}: ${firstLine(error)}`, { cause: error });
  }
  const get = (key: string): string | undefined => config.get(key) ?? undefined;
  const where = `profile ${profile} of ${path}`;
  if (get('security_token_file')) {
    throw new OciAuthError(
      'Invalid',
      `${where} uses a session token (oci session authenticate), which this build does not support: use an API key`,
    );
  }
  const missing = ['user', 'tenancy', 'fingerprint', 'key_file'].filter((key) => !get(key));
  if (missing.length > 0) throw new OciAuthError('Invalid', `${where} lacks ${missing.join(', ')}`);
  const key = await readAuthFile(readFile, expandHome(get('key_file') ?? '', env), `key_file of ${where}`);
  const [tenancy = '', user = '', fingerprint = ''] = [get('tenancy'), get('user'), get('fingerprint')];
  const provider = new SimpleProvider(tenancy, user, fingerprint, key, get('pass_phrase') ?? null);
  return { label: `api_key (${where})`, provider, region: get('region') };
}

function expandHome(path: string, env: Env): string {
  return path.startsWith('~/') && env.HOME ? `${env.HOME.replace(/\/+$/, '')}${path.slice(1)}` : path;
}

// A PEM squeezed into one line of an env file keeps its line breaks as the two characters \n.
function unescapeNewlines(value: string): string {
  return value.includes('\n') ? value : value.replace(/\\n/g, '\n');
}
