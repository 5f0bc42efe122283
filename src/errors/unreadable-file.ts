// The one text for a file that cannot be read, wherever a file is named (an option, a variable, a
// provider setting): "WHAT FILE: cannot read it (CODE)". It names the file, never its content.
import { FileTooLargeError } from './file-too-large.js';

/** `VAULT_CACERT /etc/ca.pem: cannot read it (ENOENT)`; a file over the size cap says so. */
export function describeUnreadable(what: string, file: string, error: unknown): string {
  if (error instanceof FileTooLargeError) {
    return `${what} ${file}: ${error.message}, more than secrets-exec reads from any file (is it the right file?)`;
  }
  return `${what} ${file}: cannot read it (${(error as NodeJS.ErrnoException | undefined)?.code ?? 'error'})`;
}
