// Principals: identities the platform gives a workload, built with Oracle's own provider classes.
//   - resource principal v2.2 (OCI Functions, Container Instances): OCI_RESOURCE_PRINCIPAL_VERSION=2.2,
//     OCI_RESOURCE_PRINCIPAL_RPST (the session token, or an absolute path to it),
//     OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM (the session key, or an absolute path to it),
//     OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE, OCI_RESOURCE_PRINCIPAL_REGION. Read from ctx.env
//     (the SDK's own builder would read process.env and the files itself).
//   - instance principal (compute instances): the SDK reads the instance certificate, key and region
//     from the metadata service (SECRETS_EXEC_METADATA_URL + /opc/v2/) and exchanges them at the auth
//     service (https://auth.REGION.DOMAIN, or SECRETS_EXEC_OCI_FEDERATION_ENDPOINT) for a session token.
import { isAbsolute } from 'node:path';
import type { ProviderContext } from '../../resolve/types.js';
import { OciAuthError, firstLine, readAuthFile } from './errors.js';
import { loadInstancePrincipalBuilder, loadResourcePrincipalParts, type AuthenticationDetailsProvider } from './sdk.js';
import type { OciSettings } from './settings.js';

export interface PrincipalSetup {
  readonly label: string;
  readonly provider: AuthenticationDetailsProvider;
  readonly region: string | undefined;
  close?(): void;
}

/** The resource principal v2.2 of OCI Functions and Container Instances. */
export async function resourcePrincipal(ctx: ProviderContext): Promise<PrincipalSetup> {
  const { env } = ctx;
  const version = env.OCI_RESOURCE_PRINCIPAL_VERSION;
  if (version !== '2.2') {
    const given = version ? `'${version}'` : 'not set';
    const why = `resource principal: OCI_RESOURCE_PRINCIPAL_VERSION is ${given}; this build supports 2.2`;
    throw new OciAuthError('Invalid', why);
  }
  const missing = ['OCI_RESOURCE_PRINCIPAL_RPST', 'OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM'].filter((name) => !env[name]);
  if (missing.length > 0) throw new OciAuthError('Invalid', `resource principal: ${missing.join(', ')} not set`);
  const rpst = (await valueOrFile(ctx, 'OCI_RESOURCE_PRINCIPAL_RPST')).trim();
  const pem = await valueOrFile(ctx, 'OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM');
  const passphrase = env.OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE
    ? await valueOrFile(ctx, 'OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE')
    : undefined;
  const { Provider, KeySupplier, FederationClient } = await loadResourcePrincipalParts();
  let keys: InstanceType<typeof KeySupplier>;
  try {
    keys = new KeySupplier(pem, passphrase?.trim());
  } catch (error) {
    const why = `resource principal: OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM is not a usable key (${firstLine(error)})`;
    throw new OciAuthError('Invalid', why, { cause: error });
  }
  const federation = new FederationClient(rpst, keys);
  // The region is only reported by getRegion(), which the client does not use: the run keeps its own.
  const provider = new Provider(federation, keys, undefined as never);
  return { label: 'resource_principal', provider, region: env.OCI_RESOURCE_PRINCIPAL_REGION || undefined };
}

/** The instance principal of a compute instance. */
export async function instancePrincipal(settings: OciSettings): Promise<PrincipalSetup> {
  const Builder = await loadInstancePrincipalBuilder();
  const builder = new Builder();
  builder.metadataBaseUrl = `${settings.metadataUrl}/opc/v2/`;
  if (settings.federationEndpoint) builder.federationEndpoint = settings.federationEndpoint;
  let provider: Awaited<ReturnType<typeof builder.build>>;
  try {
    provider = await builder.build();
  } catch (error) {
    throw new OciAuthError(
      'Unavailable',
      `instance principal: could not read the instance's identity from the metadata service at ` +
        `${settings.metadataUrl} (${firstLine(error)})`,
      { cause: error },
    );
  }
  return {
    label: 'instance_principal',
    provider,
    region: provider.getRegion()?.regionId,
    close: () => provider.closeProvider(),
  };
}

// The v2.2 contract: an absolute path names a file that holds the value; anything else is the value.
async function valueOrFile(ctx: ProviderContext, name: string): Promise<string> {
  const value = ctx.env[name] ?? '';
  if (!isAbsolute(value)) return value;
  return readAuthFile(ctx.readFile, value, name, 'resource principal');
}
