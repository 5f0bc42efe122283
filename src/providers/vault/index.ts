// The Vault provider's descriptor: cheap to import; `load()` brings in the client (vault.ts) on first use.
import type { ProviderDescriptor } from '../../resolve/types.js';
import { NETWORK_ENV } from '../shared/network-env.js';

export const vault: ProviderDescriptor = {
  name: 'vault',
  schemes: ['vault'],
  tier: 'configured',
  credentialEnv: ['VAULT_TOKEN', 'VAULT_ROLE_ID', 'VAULT_SECRET_ID', 'VAULT_WRAPPED_SECRET_ID'],
  env: [
    'VAULT_ADDR',
    'VAULT_AGENT_ADDR',
    'VAULT_TOKEN_FILE',
    'VAULT_ROLE_ID_FILE',
    'VAULT_SECRET_ID_FILE',
    'VAULT_WRAPPED_SECRET_ID_FILE',
    'VAULT_NAMESPACE',
    'VAULT_CACERT',
    'VAULT_CAPATH',
    'VAULT_CLIENT_CERT',
    'VAULT_CLIENT_KEY',
    'VAULT_SKIP_VERIFY',
    'SECRETS_EXEC_VAULT_AUTH',
    'SECRETS_EXEC_VAULT_ROLE',
    'SECRETS_EXEC_VAULT_JWT_FILE',
    'SECRETS_EXEC_VAULT_MOUNT',
    'SECRETS_EXEC_VAULT_AUTH_MOUNT',
    'SECRETS_EXEC_VAULT_APPROLE_MOUNT',
    'SECRETS_EXEC_VAULT_KUBERNETES_MOUNT',
    'SECRETS_EXEC_VAULT_JWT_MOUNT',
    'SECRETS_EXEC_VAULT_AWS_MOUNT',
    'SECRETS_EXEC_VAULT_AWS_REGION',
    'SECRETS_EXEC_VAULT_AWS_SERVER_ID',
    // HTTPS_PROXY, HTTP_PROXY, NO_PROXY, SECRETS_EXEC_CA_FILE, SSL_CERT_FILE: read for this provider's
    // requests by the shared egress code (docs/network.md).
    ...NETWORK_ENV,
  ],
  // The Vault tier comes first and is decided by its address alone (docs/architecture.md).
  signal: (env) =>
    env.VAULT_AGENT_ADDR
      ? { source: 'VAULT_AGENT_ADDR', why: 'a Vault Agent or Vault Proxy address is set' }
      : env.VAULT_ADDR
        ? { source: 'VAULT_ADDR', why: 'the Vault address is set' }
        : undefined,
  unsignalled: 'VAULT_ADDR (not set)',
  hint: 'set VAULT_ADDR',
  load: async () => (await import('./vault.js')).vaultProvider,
};
