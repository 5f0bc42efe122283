// OCI Vault: secret bundles by OCID and by name, signed by Oracle's own code (oci-common). This is the
// provider module that index.ts loads on first use.
//
// References:
//   oci-vault://SECRET_OCID[?version=N|?stage=STAGE][#KEY]        GetSecretBundle
//   oci-vault://VAULT_OCID/NAME[?version=N|?stage=STAGE][#KEY]    GetSecretBundleByName
//   secret://NAME → the secret NAME in the vault $SECRETS_EXEC_OCI_VAULT_ID.
//   STAGE is CURRENT, PENDING, LATEST, PREVIOUS or DEPRECATED; without either, OCI gives CURRENT.
// Environment (ctx.env): SECRETS_EXEC_OCI_AUTH or OCI_CLI_AUTH (api_key | resource_principal |
//   instance_principal | oke_workload_identity), OCI_REGION, SECRETS_EXEC_OCI_ENDPOINT, SECRETS_EXEC_OCI_VAULT_ID,
//   SECRETS_EXEC_METADATA_URL, SECRETS_EXEC_OCI_FEDERATION_ENDPOINT, and each mode's own variables
//   (api-key.ts, principals.ts, oke.ts); the order in which a mode is chosen is in auth.ts.
// Calls: GET /20190301/secretbundles/{id}, POST /20190301/secretbundles/actions/getByName (client.ts),
//   and, by the SDK, an instance principal's metadata and /v1/x509, or OKE's proxymux.
// Values: the bundle's BASE64 content, which must decode to UTF-8 text; `check` shows the version number
//   and stages.
// The implementation (and Oracle's SDK with it) loads on the first fetch.
import type { ProviderInstance, ProviderModule } from '../../resolve/types.js';
import { classifyOciError } from './errors.js';
import { mapGenericName } from './request.js';

export const ociProvider: ProviderModule = {
  create(ctx): ProviderInstance {
    let run: Promise<ProviderInstance> | undefined;
    const load = (): Promise<ProviderInstance> => (run ??= import('./run.js').then((m) => m.createOciRun(ctx)));
    return {
      mapGeneric: (name) => mapGenericName(name, ctx.env),
      resolve: async (batch) => (await load()).resolve(batch),
      close: async () => {
        if (run) await (await run).close();
      },
    };
  },
  classify: classifyOciError,
};
