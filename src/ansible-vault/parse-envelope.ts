// The text form of an Ansible Vault, as Ansible reads it (lib/ansible/parsing/vault/__init__.py:
// parse_vaulttext_envelope, parse_vaulttext):
//
//   $ANSIBLE_VAULT;VERSION;CIPHER[;LABEL]       VERSION 1.1 or 1.2 (1.2 carries the vault-id LABEL)
//   hex(hex(salt) "\n" hex(hmac) "\n" hex(ciphertext)), in lines of 80 columns
//
// The body is hex twice ("unnecessary but getting rid of it is a backwards incompatible vault format
// change", says Ansible). Lines end in LF, CRLF or CR. One leniency over Ansible: white space around a
// body line is ignored (an indented `!vault |` value pasted by hand). Pure: no I/O, and errors never
// quote the text — a file that is not a vault may be a plaintext secret — except header fields that
// have the harmless form of a version or cipher name.

/** What every vault text starts with (Ansible's is_encrypted checks exactly this prefix). */
export const VAULT_HEADER = '$ANSIBLE_VAULT';
const VERSIONS = ['1.1', '1.2'] as const;
const CIPHERS = ['AES256'] as const;
const HEX = /^[0-9a-fA-F]*$/;

/** A parsed vault: the header fields and the three binary parts of the body. */
export interface VaultEnvelope {
  readonly version: (typeof VERSIONS)[number];
  readonly cipher: (typeof CIPHERS)[number];
  /** The vault id written by `--vault-id LABEL@…` (format 1.2); undefined when the header has none. */
  readonly label?: string | undefined;
  readonly salt: Buffer;
  readonly hmac: Buffer;
  readonly ciphertext: Buffer;
}

/** A vault text that cannot be read; the message says what is wrong without quoting the text. */
export class VaultFormatError extends Error {
  override name = 'VaultFormatError';
}

/** True when the text is a whole vault (it starts with `$ANSIBLE_VAULT`, as Ansible's is_encrypted checks). */
export function isVaultText(text: string): boolean {
  return text.startsWith(VAULT_HEADER);
}

/** Parses a vault text into its header fields and binary parts; throws VaultFormatError. */
export function parseEnvelope(text: string): VaultEnvelope {
  const eol = text.search(/\r\n|\r|\n/);
  const header = (eol === -1 ? text : text.slice(0, eol))
    .trim()
    .split(';')
    .map((part) => part.trim());
  if (header[0] !== VAULT_HEADER)
    throw new VaultFormatError(`not an Ansible Vault: the first line does not start with ${VAULT_HEADER}`);
  if (header.length < 3)
    throw new VaultFormatError(`the header has no version or cipher (expected ${VAULT_HEADER};1.1;AES256)`);
  const [, version = '', cipher = '', label] = header;
  if (!(VERSIONS as readonly string[]).includes(version)) {
    throw new VaultFormatError(
      `unsupported vault format version ${shown(version)} (secrets-exec reads ${VERSIONS.join(' and ')})`,
    );
  }
  if (!(CIPHERS as readonly string[]).includes(cipher)) {
    throw new VaultFormatError(
      `unsupported cipher ${shown(cipher)} (Ansible Vault 1.1 and 1.2 use ${CIPHERS.join(', ')})`,
    );
  }
  // Drop the line breaks (and blanks around them) in one pass; plain LF lines, the usual case, take the fast path.
  const lines = eol === -1 ? '' : text.slice(eol);
  const body = /[ \t\r]/.test(lines)
    ? lines.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, '').trim()
    : lines.replaceAll('\n', '');
  if (!HEX.test(body)) throw new VaultFormatError(`the body is not hexadecimal (line ${findBadLine(lines)})`);
  const outer = unhex(body, 'the body');
  if (outer.length === 0) throw new VaultFormatError('the vault has no body');

  // hex(salt) \n hex(hmac) \n hex(ciphertext): split at the first two newlines, as Ansible's split(b"\n", 2).
  const first = outer.indexOf(0x0a);
  const second = first === -1 ? -1 : outer.indexOf(0x0a, first + 1);
  if (second === -1) throw new VaultFormatError('the body does not hold a salt, an HMAC and a ciphertext');
  return {
    version: version as VaultEnvelope['version'],
    cipher: cipher as VaultEnvelope['cipher'],
    label: label === undefined || label === '' ? undefined : label,
    salt: unhex(outer.subarray(0, first).toString('latin1'), 'the salt'),
    hmac: unhex(outer.subarray(first + 1, second).toString('latin1'), 'the HMAC'),
    ciphertext: unhex(outer.subarray(second + 1).toString('latin1'), 'the ciphertext'),
  };
}

// The line (counting the header as 1) of the first body line that is not hex digits.
function findBadLine(lines: string): number {
  return lines.split(/\r\n|\r|\n/).findIndex((line, i) => i > 0 && !HEX.test(line.trim())) + 1;
}

// Buffer.from(…, 'hex') stops silently at the first bad digit: check first, as Python's unhexlify does.
function unhex(text: string, what: string): Buffer {
  if (!HEX.test(text)) throw new VaultFormatError(`${what} is not hexadecimal`);
  if (text.length % 2 !== 0) throw new VaultFormatError(`${what} has an odd number of hex digits`);
  return Buffer.from(text, 'hex');
}

// A header field is shown only when it looks like a version or a cipher name.
function shown(field: string): string {
  return /^[A-Za-z0-9._-]{1,16}$/.test(field) ? `'${field}'` : '(not shown)';
}
