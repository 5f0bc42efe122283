// The IBM Cloud Secrets Manager provider's descriptor: cheap to import; `load()` brings in provider.ts (and,
// on the first batch, ibm-cloud-sdk-core) only when a reference needs it. docs/providers/ibm.md documents it.
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';

export const ibm: ProviderDescriptor = {
  name: 'ibm',
  schemes: ['ibm-sm'],
  tier: 'cloud',
  // API keys and tokens that exist only for the secret store; IBM_CLOUD_APIKEY too (--keep-env keeps it).
  credentialEnv: [
    'SECRETS_MANAGER_APIKEY',
    'SECRETS_MANAGER_BEARER_TOKEN',
    'SECRETS_MANAGER_CLIENT_SECRET',
    'IBM_CLOUD_APIKEY',
  ],
  platform,
  load: async () => (await import('./provider.js')).ibmProvider,
};
