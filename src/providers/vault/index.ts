// The Vault provider's descriptor: cheap to import; `load()` brings in the client (vault.ts) on first use.
import type { ProviderDescriptor } from '../../resolve/types.js';

export const vault: ProviderDescriptor = {
  name: 'vault',
  schemes: ['vault'],
  tier: 'configured',
  credentialEnv: ['VAULT_TOKEN', 'VAULT_ROLE_ID', 'VAULT_SECRET_ID', 'VAULT_WRAPPED_SECRET_ID'],
  // The Vault tier comes first and is decided by its address alone (docs/architecture.md).
  signal: (env) => (env.VAULT_ADDR ? { source: 'VAULT_ADDR', why: 'the Vault address is set' } : undefined),
  unsignalled: 'VAULT_ADDR (not set)',
  hint: 'set VAULT_ADDR',
  load: async () => (await import('./vault.js')).vaultProvider,
};
