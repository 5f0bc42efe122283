// The AWS provider's descriptor: cheap to import; `load()` brings in the SDK clients (aws.ts) on first use.
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';

export const aws: ProviderDescriptor = {
  name: 'aws',
  schemes: ['aws-sm', 'aws-ssm'],
  tier: 'cloud',
  credentialEnv: [],
  platform,
  load: async () => (await import('./aws.js')).awsProvider,
};
