// `--ansible-vault FILE` → one DerivedLoad per file (docs/reference-syntax.md). Every file is read and
// its envelope checked here, before anything is fetched, so a malformed file costs no network call.
// Resolution then fetches the passwords with every other reference and calls `derive`, which decrypts
// in memory and loads the top-level keys like `--load` (expandMap: sanitised names, no collisions).
//
// Naming is set once for every file, by options rather than by a query on the path (`FILE?prefix=…`
// would make '?' in a file name ambiguous and reads like a URL): --ansible-vault-prefix P,
// --ansible-vault-upcase and --ansible-vault-override (env twins SECRETS_EXEC_ANSIBLE_VAULT_PREFIX,
// …_UPCASE, …_OVERRIDE), meaning what `--load`'s prefix=, upcase and override do.
//
// Secrecy (README "Security model"): the password and the plaintext live in memory only, leave this module
// only as Secret values, and no message quotes them; key buffers and plaintext bytes are zeroed.
import { isJsonNumber, toEnvText } from '../formats/exact-json.js';
import { formatFromName, parseKeyValueDocument } from '../formats/key-value-document.js';
import { ProviderError, UsageError } from '../errors/errors.js';
import { describeUnreadable } from '../errors/unreadable-file.js';
import type { Logger } from '../log/logger.js';
import type { Secret } from '../log/secret.js';
import type { DerivedLoad } from '../resolve/resolve-all.js';
import { expandMap, type LoadNaming } from '../resolve/load.js';
import { decryptVault, HmacMismatchError, type PasswordCandidate } from './decrypt.js';
import { parseInlineVault, type InlineValue } from './inline-vault.js';
import { isVaultText, parseEnvelope, VaultFormatError, type VaultEnvelope } from './parse-envelope.js';
import { warnWhereAnsibleDiffers } from './yaml11.js';
import { DEFAULT_LABEL, orderForLabel, parseVaultPasswords, toPasswordBytes, type VaultPassword } from './passwords.js';

type VaultContent =
  | { readonly kind: 'whole'; readonly envelope: VaultEnvelope }
  | { readonly kind: 'inline'; readonly values: ReadonlyMap<string, InlineValue> };

/** The `--ansible-vault*` options, as the CLI resolved them. */
export interface AnsibleVaultOptions {
  /** --ansible-vault FILE, in order. */
  readonly files: readonly string[];
  /** --ansible-vault-password [LABEL=]REF, in order. */
  readonly passwords: readonly string[];
  /** --ansible-vault-prefix and --ansible-vault-upcase. */
  readonly naming: LoadNaming;
  /** --ansible-vault-override. */
  readonly override: boolean;
}

/**
 * Reads and checks every `--ansible-vault` file and returns what resolution must fetch and derive. `log`
 * receives the warnings about values Ansible would read otherwise (by file and key, never the value).
 */
export async function loadAnsibleVaults(
  options: AnsibleVaultOptions,
  readFile: (path: string) => Promise<Buffer>,
  log: Pick<Logger, 'warn'>,
): Promise<DerivedLoad[]> {
  if (options.files.length === 0) return [];
  if (options.passwords.length === 0) {
    throw new UsageError(
      '--ansible-vault needs its password: add --ansible-vault-password REFERENCE ' +
        '(for example secret://ansible-vault-password)',
    );
  }
  const passwords = parseVaultPasswords(options.passwords);
  const { naming } = options;
  const warnYaml11 = (file: string, text: string): void => warnWhereAnsibleDiffers(log, file, text);
  const contents = await Promise.all(options.files.map((file) => readVaultFile(file, readFile, warnYaml11)));
  return options.files.map((file, i) => ({
    source: `--ansible-vault ${file}`,
    option: '--ansible-vault',
    reference: file,
    overrideOption: '--ansible-vault-override',
    provider: 'ansible-vault',
    refs: passwords.map((p) => p.ref),
    override: options.override,
    derive: (values) =>
      deriveVariables({ file, content: contents[i] as VaultContent, passwords, values, naming, warnYaml11 }),
  }));
}

// A whole vault, or YAML with `!vault` values; anything else is a UsageError naming the file.
async function readVaultFile(
  file: string,
  readFile: (path: string) => Promise<Buffer>,
  warnYaml11: (file: string, text: string) => void,
): Promise<VaultContent> {
  let text: string;
  try {
    text = (await readFile(file)).toString('utf8');
  } catch (error) {
    throw new UsageError(describeUnreadable('--ansible-vault', file, error));
  }
  try {
    if (isVaultText(text)) return { kind: 'whole', envelope: parseEnvelope(text) };
    const values = parseInlineVault(text);
    if (values) {
      warnYaml11(file, text);
      return { kind: 'inline', values };
    }
  } catch (error) {
    if (error instanceof VaultFormatError) throw new UsageError(`--ansible-vault ${file}: ${error.message}`);
    throw error;
  }
  throw new UsageError(
    `--ansible-vault ${file}: not an Ansible Vault file: ` +
      'it does not start with $ANSIBLE_VAULT and holds no !vault value',
  );
}

// Decrypts one file with the fetched passwords and turns its top-level keys into variables.
async function deriveVariables(input: {
  file: string;
  content: VaultContent;
  passwords: readonly VaultPassword[];
  values: ReadonlyMap<string, Secret>;
  naming: LoadNaming;
  warnYaml11: (file: string, text: string) => void;
}): Promise<ReadonlyMap<string, Secret>> {
  const { file, content, passwords, values, naming, warnYaml11 } = input;
  const bytes = new Map<VaultPassword, Buffer>();
  const open = async (envelope: VaultEnvelope, what: string): Promise<string> => {
    const candidates: PasswordCandidate[] = orderForLabel(passwords, envelope.label).map((p) => ({
      name: p.label === DEFAULT_LABEL ? p.reference : `${p.label}=${p.reference}`,
      password: bytes.get(p) as Buffer,
    }));
    try {
      return decodeUtf8(await decryptVault(envelope, candidates), what);
    } catch (error) {
      if (error instanceof HmacMismatchError || error instanceof VaultFormatError)
        throw new ProviderError('Invalid', `${what}${error.message}`);
      throw error;
    }
  };
  try {
    for (const p of passwords) bytes.set(p, toPasswordBytes(values.get(p.reference) as Secret, p.reference));
    if (content.kind === 'whole') {
      const text = await open(content.envelope, '');
      const map = nestedAsJson(await parseDecrypted(text, file));
      if (formatFromName(file) === undefined || formatFromName(file) === 'yaml') warnYaml11(file, text);
      return expandMap(map, naming);
    }
    const entries = await Promise.all(
      [...content.values].map(
        async ([key, v]) => [key, v.kind === 'plain' ? v.value : await open(v.envelope, `key '${key}': `)] as const,
      ),
    );
    return expandMap(Object.fromEntries(entries), naming);
  } finally {
    for (const b of bytes.values()) b.fill(0);
  }
}

// The decrypted document: YAML, JSON or dotenv, chosen by the file's name and then by its content.
async function parseDecrypted(text: string, file: string): Promise<Record<string, unknown>> {
  try {
    return await parseKeyValueDocument(text, formatFromName(file));
  } catch (error) {
    throw new ProviderError('Invalid', `cannot load the decrypted content: ${(error as Error).message}`);
  }
}

// Top-level keys are loaded, as Ansible's vars are; a map or a list value is handed on as its JSON text
// (numbers as written), as a nested value of `--load` would be picked with `#KEY`.
function nestedAsJson(map: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(map)) {
    if (value !== null && typeof value === 'object' && !isJsonNumber(value)) map[key] = toEnvText(value);
  }
  return map;
}

// Ansible decodes vaulted text as strict UTF-8; the bytes are zeroed once decoded.
function decodeUtf8(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProviderError('Invalid', `${what}the decrypted content is not UTF-8 text`);
  } finally {
    bytes.fill(0);
  }
}
