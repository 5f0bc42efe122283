// The second half of parsing: the settings found on the command line or in the environment become one
// Config, each checked and each error naming where its value came from (`--timeout` or SECRETS_EXEC_TIMEOUT).
import { UsageError } from '../errors/errors.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/logger.js';
import { Secret } from '../log/secret.js';
import { isReference } from '../refs/index.js';
import type { Command, Config } from './config.js';
import { parseDuration } from './duration.js';
import { ENV_ONLY, OPTIONS, type OptionSpec } from './options.js';
import { parseStopConfig, parseWatchConfig } from './watch-config.js';

/** One option's value and where it came from: `--flag` or the variable's name. */
export interface Setting {
  readonly value: readonly string[] | boolean;
  readonly from: string;
}

export function buildConfig(
  command: Command,
  program: readonly string[],
  get: (spec: OptionSpec) => Setting | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Config {
  const setting = (flag: string): Setting | undefined => get(OPTIONS.find((o) => o.flag === flag) as OptionSpec);
  const list = (flag: string): string[] => {
    const v = setting(flag)?.value;
    return Array.isArray(v) ? [...v] : [];
  };
  const one = (flag: string): { text: string; from: string } | undefined => {
    const s = setting(flag);
    const text = Array.isArray(s?.value) ? s.value.at(-1) : undefined;
    return s === undefined || text === undefined ? undefined : { text, from: s.from };
  };
  const bool = (flag: string): boolean => setting(flag)?.value === true;
  const duration = (flag: string, fallback: number): number => {
    const s = one(flag);
    return s === undefined ? fallback : parseDuration(s.text, s.from);
  };

  const provider = one('provider');
  const providerText = provider?.text.trim() ?? 'auto';
  const providers = providerText === 'auto' ? 'auto' : providerText.split(',').map((p) => p.trim());
  if (providers !== 'auto' && providers.some((p) => p === '' || p === 'auto')) {
    throw new UsageError(
      `${provider?.from ?? '--provider'}: '${providerText}' must be auto, or provider names separated by commas`,
    );
  }
  // A vault password client's stderr reaches the terminal of whoever runs Ansible: warnings and errors only.
  const level = one('log-level') ?? { text: command === 'ansible-vault-client' ? 'warn' : 'info', from: '' };
  if (!(LOG_LEVELS as readonly string[]).includes(level.text)) {
    throw new UsageError(`${level.from}: '${level.text}' is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const format = one('log-format') ?? { text: 'text', from: '' };
  if (!(LOG_FORMATS as readonly string[]).includes(format.text)) {
    throw new UsageError(`${format.from}: '${format.text}' is not one of ${LOG_FORMATS.join(', ')}`);
  }
  const vaultId = one('vault-id');
  if (vaultId !== undefined && command !== 'ansible-vault-client') {
    throw new UsageError(
      `${vaultId.from} is for ansible-vault-client (Ansible passes it to its vault password client)`,
    );
  }
  const text = (flag: string): string | undefined => one(flag)?.text;
  const watch = parseWatchConfig(text);
  return {
    command,
    argv: program,
    providers,
    envFiles: list('env-file'),
    loads: list('load'),
    localFile: one('local-file')?.text,
    ansibleVaults: list('ansible-vault'),
    ansibleVaultPasswords: list('ansible-vault-password'),
    vaultId: vaultId?.text,
    ansibleVaultPrefix: one('ansible-vault-prefix')?.text ?? '',
    ansibleVaultUpcase: bool('ansible-vault-upcase'),
    ansibleVaultOverride: bool('ansible-vault-override'),
    timeoutMs: duration('timeout', 30_000),
    keepEnv: list('keep-env'),
    literals: list('literal'),
    allowNames: list('allow-name'),
    strict: bool('strict'),
    logLevel: level.text as LogLevel,
    logFormat: format.text as LogFormat,
    // --watch and --mask need secrets-exec to stay the program's parent.
    supervise: bool('supervise') || watch !== undefined || bool('mask'),
    mask: bool('mask'),
    watch,
    stop: parseStopConfig(text),
    vaultKeepToken: bool('vault-keep-token'),
    metadataUrl: env[ENV_ONLY.metadataUrl],
    detectBudgetMs: duration('detect-budget', 300),
    checkKey: readCheckKey(env[ENV_ONLY.checkKey]),
  };
}

/** The shortest fingerprint key: 128 bits of hex. A short key could be guessed together with a weak value. */
export const MIN_CHECK_KEY_LENGTH = 32;

// The key is a secret itself: it is read from the environment only (argv shows in `ps`), never quoted.
function readCheckKey(text: string | undefined): Secret | undefined {
  if (text === undefined || text === '') return undefined;
  const name = ENV_ONLY.checkKey;
  if (isReference(text)) throw new UsageError(`${name} holds a reference; it is used as written: give the key itself`);
  if (text.length < MIN_CHECK_KEY_LENGTH) {
    throw new UsageError(
      `${name} is shorter than ${MIN_CHECK_KEY_LENGTH} characters; make one with: openssl rand -hex 16`,
    );
  }
  return new Secret(text);
}
