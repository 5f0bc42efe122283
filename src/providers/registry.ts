// The only list of providers (STYLE §5). Each entry loads its module on first use: the code is bundled
// into the executable, but an SDK is evaluated (and its start-up cost paid) only when a reference
// needs it. An entry without `load` is a provider this build does not have yet.
import { UsageError } from '../log/errors.js';
import type { Scheme } from '../refs/index.js';
import type { Provider } from '../resolve/types.js';

export interface ProviderEntry {
  readonly name: string;
  readonly schemes: readonly Scheme[];
  /** Variables that hold credentials only secrets-exec needs: scrubbed from the child (DESIGN §5). */
  readonly credentialEnv: readonly string[];
  /** Where it stands in the automatic chain (DESIGN §4): Vault, then the detected cloud, then local. */
  readonly tier: 'vault' | 'cloud' | 'local';
  /**
   * Variables whose presence puts this provider in the automatic chain, each with why (the Vault tier:
   * configuration). Clouds are recognised by their platforms instead (platforms.ts).
   */
  readonly signals?: ReadonlyArray<{ readonly env: string; readonly why: string }>;
  readonly load?: () => Promise<Provider>;
}

const ENTRIES: readonly ProviderEntry[] = [
  { name: 'local', schemes: ['local'], tier: 'local', credentialEnv: [], load: async () => (await import('./local.js')).localProvider },
  {
    name: 'vault',
    schemes: ['vault'],
    tier: 'vault',
    signals: [{ env: 'VAULT_ADDR', why: 'the Vault address is set' }],
    credentialEnv: ['VAULT_TOKEN', 'VAULT_ROLE_ID', 'VAULT_SECRET_ID', 'VAULT_WRAPPED_SECRET_ID'],
    load: async () => (await import('./vault.js')).vaultProvider,
  },
  { name: 'aws', schemes: ['aws-sm', 'aws-ssm'], tier: 'cloud', credentialEnv: [], load: async () => (await import('./aws.js')).awsProvider },
  { name: 'gcp', schemes: ['gcp-sm'], tier: 'cloud', credentialEnv: [] },
  {
    name: 'oci',
    schemes: ['oci-vault'],
    tier: 'cloud',
    credentialEnv: [
      'OCI_CLI_KEY_CONTENT',
      'OCI_CLI_PASSPHRASE',
      'OCI_RESOURCE_PRINCIPAL_RPST',
      'OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM',
      'OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE',
    ],
    load: async () => (await import('./oci/index.js')).ociProvider,
  },
  { name: 'ibm', schemes: ['ibm-sm'], tier: 'cloud', credentialEnv: [] },
];

export const PROVIDER_NAMES: readonly string[] = ENTRIES.map((e) => e.name);

/** The entry for a provider name; an unknown name is a usage error that lists the known ones. */
export function getProviderEntry(name: string): ProviderEntry {
  const entry = ENTRIES.find((e) => e.name === name);
  if (!entry) throw new UsageError(`unknown provider '${name}' (known: ${PROVIDER_NAMES.join(', ')})`);
  return entry;
}

/** The entry that serves a scheme directly; `secret://` has none (it goes through the chain). */
export function getEntryForScheme(scheme: Scheme): ProviderEntry | undefined {
  return ENTRIES.find((e) => e.schemes.includes(scheme));
}

/** Every provider entry, in chain order. */
export function listProviderEntries(): readonly ProviderEntry[] {
  return ENTRIES;
}

/** Every variable any provider treats as its own credential. */
export function listCredentialEnv(): string[] {
  return ENTRIES.flatMap((e) => e.credentialEnv);
}

/** True when this build contains the provider's code. */
export function isAvailable(entry: ProviderEntry): boolean {
  return entry.load !== undefined;
}
