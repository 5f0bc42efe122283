// How a failed run is told: one error line per failed variable (README "Logs and check": "a one-line error that names
// the variable, the reference, the provider and the reason class"), as text or JSON. Errors that are
// not ours are bugs: their message may quote data, so only the class is shown.
import { isSecretsExecError, ResolutionFailed, type ResolveError } from '../errors/errors.js';
import type { Logger } from './logger.js';

function fieldsOf(error: ResolveError): Record<string, string> {
  return { variable: error.variable, reference: error.reference, provider: error.provider, kind: error.kind };
}

/** Logs why secrets-exec stopped. */
export function reportFailure(log: Logger, error: unknown): void {
  if (error instanceof ResolutionFailed) {
    for (const e of error.errors)
      log.error('resolve.failed', e.message, log.format === 'json' ? fieldsOf(e) : undefined);
  } else if (isSecretsExecError(error)) {
    log.error(error.name === 'ExecError' ? 'exec.failed' : 'usage', error.message);
  } else {
    log.error(
      'internal',
      `internal error: ${error instanceof Error ? error.name : 'unknown'} (a bug: please report it)`,
    );
  }
}
