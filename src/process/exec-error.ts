import { SecretsExecError } from '../errors/errors.js';

/** The program cannot be started: 127 when it is not found, 126 when it is found but cannot run (as env(1)). */
export class ExecError extends SecretsExecError {
  override name = 'ExecError';
  constructor(readonly status: 126 | 127, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
