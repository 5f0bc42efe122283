// One run of secrets-exec as a function of argv, env and an Io object (STYLE §2, §3): it decides
// everything and returns what to do — exit with a status, or exec a program with an environment — so
// tests drive whole runs in-process and only src/entrypoint.ts touches the real process.
import type { Config } from './cli/config.js';
import { formatHelp } from './cli/help.js';
import { parseConfig } from './cli/parse-config.js';
import { detectChain, detectTiers } from './detect/detect.js';
import { DotenvSyntaxError, parseDotenv } from './formats/dotenv.js';
import { ProviderError, ResolutionFailed, UsageError } from './errors/errors.js';
import { createLogger, type Logger } from './log/logger.js';
import { reportFailure } from './log/report-failure.js';
import { exitStatusForError } from './process/exit-status.js';
import { prepareCommand, type PreparedCommand } from './process/prepare-command.js';
import { scrubEnv } from './process/scrub-env.js';
import { validateEnv } from './process/validate-env.js';
import { getEntryForScheme, getProviderEntry, isAvailable, listCredentialEnv } from './providers/registry.js';
import { startDeadline } from './resolve/deadline.js';
import { planResolution, type EnvFileEntries, type Plan } from './resolve/plan.js';
import { fixedTiers } from './resolve/fetch-all.js';
import { resolveAll, type DerivedLoad, type Resolution } from './resolve/resolve-all.js';
import { DEFAULT_RETRY, type RetryPolicy } from './resolve/retry.js';
import type { Provider, ProviderContext } from './resolve/types.js';
import { formatCheckTable, formatDetection } from './report.js';

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
}

export type RunResult =
  | { readonly action: 'exit'; readonly status: number }
  | { readonly action: 'exec'; readonly command: PreparedCommand; readonly env: Record<string, string>; readonly supervise: boolean; readonly log: Logger };

/** Runs secrets-exec up to the point of exec; a failure is logged and becomes an exit status. */
export async function main(argv: readonly string[], env: Env, io: Io): Promise<RunResult> {
  // Until the options are parsed, errors are logged in the format the environment asks for.
  let log = createLogger({ level: 'info', format: env.SECRETS_EXEC_LOG_FORMAT === 'json' ? 'json' : 'text', write: io.stderr });
  try {
    const config = parseConfig(argv, env);
    log = createLogger({ level: config.logLevel, format: config.logFormat, write: io.stderr });
    return await run(config, env, io, log);
  } catch (error) {
    reportFailure(log, error);
    return { action: 'exit', status: exitStatusForError(error) };
  }
}

async function run(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  if (config.command === 'help') return print(io, formatHelp(io.version));
  if (config.command === 'version') return print(io, `secrets-exec ${io.version}\n`);

  if (config.command === 'detect') {
    const detection = await detectChain({ config, env, now: io.now });
    io.stdout(formatDetection(detection, config.logFormat));
    if (detection.error !== undefined) log.error('detect.ambiguous', detection.error);
    return { action: 'exit', status: detection.tiers.length > 0 && detection.error === undefined ? 0 : 125 };
  }

  const started = io.now();
  const envFiles = await readEnvFiles(config, io);
  const { plan, errors } = planResolution({ env, envFiles, loads: config.loads });
  if (errors.length > 0) throw new ResolutionFailed(errors);
  // Ansible Vault files are read and checked now, so a malformed one fails before any fetch. The module
  // (with crypto and the YAML parser) is evaluated only when a file is given.
  const derived = config.ansibleVaults.length === 0 ? [] : await (await import('./ansible-vault/load-files.js')).loadAnsibleVaults(config, io.readFile);
  const resolution = await resolvePlan({ plan, derived, config, env, io, log });
  const ms = io.now() - started;
  const count = resolution.variables.filter((v) => v.value !== undefined).length;
  if (count > 0 || plan.wants.length > 0) {
    log.info('resolve.done', `resolved ${count} secret${count === 1 ? '' : 's'}${resolution.providers.length > 0 ? ` from ${resolution.providers.join(', ')}` : ''} in ${ms} ms`);
  }

  if (config.command === 'check') {
    io.stdout(formatCheckTable(resolution.variables, config.logFormat));
    return { action: 'exit', status: 0 };
  }
  const childEnv = buildChildEnv(env, resolution, config);
  const command = prepareCommand(config.argv, { path: childEnv.PATH, cwd: io.cwd });
  validateEnv(childEnv, command.argv);
  return { action: 'exec', command, env: childEnv, supervise: config.supervise, log };
}

function print(io: Io, text: string): RunResult {
  io.stdout(text);
  return { action: 'exit', status: 0 };
}

async function readEnvFiles(config: Config, io: Io): Promise<EnvFileEntries[]> {
  return Promise.all(
    config.envFiles.map(async (file) => {
      let text: string;
      try {
        text = (await io.readFile(file)).toString('utf8');
      } catch (error) {
        throw new UsageError(`--env-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      try {
        return { file, entries: parseDotenv(text) };
      } catch (error) {
        if (error instanceof DotenvSyntaxError) throw new UsageError(`--env-file ${file}: ${error.message}`);
        throw error;
      }
    }),
  );
}

// Fetching, with the chain worked out only when a `secret://` reference needs it (detection may probe
// the network; a run with only explicit schemes should not pay for that), and then in parallel with
// the first tier's requests.
async function resolvePlan(input: { plan: Plan; derived: readonly DerivedLoad[]; config: Config; env: Env; io: Io; log: Logger }): Promise<Resolution> {
  const { plan, derived, config, env, io, log } = input;
  const needsChain = [...plan.wants.map((w) => w.ref), ...plan.loads.map((l) => l.ref), ...derived.flatMap((d) => d.refs)].some((r) => r.scheme === 'secret');
  const tiers = needsChain ? detectTiers({ config, env, now: io.now }) : fixedTiers([]);
  const deadline = startDeadline(config.timeoutMs, io.now);
  const ctx: ProviderContext = { env, config, log, signal: deadline.signal, deadline: deadline.at, readFile: io.readFile };
  const loaded = new Map<string, Promise<Provider>>();
  const loadProvider = (name: string): Promise<Provider> => {
    let p = loaded.get(name);
    if (!p) {
      const entry = getProviderEntry(name);
      p = isAvailable(entry) && entry.load
        ? entry.load()
        : Promise.reject(new ProviderError('Invalid', `provider ${name} is not available in this build`));
      loaded.set(name, p);
    }
    return p;
  };
  try {
    return await resolveAll({
      plan,
      derived,
      env,
      fetch: {
        loadProvider,
        providerForScheme: (scheme) => getEntryForScheme(scheme)?.name,
        tiers,
        warnsOnFallThrough: (name) => getProviderEntry(name).tier === 'local',
        strict: config.strict,
        ctx,
        policy: io.retry ?? DEFAULT_RETRY,
        now: io.now,
        log,
      },
    });
  } finally {
    deadline.dispose();
    // Providers clean up what they created (a Vault token obtained by login is revoked) whether or not
    // resolution succeeded.
    for (const p of loaded.values()) {
      const provider = await p.catch(() => undefined);
      await provider?.close?.(ctx).catch((error: unknown) => log.warn('provider.close', `${provider.name}: cleanup failed: ${error instanceof ProviderError ? error.message : 'unexpected error'}`));
    }
  }
}

// The child's environment: the wrapper's, with each reference replaced by its value (or removed when
// optional and missing), loaded keys added, and secrets-exec's own credentials scrubbed.
function buildChildEnv(env: Env, resolution: Resolution, config: Config): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  for (const v of resolution.variables) {
    if (v.value === undefined) delete out[v.variable];
    else out[v.variable] = v.value.reveal();
  }
  return scrubEnv(out, { credentials: listCredentialEnv(), keep: config.keepEnv });
}
