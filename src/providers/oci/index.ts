// The OCI Vault provider's descriptor: cheap to import; `load()` brings in provider.ts (and, on the first
// fetch, oci-common) only when a reference needs it. docs/providers/oci.md documents it.
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';

export const oci: ProviderDescriptor = {
  name: 'oci',
  schemes: ['oci-vault'],
  tier: 'cloud',
  // The API private key and the resource principal's session token and key exist only for secrets-exec.
  credentialEnv: [
    'OCI_CLI_KEY_CONTENT',
    'OCI_CLI_PASSPHRASE',
    'OCI_RESOURCE_PRINCIPAL_RPST',
    'OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM',
    'OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE',
  ],
  platform,
  load: async () => (await import('./provider.js')).ociProvider,
};
