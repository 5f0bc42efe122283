// `secrets-exec [OPTIONS] -- COMMAND`: resolve every reference, build the program's environment, find
// the program, check the environment, and hand both back for the entrypoint to exec.
import type { Config } from '../cli/config.js';
import type { Logger } from '../log/logger.js';
import { prepareCommand } from '../process/prepare-command.js';
import { buildChildEnv } from '../process/child-env.js';
import { validateEnv } from '../process/validate-env.js';
import { PROVIDERS } from '../providers/registry.js';
import { listCredentialEnv } from '../resolve/providers.js';
import type { Env, Io, RunResult } from './io.js';
import { resolveSecrets } from './resolve-secrets.js';

/** Resolves, then returns the program to exec with its environment. */
export async function runCommand(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  const resolution = await resolveSecrets({ config, env, io, log });
  const credentials = listCredentialEnv(PROVIDERS);
  const childEnv = buildChildEnv({ env, variables: resolution.variables, credentials, keep: config.keepEnv });
  const command = prepareCommand(config.argv, { path: childEnv.PATH, cwd: io.cwd });
  validateEnv(childEnv, command.argv, io.argLimit);
  const { supervise, logLevel, logFormat } = config;
  return { action: 'exec', command, env: childEnv, supervise, log, logLevel, logFormat };
}
