// The OCI provider's descriptor. It has no `load` yet: this build recognises the platform and names the
// provider, and a reference to it fails with "not available in this build".
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';

export const oci: ProviderDescriptor = {
  name: 'oci',
  schemes: ['oci-vault'],
  tier: 'cloud',
  credentialEnv: [],
  platform,
};
