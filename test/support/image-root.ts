// The final root filesystem of examples/container/Dockerfile, assembled in a temp folder instead of
// built by a container engine: the executable, the shared libraries `ldd` lists for it and for the
// shell, the example program and its secret contract, plus what a runtime itself provides (/dev/null,
// a /proc mount point). Run with runImage: PID 1 of fresh PID, mount and network namespaces, chrooted,
// as the image's non-root user — as `docker run` would start it.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BINARY, ROOT, runBinary, type RunResult } from './run-binary.js';

/** The image's USER (numeric, as the Dockerfile gives it). */
export const IMAGE_USER = '10001:10001';
/** The image's PATH (debian:bookworm-slim's default). */
export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const EXAMPLE = join(ROOT, 'examples', 'container');

/** Absolute paths of the shared libraries (and the loader) a dynamically linked file needs. */
function librariesOf(file: string): string[] {
  return execFileSync('ldd', [file], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

function place(root: string, from: string, to: string, mode?: number): void {
  const target = join(root, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(from, target);
  if (mode !== undefined) chmodSync(target, mode);
}

/** Builds the image's root in a new temp folder (readable by the image's user) and returns its path. */
export function assembleImageRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'secrets-exec-image-'));
  chmodSync(root, 0o755);
  // The program is a shell script that backgrounds a sleep: of debian:bookworm-slim, only these are needed.
  const tools = ['/bin/sh', '/bin/sleep'];
  for (const lib of new Set([BINARY, ...tools].flatMap(librariesOf))) place(root, lib, lib);
  for (const tool of tools) place(root, tool, tool, 0o755);
  place(root, BINARY, '/usr/local/bin/secrets-exec', 0o755);
  place(root, join(EXAMPLE, 'app.sh'), '/usr/local/bin/app', 0o755);
  place(root, join(EXAMPLE, 'app.env'), '/etc/app/app.env', 0o644);
  // What the runtime adds: /dev/null (a shell gives it to background jobs as stdin) and a /proc to mount.
  mkdirSync(join(root, 'dev'));
  execFileSync('mknod', ['-m', '666', join(root, 'dev', 'null'), 'c', '1', '3']);
  mkdirSync(join(root, 'proc'));
  return root;
}

/** What the host saw of the program while it ran (from /proc/PID, outside the namespaces). */
export interface ProgramView {
  readonly status: string;
  readonly cmdline: readonly string[];
  readonly environ: ReadonlyMap<string, string>;
}

export interface ImageRun extends RunResult {
  /** Undefined when no program came to wait for TERM (secrets-exec failed, or the program ended). */
  readonly program?: ProgramView | undefined;
}

const TERM_BIT = 1n << 14n; // signal 15 in /proc/PID/status's SigCgt mask

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The process PID 1 of the new namespace: unshare --fork's only child, seen from the host. */
function namespaceInit(unsharePid: number): number | undefined {
  const children = read(`/proc/${unsharePid}/task/${unsharePid}/children`)?.trim();
  return children ? Number(children.split(' ')[0]) : undefined;
}

/** Waits until the image's program has its TERM trap installed, records what it runs as, sends TERM. */
async function stopWhenReady(unsharePid: number): Promise<ProgramView | undefined> {
  for (let i = 0; i < 750 && existsSync(`/proc/${unsharePid}`); i++) {
    const pid = namespaceInit(unsharePid);
    const status = pid === undefined ? undefined : read(`/proc/${pid}/status`);
    const cmdline = pid === undefined ? [] : (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean);
    const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status ?? '')?.[1];
    // secrets-exec catches TERM too: only the program's own trap counts. The status must itself say
    // the program (Name:), as the command line is read after it: a status read just before the exec
    // shows secrets-exec's handler, and a TERM sent to the shell before its trap is lost (PID 1
    // ignores signals it does not handle), leaving the program waiting for ever.
    const trapped = caught !== undefined && (BigInt(`0x${caught}`) & TERM_BIT) !== 0n;
    const execed = /^Name:\s*app$/m.test(status ?? '');
    if (pid !== undefined && status && execed && cmdline[1] === '/usr/local/bin/app' && trapped) {
      const entries = (read(`/proc/${pid}/environ`) ?? '').split('\0').filter(Boolean);
      const environ = new Map(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
      const view = { status, cmdline, environ };
      process.kill(pid, 'SIGTERM');
      // A program that does not stop on TERM would hold the output pipes open past runBinary's
      // timeout (killing unshare does not end the namespace): end it, so the test fails, not hangs.
      setTimeout(() => namespaceInit(unsharePid) === pid && killQuietly(pid), 10_000).unref();
      return view;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Never ready: leave nothing running (PID 1 of the namespace holds the output pipes open).
  const pid = namespaceInit(unsharePid);
  if (pid !== undefined) killQuietly(pid);
  return undefined;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Runs the image's ENTRYPOINT and CMD with `env` (the image's ENV and what `docker run -e` adds). */
export async function runImage(root: string, env: Readonly<Record<string, string>>): Promise<ImageRun> {
  let watching: Promise<ProgramView | undefined> = Promise.resolve(undefined);
  const namespaces = ['--fork', '--pid', `--mount-proc=${join(root, 'proc')}`, '--net'];
  const chroot = ['/usr/sbin/chroot', `--userspec=${IMAGE_USER}`, root];
  const result = await runBinary([...namespaces, ...chroot, '/usr/local/bin/secrets-exec', '--', 'app'], {
    command: ['/usr/bin/unshare'],
    env: { PATH: IMAGE_PATH, SECRETS_EXEC_ENV_FILE: '/etc/app/app.env', ...env },
    timeoutMs: 25_000,
    onSpawn: (pid) => (watching = stopWhenReady(pid)),
  });
  return { ...result, program: await watching };
}
