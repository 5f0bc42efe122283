// Every file secrets-exec reads comes through here (the Io's readFile): env files, the local store,
// Ansible Vault files, token, key, CA and credential files. Each is read up to a cap, so a wrong path
// (`/dev/zero`, `/dev/urandom`, a log file) fails at once with FileTooLargeError instead of filling memory.
// A regular file is judged by its size before any byte is read; anything else (a device, a pipe from
// `<(…)`) is read until the cap is passed.
import { close, fstat, open, read } from 'node:fs';
import { promisify } from 'node:util';
import { FileTooLargeError } from '../errors/file-too-large.js';

/**
 * The largest file secrets-exec reads: twice the most environment a default 8 MiB stack lets execve pass
 * (2 MiB), and far above a CA bundle (~220 KiB) or an Ansible Vault file of that much plaintext.
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

const CHUNK = 64 * 1024;
const openAsync = promisify(open);
const fstatAsync = promisify(fstat);
const readAsync = promisify(read);
const closeAsync = promisify(close);

/** Reads a whole file of at most `maxBytes`; a larger one rejects with FileTooLargeError. */
export async function readBoundedFile(path: string, maxBytes: number = MAX_FILE_BYTES): Promise<Buffer> {
  const fd = await openAsync(path, 'r');
  try {
    const stat = await fstatAsync(fd);
    if (stat.isFile() && stat.size > maxBytes) throw new FileTooLargeError(maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const buffer = Buffer.alloc(Math.min(CHUNK, maxBytes + 1 - size));
      const { bytesRead } = await readAsync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, size);
      chunks.push(buffer.subarray(0, bytesRead));
      size += bytesRead;
      if (size > maxBytes) throw new FileTooLargeError(maxBytes);
    }
  } finally {
    await closeAsync(fd);
  }
}
