// Planning (docs/architecture.md): the environment, the --env-file entries and the --load references become a list
// of wanted references, each tied to the variable it fills. Pure: the caller reads the files.
import { ReferenceSyntaxError, ResolveError } from '../errors/errors.js';
import { formatReference, isReference, parseReference, type Reference, suggestScheme } from '../refs/index.js';

/** One variable to fill from one reference. */
interface Want {
  readonly variable: string;
  readonly ref: Reference;
  /** Canonical text, with #KEY and ?optional: what logs, errors and `check` show. */
  readonly reference: string;
  /** Where the reference was written: `env`, or the env file's path. */
  readonly source: string;
}

/** One map-valued secret whose keys become variables. */
export interface LoadWant {
  readonly ref: Reference;
  readonly reference: string;
  readonly prefix: string;
  readonly upcase: boolean;
  readonly override: boolean;
}

export interface Plan {
  readonly wants: readonly Want[];
  readonly loads: readonly LoadWant[];
}

export interface EnvFileEntries {
  readonly file: string;
  readonly entries: ReadonlyArray<{ readonly name: string; readonly value: string; readonly line: number }>;
}

const OWN_SETTINGS = 'SECRETS_EXEC_';

/** The parameters that belong to `--load` itself and are removed before fetching. */
const LOAD_PARAMS = ['prefix', 'upcase', 'override'] as const;

/** Works out what to fetch; collects every bad reference rather than stopping at the first. */
export function planResolution(input: {
  env: Readonly<Record<string, string | undefined>>;
  envFiles: readonly EnvFileEntries[];
  loads: readonly string[];
  /** Variables to pass on as written although they look like a mistyped reference (--literal). */
  literals?: readonly string[];
}): { plan: Plan; errors: ResolveError[] } {
  const literals = new Set(input.literals ?? []);
  const errors: ResolveError[] = [];
  const wants: Want[] = [];
  const invalid = (variable: string, reference: string, error: unknown): void => {
    const reason = error instanceof ReferenceSyntaxError ? error.message : String(error);
    errors.push(new ResolveError({ kind: 'Invalid', variable, reference, provider: 'none', reason }));
  };
  const add = (variable: string, text: string, source: string): void => {
    try {
      const ref = parseReference(text);
      wants.push({ variable, ref, reference: formatReference(ref), source });
    } catch (error) {
      invalid(variable, text, error);
    }
  };

  for (const [name, value] of Object.entries(input.env)) {
    // Only the schemes secrets-exec knows are references: DATABASE_URL=postgres://… passes through.
    // secrets-exec's own settings hold references too (SECRETS_EXEC_LOAD=vault://…), but as settings:
    // they are read by the CLI and scrubbed from the child, never resolved as variables.
    if (value === undefined || name.startsWith(OWN_SETTINGS)) continue;
    if (isReference(value)) add(name, value, 'env');
    else if (!literals.has(name)) checkNearMiss(name, value, errors);
  }
  for (const { file, entries } of input.envFiles) {
    for (const entry of entries) {
      // The environment wins over the image's contract file, so an operator can repoint one variable.
      if (Object.hasOwn(input.env, entry.name) && input.env[entry.name] !== undefined) continue;
      if (wants.some((w) => w.variable === entry.name)) {
        errors.push(
          new ResolveError({
            kind: 'Invalid',
            variable: entry.name,
            reference: entry.value,
            provider: 'none',
            reason: `defined twice in env files (again at ${file}:${entry.line})`,
          }),
        );
        continue;
      }
      // Env files hold references only: a plain value there is refused, so nobody commits a password to one.
      if (!isReference(entry.value)) {
        const meant = suggestScheme(entry.value);
        const reason =
          `${file}:${entry.line} holds something that is not a reference; env files carry references only ` +
          (meant === undefined ? '(write SCHEME://…)' : `(did you mean ${meant}://?)`);
        errors.push(
          new ResolveError({
            kind: 'Invalid',
            variable: entry.name,
            reference: '(not shown)',
            provider: 'none',
            reason,
          }),
        );
        continue;
      }
      add(entry.name, entry.value, file);
    }
  }
  const loads: LoadWant[] = [];
  for (const text of input.loads) {
    try {
      const parsed = parseReference(text, { extraParams: LOAD_PARAMS });
      const { prefix, upcase, override, ...params } = parsed.params;
      const ref = { ...parsed, params };
      loads.push({
        ref,
        reference: formatReference(parsed),
        prefix: prefix ?? '',
        upcase: isSet(upcase),
        override: isSet(override),
      });
    } catch (error) {
      invalid('--load', text, error);
    }
  }
  return { plan: { wants, loads }, errors };
}

function isSet(flag: string | undefined): boolean {
  return flag !== undefined && flag !== 'false';
}

// A value that looks like a mistyped reference (`secrets://db`, `Vault://x`, `vault:/x`) would reach the
// program as a literal string: stop instead, naming only the scheme as written (the rest could be a value).
function checkNearMiss(variable: string, value: string, errors: ResolveError[]): void {
  const meant = suggestScheme(value);
  if (meant === undefined) return;
  const written = value.slice(0, value.indexOf(':'));
  const slashes = value.startsWith(`${written}://`) ? '://' : ':/';
  const reason =
    `its value starts with '${written}${slashes}', which is not a reference scheme: did you mean ${meant}://? ` +
    `(to pass the value on as written, add --literal ${variable})`;
  errors.push(new ResolveError({ kind: 'Invalid', variable, reference: '(not shown)', provider: 'none', reason }));
}
