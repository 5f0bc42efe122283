// Reading a file a provider setting names, with the one error text every unreadable file gets.
import { ProviderError } from '../../errors/errors.js';
import { describeUnreadable } from '../../errors/unreadable-file.js';

/** Reads `file` through `readFile`; a failure is an Invalid ProviderError naming `what` and the file. */
export async function readNamedFile(
  readFile: (path: string) => Promise<Buffer>,
  file: string,
  what: string,
): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new ProviderError('Invalid', describeUnreadable(what, file, error), { cause: error });
  }
}
