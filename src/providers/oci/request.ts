// From a canonical oci-vault:// reference to the API request, and from `secret://NAME` to a reference.
// Pure and SDK-free: index.ts uses `mapGenericName` without loading the provider.
import { ProviderError, ReferenceSyntaxError } from '../../errors/errors.js';
import { parseReference, type Reference } from '../../refs/index.js';
import type { BundleRequest } from './client.js';

const STAGES = ['CURRENT', 'PENDING', 'LATEST', 'PREVIOUS', 'DEPRECATED'];

/** The GetSecretBundle(ByName) parameters of a reference; a bad ?version or ?stage is Invalid. */
export function toBundleRequest(ref: Reference): BundleRequest {
  const [first = '', name] = ref.path.split('/');
  const versionNumber = ref.version;
  if (versionNumber !== undefined && !/^[1-9]\d{0,15}$/.test(versionNumber)) {
    const why = `?version=${versionNumber}: an OCI secret version is a number (1, 2, …); use ?stage= for a stage`;
    throw new ProviderError('Invalid', why);
  }
  const rawStage = ref.params.stage;
  const stage = rawStage?.toUpperCase();
  if (stage !== undefined && !STAGES.includes(stage)) {
    throw new ProviderError('Invalid', `?stage=${rawStage}: an OCI stage is one of ${STAGES.join(', ')}`);
  }
  if (versionNumber !== undefined && stage !== undefined) {
    throw new ProviderError('Invalid', 'give ?version= or ?stage=, not both: OCI selects a version by one of them');
  }
  if (name !== undefined) {
    if (!/^ocid1\.vault\./.test(first)) {
      throw new ProviderError('Invalid', `${first} is not a vault OCID (ocid1.vault.…): oci-vault://VAULT_OCID/NAME`);
    }
    return { vaultId: first, secretName: name, versionNumber, stage };
  }
  if (!/^ocid1\.vaultsecret\./.test(first)) {
    const why = `${first} is not a secret OCID (ocid1.vaultsecret.…); for a name use oci-vault://VAULT_OCID/NAME`;
    throw new ProviderError('Invalid', why);
  }
  return { secretId: first, versionNumber, stage };
}

/** `secret://NAME` → the secret NAME in the vault $SECRETS_EXEC_OCI_VAULT_ID. */
export function mapGenericName(name: string, env: Readonly<Record<string, string | undefined>>): Reference {
  const vaultId = env.SECRETS_EXEC_OCI_VAULT_ID?.trim();
  if (!vaultId) {
    const why = `secret://${name} through OCI needs SECRETS_EXEC_OCI_VAULT_ID (the OCID of the vault holding it)`;
    throw new ProviderError('Invalid', why);
  }
  try {
    return parseReference(`oci-vault://${vaultId}/${name}`);
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) {
      const why = `'${name}' cannot be an OCI secret in SECRETS_EXEC_OCI_VAULT_ID: ${error.message}`;
      throw new ProviderError('Invalid', why);
    }
    throw error;
  }
}
