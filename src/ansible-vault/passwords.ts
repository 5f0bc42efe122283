// `--ansible-vault-password [LABEL=]REFERENCE`: where each vault password comes from, and in which
// order they are tried on a file.
//
// A password without a label has Ansible's vault id `default`. Ansible (DEFAULT_VAULT_ID_MATCH off, its
// default) tries every vault secret on every file until one's HMAC matches; we do the same, but try
// first the passwords whose label is the file's (a 1.1 file's label is `default`), then the others in
// the order given. The plaintext is the same as Ansible's — only the password whose HMAC matches opens
// it — and a labelled file usually costs one key derivation instead of one per password.
import { ProviderError, ReferenceSyntaxError, UsageError } from '../errors/errors.js';
import type { Secret } from '../log/secret.js';
import { formatReference, isReference, parseReference, type Reference } from '../refs/index.js';

/** Ansible's vault id for a password given without one (C.DEFAULT_VAULT_IDENTITY). */
export const DEFAULT_LABEL = 'default';
// A label is what `--vault-id LABEL@SOURCE` accepts and a vault header can carry.
const LABELLED = /^([^=\s;@/:?#]+)=(.*)$/s;

/** One configured password: its label and the reference it is fetched from. */
export interface VaultPassword {
  readonly label: string;
  readonly ref: Reference;
  /** Canonical text (with #KEY): the key of the fetched value, and what errors show. */
  readonly reference: string;
}

/** Parses every `[LABEL=]REFERENCE`; a bad one is a UsageError naming the option. */
export function parseVaultPasswords(texts: readonly string[]): VaultPassword[] {
  return texts.map((text) => {
    const labelled = isReference(text) ? null : LABELLED.exec(text);
    const label = labelled?.[1] ?? DEFAULT_LABEL;
    const source = labelled?.[2] ?? text;
    let ref: Reference;
    try {
      ref = parseReference(source);
    } catch (error) {
      const why = error instanceof ReferenceSyntaxError ? error.message : 'not a reference';
      throw new UsageError(
        `--ansible-vault-password: ${why}; write [LABEL=]SCHEME://… (for example prod=secret://ansible-vault-password)`,
      );
    }
    if (ref.optional)
      throw new UsageError(
        `--ansible-vault-password ${formatReference(ref)}: ?optional has no meaning for a vault password; remove it`,
      );
    return { label, ref, reference: formatReference(ref) };
  });
}

/** The passwords in the order they are tried on a file with this label (undefined for a 1.1 file). */
export function orderForLabel(passwords: readonly VaultPassword[], label: string | undefined): VaultPassword[] {
  const wanted = label ?? DEFAULT_LABEL;
  return [...passwords.filter((p) => p.label === wanted), ...passwords.filter((p) => p.label !== wanted)];
}

/**
 * The bytes Ansible would use: the value stripped of surrounding ASCII white space (Python's
 * bytes.strip(), as FileVaultSecret reads a password file), then UTF-8. An empty password is refused,
 * as Ansible's verify_secret_is_not_empty does.
 */
export function toPasswordBytes(value: Secret, reference: string): Buffer {
  const stripped = value.reveal().replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');
  if (stripped === '') throw new ProviderError('Invalid', `the vault password from ${reference} is empty`);
  return Buffer.from(stripped, 'utf8');
}
