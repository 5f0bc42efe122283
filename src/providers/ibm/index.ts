// The IBM Cloud Secrets Manager provider's descriptor: cheap to import; `load()` brings in provider.ts (and,
// on the first batch, ibm-cloud-sdk-core) only when a reference needs it. docs/providers/ibm.md documents it.
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';
import { NETWORK_ENV } from '../shared/network-env.js';

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
  env: [
    'SECRETS_MANAGER_URL',
    'IBM_CLOUD_SECRETS_MANAGER_URL',
    'SECRETS_MANAGER_AUTH_TYPE',
    'SECRETS_MANAGER_AUTH_URL',
    'SECRETS_MANAGER_IAM_PROFILE_ID',
    'SECRETS_MANAGER_IAM_PROFILE_NAME',
    'SECRETS_MANAGER_IAM_PROFILE_CRN',
    'SECRETS_MANAGER_CR_TOKEN_FILENAME',
    'SECRETS_MANAGER_DISABLE_SSL',
    'SECRETS_MANAGER_AUTH_DISABLE_SSL',
    'SECRETS_EXEC_IBM_SECRET_GROUP',
    'SECRETS_EXEC_METADATA_URL',
    // HTTPS_PROXY, HTTP_PROXY, NO_PROXY, SECRETS_EXEC_CA_FILE, SSL_CERT_FILE: read for this provider's
    // requests by the shared egress code (docs/network.md).
    ...NETWORK_ENV,
  ],
  platform,
  load: async () => (await import('./provider.js')).ibmProvider,
};
