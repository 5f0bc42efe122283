import { SecretsExecError } from '../errors/errors.js';

/** The program cannot be started: 127 when it is not found, 126 when it is found but cannot run (as env(1)),
 * 125 when the failure is not the program's (no memory, arguments too large). */
export class ExecError extends SecretsExecError {
  override name = 'ExecError';
  constructor(
    readonly status: 125 | 126 | 127,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
