// `secrets-exec check`: resolve everything as a run would, print the redacted provenance table, run
// nothing. Every variable gets a row, failed ones with their error class; the errors are logged as a run
// would log them and the exit status is 125, as a run's would be (docs/check.md).
import type { Config } from '../cli/config.js';
import { ResolutionFailed } from '../errors/errors.js';
import type { Logger } from '../log/logger.js';
import { reportFailure } from '../log/report-failure.js';
import { EXIT_FAILURE } from '../process/exit-status.js';
import type { Env, Io, RunResult } from './io.js';
import { formatCheckTable } from './report.js';
import { resolveSecrets } from './resolve-secrets.js';

/** Resolves, then prints which provider answered each variable (or why it failed), never a value. */
export async function checkCommand(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  const resolution = await resolveSecrets({ config, env, io, log, keepFailures: true });
  io.stdout(
    formatCheckTable({
      variables: resolution.variables,
      failures: resolution.failures,
      format: config.logFormat,
      key: config.checkKey,
    }),
  );
  if (resolution.failures.length === 0) return { action: 'exit', status: 0 };
  reportFailure(log, new ResolutionFailed(resolution.failures));
  return { action: 'exit', status: EXIT_FAILURE };
}
