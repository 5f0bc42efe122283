// The socket-level error codes that mean "the service could not be reached" (Unavailable, retried
// centrally), for every provider and for detection: one list, so that a new code is learnt once.

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** The error's `code` (Node's system and library errors carry one), or undefined. */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when the error code says the network, not the service, failed. */
export function isNetworkErrorCode(code: string | undefined): boolean {
  return code !== undefined && NETWORK_CODES.has(code);
}

/** A short reason for a failed exchange: "connection refused", "network unreachable", … */
export function describeNetworkError(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'network unreachable';
    case 'ECONNRESET':
      return 'connection reset';
    case undefined:
      return error instanceof BodyTooLargeError ? 'answer too large' : 'request failed';
    default:
      return `request failed (${code})`;
  }
}

/** An answer whose body passed its size cap: it was not read further. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes`);
  }
}

/** The error node:http rejects a request with when its signal aborts it, whatever the signal's reason. */
export function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}
