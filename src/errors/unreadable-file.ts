// The one text for a file that cannot be read, wherever a file is named (an option, a variable, a
// provider setting): "WHAT FILE: cannot read it (CODE)". It names the file, never its content.

/** `VAULT_CACERT /etc/ca.pem: cannot read it (ENOENT)`. */
export function describeUnreadable(what: string, file: string, error: unknown): string {
  return `${what} ${file}: cannot read it (${(error as NodeJS.ErrnoException | undefined)?.code ?? 'error'})`;
}
