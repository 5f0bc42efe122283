// `secrets-exec [OPTIONS] -- COMMAND`: resolve every reference, build the program's environment, find
// the program, check the environment, and hand both back for the entrypoint to exec.
import type { Config } from '../cli/config.js';
import type { Logger } from '../log/logger.js';
import { MIN_MASKED_LENGTH } from '../process/mask.js';
import { prepareCommand } from '../process/prepare-command.js';
import { buildChildEnv } from '../process/child-env.js';
import { validateEnv } from '../process/validate-env.js';
import { PROVIDERS } from '../providers/registry.js';
import { listCredentialEnv } from '../resolve/providers.js';
import type { Env, Io, RunResult } from './io.js';
import { keepProviders, resolveSecrets, type KeptProviders } from './resolve-secrets.js';

// The resolved variables --mask redacts; a value too short to mask is named in a warning (never shown).
function maskedNames(
  variables: readonly { variable: string; value?: unknown }[],
  env: Readonly<Record<string, string>>,
  log: Logger,
): string[] {
  const names = variables.filter((v) => v.value !== undefined && env[v.variable] !== undefined).map((v) => v.variable);
  const short = names.filter((n) => (env[n] ?? '').length < MIN_MASKED_LENGTH);
  if (short.length > 0) {
    log.warn(
      'mask.short',
      `not masked (shorter than ${MIN_MASKED_LENGTH} characters, they would redact ordinary output): ` +
        short.join(', '),
    );
  }
  return names;
}

/** Resolves, then returns the program to exec with its environment. */
export async function runCommand(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  // --watch keeps the providers (login, leases) for the polls to come; closed when the run ends.
  const kept = config.watch === undefined ? undefined : keepProviders();
  try {
    return await prepareRun(config, env, io, log, kept);
  } catch (error) {
    await kept?.close();
    throw error;
  }
}

async function prepareRun(
  config: Config,
  env: Env,
  io: Io,
  log: Logger,
  kept: KeptProviders | undefined,
): Promise<RunResult> {
  // While watching, a warning (e.g. the local store's) is logged once, not again at every poll.
  const warned = new Set<string>();
  const once: Logger = {
    ...log,
    warn: (event, message, fields) => {
      if (warned.has(`${event} ${message}`)) return log.debug(event, message, fields);
      warned.add(`${event} ${message}`);
      log.warn(event, message, fields);
    },
  };
  const resolution = await resolveSecrets({ config, env, io, log: kept === undefined ? log : once, kept });
  const credentials = listCredentialEnv(PROVIDERS);
  const childEnv = buildChildEnv({ env, variables: resolution.variables, credentials, keep: config.keepEnv });
  const command = prepareCommand(config.argv, { path: childEnv.PATH, cwd: io.cwd });
  validateEnv(childEnv, command.argv, io.argLimit);
  const { supervise, logLevel, logFormat, stop } = config;
  const mask = config.mask ? maskedNames(resolution.variables, childEnv, log) : undefined;
  const exec = { action: 'exec', command, env: childEnv, supervise, stop, mask } as const;
  const result = { ...exec, log, logLevel, logFormat };
  if (config.watch === undefined || kept === undefined) return result;
  // Each poll is a whole resolution again (env files included), without the stop trap of the first one
  // (the supervisor forwards signals by then), and its summary line at debug level.
  const quiet: Logger = { ...once, info: log.debug.bind(log) };
  const refresh = async (): Promise<Record<string, string>> => {
    const again = await resolveSecrets({ config, env, io: { ...io, interrupt: undefined }, log: quiet, kept });
    const next = buildChildEnv({ env, variables: again.variables, credentials, keep: config.keepEnv });
    validateEnv(next, command.argv, io.argLimit);
    return next;
  };
  return { ...result, watch: { settings: config.watch, refresh, close: () => kept.close() } };
}
