// The local development store's descriptor; `load()` brings in the reader (local.ts) on first use.
import type { ProviderDescriptor } from '../../resolve/types.js';

export const local: ProviderDescriptor = {
  name: 'local',
  schemes: ['local'],
  tier: 'development',
  credentialEnv: [],
  env: [],
  // In the automatic chain only when a store was given, and then last (docs/architecture.md).
  signal: (_env, flags) =>
    flags.localFile === undefined
      ? undefined
      : { source: '--local-file', why: 'a local store was given (development only)' },
  unsignalled: '--local-file (not given)',
  hint: 'give --local-file',
  load: async () => (await import('./local.js')).localProvider,
};
