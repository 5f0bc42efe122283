// Which identity signs the run's requests. SECRETS_EXEC_OCI_AUTH (or the OCI CLI's OCI_CLI_AUTH) picks
// one; otherwise the first that applies, most specific first:
//   1. resource principal  — OCI_RESOURCE_PRINCIPAL_VERSION is set: the platform (Functions, Container
//      Instances) put it there, so it outranks any key baked into the image;
//   2. API key, env form   — any OCI_CLI_USER / _TENANCY / _FINGERPRINT / _KEY_FILE / _KEY_CONTENT set;
//   3. API key, config file — OCI_CLI_CONFIG_FILE / OCI_CONFIG_FILE set, or ~/.oci/config readable;
//   4. instance principal  — what a compute instance has without any configuration.
// OKE workload identity is never guessed: a pod on OKE also reaches its node's instance principal, and
// which identity a workload should use is the operator's choice (SECRETS_EXEC_OCI_AUTH).
import type { ProviderContext } from '../../resolve/types.js';
import { apiKeyFromConfigFile, apiKeyFromEnv, configFilePath, hasEnvApiKey } from './api-key.js';
import { okeWorkloadIdentity } from './oke.js';
import { instancePrincipal, resourcePrincipal, type PrincipalSetup } from './principals.js';
import type { OciAuthMode, OciSettings } from './settings.js';

export interface AuthSetup extends PrincipalSetup {
  readonly mode: OciAuthMode;
}

/** Builds the run's authentication details provider. */
export async function setUpAuth(settings: OciSettings, ctx: ProviderContext): Promise<AuthSetup> {
  const mode = settings.auth ?? (await chooseMode(ctx));
  ctx.log.debug('oci.auth', `authenticating with ${mode}${settings.auth ? ' (chosen by setting)' : ''}`);
  switch (mode) {
    case 'resource_principal':
      return { mode, ...(await resourcePrincipal(ctx)) };
    case 'instance_principal':
      return { mode, ...(await instancePrincipal(settings)) };
    case 'oke_workload_identity':
      return { mode, ...(await okeWorkloadIdentity(ctx)) };
    case 'api_key': {
      if (hasEnvApiKey(ctx.env)) return { mode, ...(await apiKeyFromEnv(ctx.env, ctx.readFile)) };
      return { mode, ...(await apiKeyFromConfigFile(ctx.env, ctx.readFile, configFilePath(ctx.env).path)) };
    }
  }
}

async function chooseMode(ctx: ProviderContext): Promise<OciAuthMode> {
  const { env } = ctx;
  if (env.OCI_RESOURCE_PRINCIPAL_VERSION) return 'resource_principal';
  if (hasEnvApiKey(env)) return 'api_key';
  const config = configFilePath(env);
  if (config.explicit) return 'api_key';
  try {
    await ctx.readFile(config.path);
    return 'api_key';
  } catch {
    ctx.log.debug('oci.auth', `no OCI config file at ${config.path}: using the instance principal`);
    return 'instance_principal';
  }
}
