// The Google provider's descriptor. It has no `load` yet: this build recognises the platform and names the
// provider, and a reference to it fails with "not available in this build".
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';

export const gcp: ProviderDescriptor = {
  name: 'gcp',
  schemes: ['gcp-sm'],
  tier: 'cloud',
  credentialEnv: [],
  platform,
};
