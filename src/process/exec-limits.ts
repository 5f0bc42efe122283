// How much argv + environment execve(2) accepts on this system. Linux allows a quarter of the stack
// limit, capped at three quarters of the default 8 MiB stack and never less than 32 pages
// (fs/exec.c: bprm_stack_limits): 2 MiB under the usual `ulimit -s 8192`, 256 KiB under
// `ulimit -s 1024`. The soft limit is read from /proc/self/limits because Node has no getrlimit.
import { readFileSync } from 'node:fs';

const ARG_MIN_BYTES = 32 * 4096;
const ARG_CAP_BYTES = ((8 * 1024 * 1024) / 4) * 3;

/** The kernel's limit for one execve's argv and envp, given the soft RLIMIT_STACK in bytes. */
export function argLimitForStack(stackBytes: number): number {
  return Math.max(ARG_MIN_BYTES, Math.min(Math.floor(stackBytes / 4), ARG_CAP_BYTES));
}

/** This process's limit (children inherit the stack limit, so it is the program's too). */
export function readArgLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max stack size'));
    const soft = line?.slice('Max stack size'.length).trim().split(/\s+/)[0];
    if (soft === 'unlimited') return ARG_CAP_BYTES;
    const bytes = Number(soft);
    return Number.isFinite(bytes) && bytes > 0 ? argLimitForStack(bytes) : argLimitForStack(8 * 1024 * 1024);
  } catch {
    return argLimitForStack(8 * 1024 * 1024);
  }
}
