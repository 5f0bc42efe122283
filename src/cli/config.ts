import type { LogFormat, LogLevel } from '../log/logger.js';
import type { Secret } from '../log/secret.js';
import type { StopConfig, WatchConfig } from './watch-config.js';

/**
 * What a run does: resolve and exec, resolve and report, report detection, answer Ansible as its vault
 * password client, or print help or version.
 */
export type Command = 'run' | 'check' | 'detect' | 'ansible-vault-client' | 'help' | 'version';

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
  /** `--vault-id LABEL`, which Ansible passes to its vault password client (that command only). */
  readonly vaultId?: string | undefined;
  /** Naming of the keys every Ansible Vault file loads, as `--load`'s prefix=, upcase and override. */
  readonly ansibleVaultPrefix: string;
  readonly ansibleVaultUpcase: boolean;
  readonly ansibleVaultOverride: boolean;
  readonly timeoutMs: number;
  readonly keepEnv: readonly string[];
  /** Names a loaded secret may set although they change how the program starts (LD_PRELOAD, PATH, …). */
  readonly allowNames: readonly string[];
  /** Variables whose values are passed on as written even when they look like a mistyped reference. */
  readonly literals: readonly string[];
  readonly strict: boolean;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** Stay the parent of the program (asked for, or implied by --watch). */
  readonly supervise: boolean;
  /** --watch and its options (docs/rotation.md); undefined when not watching. */
  readonly watch?: WatchConfig | undefined;
  /** --mask: the program's output passes through secrets-exec with every resolved value redacted. */
  readonly mask: boolean;
  /** How a supervised program is stopped. */
  readonly stop: StopConfig;
  readonly vaultKeepToken: boolean;
  readonly metadataUrl?: string | undefined;
  readonly detectBudgetMs: number;
  /** SECRETS_EXEC_CHECK_KEY: the key of `check`'s fingerprints; without it `check` shows lengths only. */
  readonly checkKey?: Secret | undefined;
}
