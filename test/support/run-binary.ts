// Runs the built executable as a real process, the way a container runtime would, with an explicit,
// minimal environment (never the test runner's: it could hold real credentials).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The executable under test (SECRETS_EXEC_DIST_DIR points at another build folder). */
export const DIST = process.env.SECRETS_EXEC_DIST_DIR ?? join(ROOT, 'dist');
export const BINARY = join(DIST, 'secrets-exec');
export const BUNDLE = join(DIST, 'secrets-exec.cjs');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
/** The pinned Node.js that runs the tests, for fixtures written in JavaScript. */
export const NODE = process.execPath;

/** Variables every run gets: a PATH, and no way for an SDK to reach a real metadata service. */
export const BASE_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  AWS_EC2_METADATA_DISABLED: 'true',
  METADATA_SERVER_DETECTION: 'none',
  // Cloud detection probes a closed loopback port unless a test points it at its fake metadata server.
  SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:1',
};

export interface RunResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number;
}

export interface RunOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
  readonly timeoutMs?: number;
  readonly cwd?: string;
  /** Run something else than dist/secrets-exec (e.g. unshare, or node with the .cjs bundle). */
  readonly command?: readonly string[];
  /** Called once the process is started, e.g. to send it a signal. */
  readonly onSpawn?: (pid: number) => void;
}

/** Runs `secrets-exec ARGS` and collects its output; never rejects on a non-zero status. */
export function runBinary(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file = BINARY, ...pre] = options.command ?? [BINARY];
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...pre, ...args], {
      env: { ...BASE_ENV, ...options.env },
      cwd: options.cwd ?? ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('spawn', () => options.onSpawn?.(child.pid ?? -1));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, pid: child.pid ?? -1 });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The NAME=VALUE lines a program printed (test/fixtures/print-env.sh), as an object. */
export function envOf(stdout: string): Record<string, string> {
  const lines = stdout
    .trim()
    .split('\n')
    .filter((l) => l.includes('='));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}
