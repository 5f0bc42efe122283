// The environment is checked before exec so that the error names the variable (execve would only say
// E2BIG). Limits are Linux's: one string
// ("NAME=VALUE\0") may be at most MAX_ARG_STRLEN = 32 pages = 128 KiB (binfmts.h); all of argv and envp,
// with a pointer each, must fit in the limit exec-limits.ts reads (a quarter of the stack limit).
import { UsageError } from '../errors/errors.js';

export const MAX_STRING_BYTES = 128 * 1024;
const POINTER_BYTES = 8;

/** Throws a UsageError naming the first variable that exec would refuse. */
export function validateEnv(
  env: Readonly<Record<string, string>>,
  argv: readonly string[],
  maxTotalBytes: number,
): void {
  let total = argv.reduce((sum, a) => sum + Buffer.byteLength(a) + 1 + POINTER_BYTES, POINTER_BYTES);
  let largest = { name: '', bytes: 0 };
  for (const [name, value] of Object.entries(env)) {
    if (name === '' || name.includes('=') || name.includes('\0')) {
      throw new UsageError(
        `the variable name ${JSON.stringify(name.replace(/\0/g, '\\0'))} is not valid ` +
          "(empty, or holds '=' or a NUL byte)",
      );
    }
    if (value.includes('\0'))
      throw new UsageError(`${name}: the value holds a NUL byte, which no environment variable can carry`);
    const bytes = Buffer.byteLength(name) + 1 + Buffer.byteLength(value) + 1;
    if (bytes > MAX_STRING_BYTES) {
      throw new UsageError(
        `${name}: the value is ${bytes} bytes; Linux allows at most ${MAX_STRING_BYTES} per variable ` +
          '(deliver large secrets another way)',
      );
    }
    if (bytes > largest.bytes) largest = { name, bytes };
    total += bytes + POINTER_BYTES;
  }
  if (total > maxTotalBytes) {
    throw new UsageError(
      `the environment and arguments are ${total} bytes, over the ${maxTotalBytes} exec allows with this stack limit ` +
        `(largest: ${largest.name}, ${largest.bytes} bytes; raise \`ulimit -s\` or deliver large secrets another way)`,
    );
  }
}
