// argv + env → one Config (docs/architecture.md): pure, no process.*, every problem a UsageError that names
// the option and says what to write instead.
import { UsageError } from '../errors/errors.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/logger.js';
import type { Command, Config } from './config.js';
import { parseDuration } from './duration.js';
import { ENV_ONLY, OPTIONS, envTwin, type OptionSpec } from './options.js';
import { parseStopConfig, parseWatchConfig } from './watch-config.js';

type Raw = Map<string, string[] | boolean>;
const SUBCOMMANDS: ReadonlySet<string> = new Set(['check', 'detect', 'ansible-vault-client']);
const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

/** Works out the whole configuration; `argv` is what follows the executable's own name. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config {
  let command: Command = 'run';
  let i = 0;
  if (argv[0] !== undefined && SUBCOMMANDS.has(argv[0])) {
    command = argv[0] as Command;
    i = 1;
  }
  const flags: Raw = new Map();
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (arg === '--help' || arg === '-h') return helpOrVersion('help');
    if (arg === '--version' || arg === '-V') return helpOrVersion('version');
    if (!arg.startsWith('-') || arg === '-') break; // the program: options end here, as with env(1)
    if (!arg.startsWith('--')) throw new UsageError(`unknown option '${arg}'; options are long (--name); see --help`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = OPTIONS.find((o) => o.flag === name);
    if (!spec) throw new UsageError(`unknown option '--${name}'; see --help (put the program after --)`);
    if (spec.kind === 'boolean') {
      flags.set(name, eq === -1 ? true : parseBoolean(arg.slice(eq + 1), `--${name}`));
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value (${spec.value ?? 'VALUE'})`);
    const previous = flags.get(name);
    flags.set(name, spec.kind === 'list' && Array.isArray(previous) ? [...previous, value] : [value]);
  }
  const program = argv.slice(i);
  if (command === 'run' && program.length === 0) {
    throw new UsageError('missing command: write secrets-exec [OPTIONS] -- COMMAND [ARG...]');
  }
  if (command !== 'run' && program.length > 0) {
    throw new UsageError(`'${command}' runs no program; remove '${program[0] ?? ''}' and what follows`);
  }
  return buildConfig(command, program, (spec) => flags.get(spec.flag) ?? fromEnv(spec, env), env);
}

function helpOrVersion(command: 'help' | 'version'): Config {
  return buildConfig(command, [], () => undefined, {});
}

// The env twin of an option: lists are comma-separated, booleans 1/0 true/false yes/no on/off.
function fromEnv(spec: OptionSpec, env: Readonly<Record<string, string | undefined>>): string[] | boolean | undefined {
  const name = envTwin(spec.flag);
  const value = env[name];
  if (value === undefined) return undefined;
  if (spec.kind === 'boolean') return parseBoolean(value, name);
  if (spec.kind === 'list')
    return value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  return [value];
}

function parseBoolean(value: string, what: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new UsageError(`${what}: '${value}' is not a boolean; write true or false`);
}

function buildConfig(
  command: Command,
  program: readonly string[],
  get: (spec: OptionSpec) => string[] | boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Config {
  const spec = (flag: string): OptionSpec => OPTIONS.find((o) => o.flag === flag) as OptionSpec;
  const list = (flag: string): string[] => {
    const v = get(spec(flag));
    return Array.isArray(v) ? v : [];
  };
  const one = (flag: string): string | undefined => list(flag).at(-1);
  const bool = (flag: string): boolean => get(spec(flag)) === true;

  const providerText = one('provider')?.trim() ?? 'auto';
  const providers =
    providerText === 'auto' || providerText === '' ? 'auto' : providerText.split(',').map((p) => p.trim());
  if (providers !== 'auto' && providers.some((p) => p === '' || p === 'auto')) {
    throw new UsageError(`--provider: '${providerText}' must be auto, or provider names separated by commas`);
  }
  // A vault password client's stderr reaches the terminal of whoever runs Ansible: warnings and errors only.
  const logLevel = one('log-level') ?? (command === 'ansible-vault-client' ? 'warn' : 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new UsageError(`--log-level: '${logLevel}' is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const logFormat = one('log-format') ?? 'text';
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) {
    throw new UsageError(`--log-format: '${logFormat}' is not one of ${LOG_FORMATS.join(', ')}`);
  }
  const vaultId = one('vault-id');
  if (vaultId !== undefined && command !== 'ansible-vault-client') {
    throw new UsageError('--vault-id is for ansible-vault-client (Ansible passes it to its vault password client)');
  }
  const timeout = one('timeout');
  const budget = one('detect-budget');
  const watch = parseWatchConfig(one);
  return {
    command,
    argv: program,
    providers,
    envFiles: list('env-file'),
    loads: list('load'),
    localFile: one('local-file'),
    ansibleVaults: list('ansible-vault'),
    ansibleVaultPasswords: list('ansible-vault-password'),
    vaultId,
    ansibleVaultPrefix: one('ansible-vault-prefix') ?? '',
    ansibleVaultUpcase: bool('ansible-vault-upcase'),
    ansibleVaultOverride: bool('ansible-vault-override'),
    timeoutMs: timeout === undefined ? 30_000 : parseDuration(timeout, '--timeout'),
    keepEnv: list('keep-env'),
    literals: list('literal'),
    allowNames: list('allow-name'),
    strict: bool('strict'),
    logLevel: logLevel as LogLevel,
    logFormat: logFormat as LogFormat,
    supervise: bool('supervise') || watch !== undefined || bool('mask'),
    mask: bool('mask'),
    watch,
    stop: parseStopConfig(one),
    vaultKeepToken: bool('vault-keep-token'),
    metadataUrl: env[ENV_ONLY.metadataUrl],
    detectBudgetMs: budget === undefined ? 300 : parseDuration(budget, '--detect-budget'),
  };
}
