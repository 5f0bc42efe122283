// Node's process.stdin/stdout/stderr are created on first access, and creating one puts a pipe or
// terminal into O_NONBLOCK mode — a flag of the open file description, shared with the program that
// secrets-exec becomes (or spawns), which then gets EAGAIN on writes to a slow reader. Node accesses
// `process.stderr` itself when any socket is destroyed (net's Socket._destroy compares against it), so
// avoiding it in our own code is not enough. The three getters are replaced, before anything else
// runs, by inert streams that never touch a descriptor: what libraries write to them is dropped, like
// their console output (it could hold a response body). secrets-exec's own output goes through
// fs.writeSync (see log/logger.ts).
import type { Readable, Writable } from 'node:stream';

type StreamName = 'stdin' | 'stdout' | 'stderr';

// node:stream is loaded only if a library asks for one of the streams (synchronously: a getter cannot await).
function makeInert(name: StreamName, fd: number): Readable | Writable {
  const stream = process.getBuiltinModule('node:stream');
  const inert =
    name === 'stdin'
      ? new stream.Readable({
          read() {
            this.push(null);
          },
        })
      : new stream.Writable({
          write(_chunk, _encoding, callback) {
            callback();
          },
        });
  return Object.assign(inert, { fd, isTTY: false });
}

/** Replaces process.stdin/stdout/stderr with streams that never change the descriptors' flags. */
export function detachStdStreams(): void {
  (['stdin', 'stdout', 'stderr'] as const).forEach((name, fd) => {
    let stream: Readable | Writable | undefined;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: true,
      get: () => (stream ??= makeInert(name, fd)),
    });
  });
}
