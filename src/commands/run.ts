// `secrets-exec [OPTIONS] -- COMMAND`: resolve every reference, build the program's environment, find
// the program, check the environment, and hand both back for the entrypoint to exec.
import type { Config } from '../cli/config.js';
import type { Logger } from '../log/logger.js';
import { prepareCommand } from '../process/prepare-command.js';
import { scrubEnv } from '../process/scrub-env.js';
import { validateEnv } from '../process/validate-env.js';
import { PROVIDERS } from '../providers/registry.js';
import { listCredentialEnv } from '../resolve/providers.js';
import type { Resolution } from '../resolve/resolve-all.js';
import type { Env, Io, RunResult } from './io.js';
import { resolveSecrets } from './resolve-secrets.js';

/** Resolves, then returns the program to exec with its environment. */
export async function runCommand(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  const resolution = await resolveSecrets({ config, env, io, log });
  const childEnv = buildChildEnv(env, resolution, config);
  const command = prepareCommand(config.argv, { path: childEnv.PATH, cwd: io.cwd });
  validateEnv(childEnv, command.argv);
  return { action: 'exec', command, env: childEnv, supervise: config.supervise, log };
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
  return scrubEnv(out, { credentials: listCredentialEnv(PROVIDERS), keep: config.keepEnv });
}
