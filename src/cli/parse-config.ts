// argv + env → one Config (docs/architecture.md): pure, no process.*, every problem a UsageError that names
// the option or variable it came from and says what to write instead.
import { UsageError } from '../errors/errors.js';
import type { Command, Config } from './config.js';
import { buildConfig, type Setting } from './build-config.js';
import { OPTIONS, envTwin, type OptionSpec } from './options.js';

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
  const flags = new Map<string, Setting>();
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (arg === '--help' || arg === '-h') return helpOrVersion('help');
    if (arg === '--version' || arg === '-V') return helpOrVersion('version');
    if (!arg.startsWith('-') || arg === '-') {
      // A subcommand after options (`--env-file f check`) is that subcommand; a program named `check`
      // runs after `--`.
      if (command !== 'run' || !SUBCOMMANDS.has(arg)) break; // the program: options end here, as with env(1)
      command = arg as Command;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option '${arg}'; options are long (--name); see --help`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = OPTIONS.find((o) => o.flag === name);
    if (!spec) throw new UsageError(`unknown option '--${name}'; see --help (put the program after --)`);
    const previous = flags.get(name);
    if (previous !== undefined && spec.kind !== 'list') {
      throw new UsageError(`--${name} is given twice; it takes one value: keep one of them`);
    }
    if (spec.kind === 'boolean') {
      flags.set(name, { value: eq === -1 ? true : parseBoolean(arg.slice(eq + 1), `--${name}`), from: `--${name}` });
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value (${spec.value ?? 'VALUE'})`);
    if (value.trim() === '' && spec.emptyMeans === undefined) {
      throw new UsageError(`--${name} needs a value (${spec.value ?? 'VALUE'}), not an empty string`);
    }
    const values = Array.isArray(previous?.value) ? previous.value : [];
    flags.set(name, { value: [...values, value], from: `--${name}` });
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

// The env twin of an option: lists are comma-separated, booleans 1/0 true/false yes/no on/off. An empty
// variable counts as unset (compose files and manifests blank a variable to clear it).
function fromEnv(spec: OptionSpec, env: Readonly<Record<string, string | undefined>>): Setting | undefined {
  const name = envTwin(spec.flag);
  const value = env[name];
  if (value === undefined) return undefined;
  if (spec.kind === 'boolean') return { value: parseBoolean(value, name), from: name };
  if (value.trim() === '') return undefined;
  if (spec.kind === 'list') {
    const items = value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return { value: items, from: name };
  }
  return { value: [value], from: name };
}

function parseBoolean(value: string, what: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new UsageError(`${what}: '${value}' is not a boolean; write true or false`);
}
