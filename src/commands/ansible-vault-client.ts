// `secrets-exec ansible-vault-client [--vault-id LABEL]`, or secrets-exec started under a name ending in
// `-client` (a symlink such as secrets-exec-vault-client): Ansible's vault password client script
// protocol. Ansible (`--vault-id LABEL@PATH`, or `vault_identity_list` / `vault_password_file` in
// ansible.cfg) runs the client with `--vault-id LABEL` and reads the password from its stdout. The
// password for LABEL comes from the same settings as `--ansible-vault-password LABEL=REF`, through the
// same providers, chain and detection; no label asks for the reference given without one. Exactly the
// password and a newline go to stdout; any failure is one line on stderr, nothing on stdout, and a
// non-zero status: 2 for an unknown vault id (what Ansible reads as "no secret for this vault-id"),
// 125 for a reference that could not be resolved.
import { DEFAULT_LABEL, parseVaultPasswords, toPasswordBytes } from '../ansible-vault/passwords.js';
import type { Config } from '../cli/config.js';
import { UsageError } from '../errors/errors.js';
import type { Logger } from '../log/logger.js';
import type { Env, Io, RunResult } from './io.js';
import { resolvePlanned } from './resolve-secrets.js';

/** Ansible's ClientScriptVaultSecret.VAULT_ID_UNKNOWN_RC. */
export const VAULT_ID_UNKNOWN = 2;

/** Prints the vault password Ansible asks for. */
export async function ansibleVaultClientCommand(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  const passwords = parseVaultPasswords(config.ansibleVaultPasswords);
  if (passwords.length === 0) {
    throw new UsageError('no vault password is configured: set SECRETS_EXEC_ANSIBLE_VAULT_PASSWORD=[LABEL=]REF');
  }
  const label = config.vaultId ?? DEFAULT_LABEL;
  const chosen = passwords.find((p) => p.label === label);
  if (chosen === undefined) {
    const known = [...new Set(passwords.map((p) => p.label))].join(', ');
    log.error('ansible.vault_id', `no vault password for vault id '${label}' (configured: ${known})`);
    return { action: 'exit', status: VAULT_ID_UNKNOWN };
  }
  const variable = `vault id ${label}`;
  const plan = {
    wants: [{ variable, ref: chosen.ref, reference: chosen.reference, source: '--ansible-vault-password' }],
    loads: [],
  };
  const resolution = await resolvePlanned({ plan, config, env, io, log });
  const value = resolution.variables.find((v) => v.variable === variable)?.value;
  if (value === undefined) throw new UsageError(`${variable}: ${chosen.reference} gave no value`);
  io.stdout(`${toPasswordBytes(value, chosen.reference).toString('utf8')}\n`);
  return { action: 'exit', status: 0 };
}
