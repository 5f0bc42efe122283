// Whether this process's group is the foreground group of its controlling terminal. Then a key such
// as Ctrl-C makes the terminal send SIGINT to the whole group — a supervised program included — and a
// supervisor that forwarded it too would deliver it twice. Read from /proc/self/stat (Node has no
// tcgetpgrp): after the command name come state, ppid, pgrp, session, tty_nr, tpgid.
import { readFileSync } from 'node:fs';

/** True when a terminal delivers its signals (INT, QUIT, TSTP, WINCH) to our process group. */
export function isTerminalForeground(): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const [, , pgrp, , ttyNr, tpgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ttyNr !== '0' && pgrp !== undefined && pgrp === tpgid;
  } catch {
    return false;
  }
}
