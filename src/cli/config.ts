import type { LogFormat, LogLevel } from '../log/logger.js';

/** What a run does: resolve and exec, resolve and report, report detection, or print help or version. */
export type Command = 'run' | 'check' | 'detect' | 'help' | 'version';

/** The whole configuration of one run, worked out from argv and env before anything else happens. */
export interface Config {
  readonly command: Command;
  /** The program and its arguments (`run` only). */
  readonly argv: readonly string[];
  /** `auto`, or the explicit chain of provider names for `secret://`. */
  readonly providers: 'auto' | readonly string[];
  readonly envFiles: readonly string[];
  readonly loads: readonly string[];
  readonly localFile?: string | undefined;
  readonly ansibleVaults: readonly string[];
  readonly ansibleVaultPasswords: readonly string[];
  /** Naming of the keys every Ansible Vault file loads, as `--load`'s prefix=, upcase and override. */
  readonly ansibleVaultPrefix: string;
  readonly ansibleVaultUpcase: boolean;
  readonly ansibleVaultOverride: boolean;
  readonly timeoutMs: number;
  readonly keepEnv: readonly string[];
  readonly strict: boolean;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly supervise: boolean;
  readonly vaultKeepToken: boolean;
  readonly metadataUrl?: string | undefined;
  readonly detectBudgetMs: number;
}
