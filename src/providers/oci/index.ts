// The OCI Vault provider's descriptor: cheap to import; `load()` brings in provider.ts (and, on the first
// fetch, oci-common) only when a reference needs it. docs/providers/oci.md documents it.
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';
import { NETWORK_ENV } from '../shared/network-env.js';

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
  env: [
    'SECRETS_EXEC_OCI_AUTH',
    'OCI_CLI_AUTH',
    'OCI_CLI_USER',
    'OCI_CLI_TENANCY',
    'OCI_CLI_FINGERPRINT',
    'OCI_CLI_KEY_FILE',
    'OCI_CLI_REGION',
    'OCI_REGION',
    'OCI_CLI_CONFIG_FILE',
    'OCI_CONFIG_FILE',
    'OCI_CLI_PROFILE',
    'OCI_RESOURCE_PRINCIPAL_REGION',
    'SECRETS_EXEC_OCI_ENDPOINT',
    'SECRETS_EXEC_OCI_VAULT_ID',
    'SECRETS_EXEC_OCI_FEDERATION_ENDPOINT',
    'SECRETS_EXEC_OCI_KUBERNETES_CA_FILE',
    'SECRETS_EXEC_OCI_KUBERNETES_TOKEN_FILE',
    // Read by oci-common itself (checked first: library-files.ts).
    'OCI_DEVELOPER_TOOL_CONFIGURATION_FILE_PATH',
    'KUBERNETES_SERVICE_HOST',
    'KUBERNETES_SERVICE_PORT_PROXYMUX',
    'SECRETS_EXEC_METADATA_URL',
    // HTTPS_PROXY, HTTP_PROXY, NO_PROXY, SECRETS_EXEC_CA_FILE, SSL_CERT_FILE: read for this provider's
    // requests by the shared egress code (docs/network.md).
    ...NETWORK_ENV,
  ],
  platform,
  load: async () => (await import('./provider.js')).ociProvider,
};
