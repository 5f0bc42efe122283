// `secrets-exec check`: resolve everything as a run would, print the redacted provenance table, run
// nothing. A reference that cannot be resolved fails it exactly as it would fail a run.
import type { Config } from '../cli/config.js';
import type { Logger } from '../log/logger.js';
import type { Env, Io, RunResult } from './io.js';
import { formatCheckTable } from './report.js';
import { resolveSecrets } from './resolve-secrets.js';

/** Resolves, then prints which provider answered each variable, never a value. */
export async function checkCommand(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  const resolution = await resolveSecrets({ config, env, io, log });
  io.stdout(formatCheckTable(resolution.variables, config.logFormat));
  return { action: 'exit', status: 0 };
}
