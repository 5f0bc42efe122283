// A long-running secrets-exec for the --watch tests: its output as it comes, a wait for a line, signals.
import { spawn } from 'node:child_process';
import { BASE_ENV, BINARY, ROOT } from './run-binary.js';

export interface Running {
  readonly pid: number;
  stdout: string;
  stderr: string;
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  readonly done: Promise<number | null>;
  signal(name: NodeJS.Signals): void;
}

/** Starts secrets-exec with `args` and `env` (over BASE_ENV) and reads its output as it comes. */
export function startWatching(args: readonly string[], env: Readonly<Record<string, string>>): Running {
  const child = spawn(BINARY, args, {
    env: { ...BASE_ENV, ...env },
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const running: Running = {
    pid: child.pid ?? -1,
    stdout: '',
    stderr: '',
    waitFor: (pattern, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = (): void => {
          const match = running.stdout.match(pattern);
          if (match) resolve(match);
          else if (Date.now() - started > ms) reject(new Error(`no ${pattern} in ${running.stdout}`));
          else setTimeout(check, 50);
        };
        check();
      }),
    done: new Promise((resolve) =>
      child.on('close', (status) => {
        clearTimeout(killer);
        resolve(status);
      }),
    ),
    signal: (name) => child.kill(name),
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (running.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (running.stderr += d));
  return running;
}
