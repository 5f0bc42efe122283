// A file secrets-exec was told to read is larger than anything it reads (README "Bounded inputs"):
// `--env-file /dev/zero` fails at once instead of filling memory. It carries the errno-style code EFBIG, so
// a message that shows only an error's code still says what went wrong.
import { SecretsExecError } from './errors.js';

export class FileTooLargeError extends SecretsExecError {
  override name = 'FileTooLargeError';
  readonly code = 'EFBIG';

  constructor(readonly maxBytes: number) {
    super(`larger than ${formatBytes(maxBytes)}`);
  }
}

/** `4 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
