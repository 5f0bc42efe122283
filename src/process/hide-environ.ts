// A watching supervisor keeps the credentials it resolves with in memory, so it cannot re-execute itself
// with the program's environment as a plain supervisor does. /proc/PID/environ shows the memory of the
// environment block the process was started with (between env_start and env_end of /proc/PID/stat), and
// the program, a process of the same user, could read its parent's. This blanks, in that block, the value
// of every variable the program does not get as it is: the block then tells the program nothing it does
// not have. The variables stay set for this process (setenv(3) puts a copy on the heap), since an SDK may
// read them from process.env.

import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

/**
 * Blanks the values `keep` rejects in this process's initial environment block and hands each to `restore`
 * (which sets it again, on the heap); returns their names.
 */
export function hideEnviron(
  keep: (name: string, value: string) => boolean,
  restore: (name: string, value: string) => void,
): string[] {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  // Fields after the command name (which may hold spaces), numbered from 3: env_start is 50, env_end 51.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[50 - 3]);
  const end = Number(fields[51 - 3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start) {
    throw new Error('no environment block in /proc/self/stat');
  }
  const block = Buffer.alloc(end - start);
  const hidden: string[] = [];
  const fd = openSync('/proc/self/mem', 'r+');
  try {
    readSync(fd, block, 0, block.length, start);
    let at = 0;
    while (at < block.length) {
      const nul = block.indexOf(0, at);
      const stop = nul === -1 ? block.length : nul;
      const eq = block.indexOf(0x3d, at);
      if (eq !== -1 && eq < stop) {
        const name = block.toString('utf8', at, eq);
        const value = block.toString('utf8', eq + 1, stop);
        if (value !== '' && !keep(name, value)) {
          writeSync(fd, Buffer.alloc(stop - eq - 1), 0, stop - eq - 1, start + eq + 1);
          restore(name, value);
          hidden.push(name);
        }
      }
      at = stop + 1;
    }
  } finally {
    closeSync(fd);
  }
  return hidden;
}
