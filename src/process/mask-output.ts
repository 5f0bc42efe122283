// --mask: a supervised program's stdout or stderr, read from its pipe, masked (mask.ts) and written to
// secrets-exec's own descriptor. Back-pressure: a chunk is read only once the last one is written, so a
// slow reader of our output fills the program's pipe and the program waits; memory stays at a chunk plus
// what the masker holds back. Written with fs.write (never process.stdout, which would make the
// descriptor non-blocking for everyone sharing it).
import { write } from 'node:fs';
import type { Readable } from 'node:stream';
import { createMasker } from './mask.js';

export { maskPatterns } from './mask.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function writeSome(fd: number, buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => write(fd, buf, 0, buf.length, null, (e, n) => (e ? reject(e) : resolve(n))));
}

// All of `buf`, waiting out EAGAIN (a descriptor the parent left non-blocking); false once it is closed.
async function writeAll(fd: number, buf: Buffer): Promise<boolean> {
  let rest = buf;
  while (rest.length > 0) {
    try {
      rest = rest.subarray(await writeSome(fd, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return false;
      await pause(5);
    }
  }
  return true;
}

/** Copies `source` to `fd` with the patterns masked; settles when the source ended. */
export async function pipeMasked(source: Readable, fd: number, patterns: readonly Buffer[]): Promise<void> {
  const masker = createMasker(patterns);
  let open = true;
  // A closed output (EPIPE) drops what follows, but the pipe is still read so the program never blocks on it.
  for await (const chunk of source) if (open) open = await writeAll(fd, masker.push(chunk as Buffer));
  if (open) await writeAll(fd, masker.end());
}
