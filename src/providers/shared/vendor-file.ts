// Files a vendor library opens by a path from the environment and reads itself, with no size limit: the
// AWS SDK's shared config and credentials files and token files, Google's external-account token file,
// IBM's compute-resource token. `AWS_CONFIG_FILE=/dev/zero` made the SDK read until memory ran out. Each
// such file is checked here before the library is called: a regular file by its size (no byte is read
// when it is too large), a device by reading it through the run's capped readFile (so /dev/zero fails
// at the cap and /dev/null passes), and a pipe or socket is refused, since the library would read it
// again and find it drained.
import { type Stats, stat } from 'node:fs';
import { ProviderError } from '../../errors/errors.js';
import { describeUnreadable } from '../../errors/unreadable-file.js';

type ReadFile = (path: string) => Promise<Buffer>;

export interface VendorFile {
  /** The path the library will open. */
  readonly path: string;
  /** What names it, for messages: a variable, or "the AWS config file". */
  readonly what: string;
  /** True when the library treats a missing file as empty (the shared files): ENOENT is then no error. */
  readonly mayBeMissing: boolean;
  /**
   * True when the library also ignores a file it cannot read (EACCES, ENOTDIR: the AWS SDK's and
   * oci-common's default files): only what would hang or fill memory is then an error.
   */
  readonly unreadableIsAbsent?: boolean;
}

/** Throws an Invalid ProviderError naming the file and what names it when the library should not read it. */
export async function checkVendorFile(readFile: ReadFile, file: VendorFile): Promise<void> {
  let info: Stats;
  try {
    // node:fs is loaded at start; node:fs/promises would load six more modules (readline's among them).
    info = await new Promise((resolve, reject) => stat(file.path, (e, s) => (e ? reject(e) : resolve(s))));
  } catch (error) {
    if (file.mayBeMissing && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    if (file.unreadableIsAbsent) return;
    throw new ProviderError('Invalid', describeUnreadable(file.what, file.path, error), { cause: error });
  }
  if (info.isFIFO() || info.isSocket()) {
    throw new ProviderError(
      'Invalid',
      `${file.what} ${file.path}: a pipe or socket, which the vendor library reads itself (and may read ` +
        'again): give a regular file',
    );
  }
  if (info.isDirectory()) {
    if (file.unreadableIsAbsent) return;
    throw new ProviderError('Invalid', `${file.what} ${file.path}: a directory, not a file`);
  }
  try {
    // A regular file: its size is checked before any byte is read; a device: read up to the cap.
    await readFile(file.path);
  } catch (error) {
    if (file.unreadableIsAbsent && (error as NodeJS.ErrnoException).code !== 'EFBIG') return;
    throw new ProviderError('Invalid', describeUnreadable(file.what, file.path, error), { cause: error });
  }
}

/** Checks every file, all at once; the first failure (in the order given) is thrown. */
export async function checkVendorFiles(readFile: ReadFile, files: readonly VendorFile[]): Promise<void> {
  const results = await Promise.allSettled(files.map((f) => checkVendorFile(readFile, f)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
