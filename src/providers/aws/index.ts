// The AWS provider's descriptor: cheap to import; `load()` brings in its clients (aws.ts) on first use.
import type { ProviderDescriptor } from '../../resolve/types.js';
import { platform } from './platform.js';
import { NETWORK_ENV } from '../shared/network-env.js';

export const aws: ProviderDescriptor = {
  name: 'aws',
  schemes: ['aws-sm', 'aws-ssm'],
  tier: 'cloud',
  credentialEnv: [],
  env: [
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_PROFILE',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ROLE_ARN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    'AWS_EC2_METADATA_DISABLED',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    'AWS_ENDPOINT_URL_SSM',
    // Read by the SDK itself, for the STS call of web identity (IRSA) credentials.
    'AWS_ENDPOINT_URL_STS',
    'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
    'AWS_CA_BUNDLE',
    // HTTPS_PROXY, HTTP_PROXY, NO_PROXY, SECRETS_EXEC_CA_FILE, SSL_CERT_FILE: read for this provider's
    // requests by the shared egress code (docs/network.md).
    ...NETWORK_ENV,
  ],
  platform,
  load: async () => (await import('./aws.js')).awsProvider,
};
