// The Google Secret Manager provider's descriptor: cheap to import; `load()` brings in provider.ts (and, on
// the first batch, google-auth-library) only when a reference needs it. docs/providers/gcp.md documents it.
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';
import { NETWORK_ENV } from '../shared/network-env.js';

export const gcp: ProviderDescriptor = {
  name: 'gcp',
  schemes: ['gcp-sm'],
  tier: 'cloud',
  // Google credentials are not scrubbed: the program may use Google APIs itself (as with AWS).
  credentialEnv: [],
  env: [
    'GOOGLE_APPLICATION_CREDENTIALS',
    'GOOGLE_CLOUD_PROJECT',
    'GOOGLE_CLOUD_QUOTA_PROJECT',
    'CLOUDSDK_CONFIG',
    'CLOUDSDK_CORE_PROJECT',
    'GCE_METADATA_HOST',
    'METADATA_SERVER_DETECTION',
    'SECRET_MANAGER_EMULATOR_HOST',
    'SECRETS_EXEC_GCP_ENDPOINT',
    // HTTPS_PROXY, HTTP_PROXY, NO_PROXY, SECRETS_EXEC_CA_FILE, SSL_CERT_FILE: read for this provider's
    // requests by the shared egress code (docs/network.md).
    ...NETWORK_ENV,
    // Read by google-auth-library itself for an X.509 credential source (checked first: library-files.ts).
    'GOOGLE_API_CERTIFICATE_CONFIG',
  ],
  platform,
  load: async () => (await import('./provider.js')).gcpProvider,
};
