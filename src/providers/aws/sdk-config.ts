// The parts of the AWS SDK the provider's own code uses, imported by name: the bundle then evaluates these
// modules only, where `await import('@smithy/core/config')` would evaluate every module of that index (the
// SSO token files' node:crypto among them). Loaded on first use by the provider's clients.
export { SignatureV4 } from '@smithy/signature-v4';
export {
  loadConfig,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
  resolveRegionConfig,
} from '@smithy/core/config';
