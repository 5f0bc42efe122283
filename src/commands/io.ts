// What a command gets from the world and gives back (docs/architecture.md): argv and env arrive as values,
// everything else through one Io object, and a command returns what to do instead of doing it, so
// tests drive whole runs in-process and only src/entrypoint.ts touches the real process.
import type { LogFormat, Logger, LogLevel } from '../log/logger.js';
import type { PreparedCommand } from '../process/prepare-command.js';
import type { WatchSettings } from '../process/watch.js';
import type { RetryPolicy } from '../resolve/retry.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Everything a run needs from the world. */
export interface Io {
  readFile(path: string): Promise<Buffer>;
  now(): number;
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  version: string;
  retry?: RetryPolicy;
  /** The most bytes of argv + environment execve accepts here (see process/exec-limits.ts). */
  argLimit: number;
  /** Aborted, with the signal's name as reason, when secrets-exec is told to stop before the exec. */
  interrupt?: AbortSignal;
}

/** What the entrypoint must do: exit with a status, or exec a program with an environment. */
export type RunResult =
  | { readonly action: 'exit'; readonly status: number }
  | {
      readonly action: 'exec';
      readonly command: PreparedCommand;
      readonly env: Record<string, string>;
      readonly supervise: boolean;
      /** --mask: the variables (resolved ones) whose values are redacted from the program's output. */
      readonly mask?: readonly string[] | undefined;
      /** How a supervised program is stopped (restart, exit, the end of the run). */
      readonly stop: { readonly signal: NodeJS.Signals; readonly timeoutMs: number };
      /** --watch: how often, what to do, and how to work out the program's environment again. */
      readonly watch?: {
        readonly settings: WatchSettings;
        readonly refresh: () => Promise<Record<string, string>>;
        /** Ends what the polls kept (a Vault login is revoked): once the program has ended. */
        readonly close: () => Promise<void>;
      };
      readonly log: Logger;
      /** How a supervisor that re-executes itself logs (it parses no options). */
      readonly logLevel: LogLevel;
      readonly logFormat: LogFormat;
    };
