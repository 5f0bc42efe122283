// The Google Secret Manager provider's descriptor: cheap to import; `load()` brings in provider.ts (and, on
// the first batch, google-auth-library) only when a reference needs it. docs/providers/gcp.md documents it.
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';

export const gcp: ProviderDescriptor = {
  name: 'gcp',
  schemes: ['gcp-sm'],
  tier: 'cloud',
  // Google credentials are not scrubbed: the program may use Google APIs itself (as with AWS).
  credentialEnv: [],
  platform,
  load: async () => (await import('./provider.js')).gcpProvider,
};
