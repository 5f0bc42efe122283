// The OCI provider's settings, read from the run's environment (never process.env). Standard OCI
// variables first (OCI_CLI_AUTH, OCI_REGION, OCI_CLI_* of the OCI CLI, OCI_RESOURCE_PRINCIPAL_*),
// SECRETS_EXEC_OCI_* only where OCI has no standard. Pure: files are read later, by auth.ts.
import { ProviderError } from '../../errors/errors.js';

export const AUTH_MODES = ['api_key', 'resource_principal', 'instance_principal', 'oke_workload_identity'] as const;
export type OciAuthMode = (typeof AUTH_MODES)[number];

export interface OciSettings {
  /** An explicit auth mode (SECRETS_EXEC_OCI_AUTH, else OCI_CLI_AUTH); undefined = choose from the environment. */
  readonly auth: OciAuthMode | undefined;
  /** SECRETS_EXEC_OCI_ENDPOINT: the Secrets endpoint (private endpoints, tests); else from the region. */
  readonly endpoint: URL | undefined;
  /** OCI_REGION, else the resource principal's region; the config file or instance metadata may add one later. */
  readonly region: string | undefined;
  /** Base address of the instance metadata service (SECRETS_EXEC_METADATA_URL; tests point it at loopback). */
  readonly metadataUrl: string;
  /** SECRETS_EXEC_OCI_FEDERATION_ENDPOINT: the auth service that issues instance principal session tokens. */
  readonly federationEndpoint: string | undefined;
  /** SECRETS_EXEC_OCI_VAULT_ID: the vault in which `secret://NAME` is looked up. */
  readonly vaultId: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const OCI_METADATA = 'http://169.254.169.254';

// The OCI CLI's names for the modes, and the spellings its users type.
const MODE_ALIASES: Readonly<Record<string, OciAuthMode>> = {
  api_key: 'api_key',
  apikey: 'api_key',
  resource_principal: 'resource_principal',
  instance_principal: 'instance_principal',
  oke_workload_identity: 'oke_workload_identity',
};

/** Reads and checks the settings; a bad value is an Invalid error that names the variable. */
export function readOciSettings(env: Env): OciSettings {
  return {
    auth: readAuthMode(env),
    endpoint: readEndpoint(env),
    region: nonEmpty(env.OCI_REGION) ?? nonEmpty(env.OCI_RESOURCE_PRINCIPAL_REGION),
    metadataUrl: (nonEmpty(env.SECRETS_EXEC_METADATA_URL) ?? OCI_METADATA).replace(/\/+$/, ''),
    federationEndpoint: nonEmpty(env.SECRETS_EXEC_OCI_FEDERATION_ENDPOINT)?.replace(/\/+$/, ''),
    vaultId: nonEmpty(env.SECRETS_EXEC_OCI_VAULT_ID),
  };
}

function readAuthMode(env: Env): OciAuthMode | undefined {
  const variable = nonEmpty(env.SECRETS_EXEC_OCI_AUTH) !== undefined ? 'SECRETS_EXEC_OCI_AUTH' : 'OCI_CLI_AUTH';
  const raw = nonEmpty(env[variable]);
  if (raw === undefined) return undefined;
  const mode = MODE_ALIASES[raw.toLowerCase().replace(/-/g, '_')];
  if (mode === undefined) {
    const why = `${variable}=${raw} is not an auth mode this build supports (${AUTH_MODES.join(', ')})`;
    throw new ProviderError('Invalid', why);
  }
  return mode;
}

function readEndpoint(env: Env): URL | undefined {
  const raw = nonEmpty(env.SECRETS_EXEC_OCI_ENDPOINT);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const why = 'SECRETS_EXEC_OCI_ENDPOINT is not a URL (https://secrets.vaults.REGION.oci.oraclecloud.com)';
    throw new ProviderError('Invalid', why);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderError('Invalid', `SECRETS_EXEC_OCI_ENDPOINT must be an https:// URL, not ${url.protocol}`);
  }
  return url;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}
