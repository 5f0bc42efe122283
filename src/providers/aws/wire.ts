// One HTTP exchange of the AWS JSON protocol: the signed request goes out through the run's agents (a proxy,
// AWS_CA_BUNDLE, keep-alive sockets closed at the end of the run), and the answer is read with the cap every
// AWS answer has (shared/aws-body-cap.ts): past MAX_AWS_BODY bytes the socket is dropped and the call fails
// with AwsAnswerTooLargeError, having buffered at most the cap.
import type { AwsAgents } from './transport.js';
import { AwsAnswerTooLargeError, MAX_AWS_BODY } from '../shared/aws-body-cap.js';
import { readCappedBody } from '../shared/http.js';
import { endpointFor } from '../shared/http1-client.js';
import { abortError, BodyTooLargeError } from '../shared/network-errors.js';

/** A request as the signer returns it. */
export interface WireRequest {
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number | undefined;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** An answer read whole (below the cap). */
export interface WireAnswer {
  readonly status: number;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Sends a POST and reads its answer; network failures reject with Node's own error (its `code` kept). */
export function post(
  request: WireRequest,
  agents: AwsAgents,
  signal: AbortSignal,
  maxBytes: number = MAX_AWS_BODY,
): Promise<WireAnswer> {
  const secure = request.protocol === 'https:';
  const host = `${request.hostname}${request.port ? `:${request.port}` : ''}`;
  if (agents.direct) {
    const { client, ca } = agents.direct;
    const endpoint = endpointFor(new URL(`${request.protocol}//${host}`), { ca, skipVerify: false });
    const { path, headers } = request;
    const body = Buffer.from(request.body);
    return client
      .request(endpoint, { method: 'POST', path, headers, body, signal, maxBodyBytes: maxBytes })
      .catch((error: unknown) => Promise.reject(answerFailure(error, maxBytes, host)));
  }
  const http = globalThis.process.getBuiltinModule(secure ? 'node:https' : 'node:http');
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError());
    const req = http.request(
      {
        method: 'POST',
        // An IPv6 literal comes bracketed from the URL; the socket wants the bare address.
        hostname: request.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: request.port,
        path: request.path,
        headers: request.headers,
        agent: secure ? agents.httpsAgent : agents.httpAgent,
      },
      (res) =>
        readCappedBody(res, maxBytes).then(
          (body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
          (error: unknown) => reject(answerFailure(error, maxBytes, host)),
        ),
    );
    // The deadline ends the request (and its socket) as the SDK's handler does. Not through http.request's
    // own `signal` option, whose first use loads more of Node's stream code than the listener costs.
    const onAbort = (): void => {
      req.destroy();
      reject(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => signal.removeEventListener('abort', onAbort));
    req.on('error', reject);
    req.end(request.body);
  });
}

// Past the cap: the host that sent it is named. A connection cut in the middle of the body (no code of its
// own) is a reset, which the engine retries.
function answerFailure(error: unknown, maxBytes: number, host: string): unknown {
  if (error instanceof BodyTooLargeError) return new AwsAnswerTooLargeError(maxBytes, host);
  if ((error as { code?: unknown }).code !== undefined) return error;
  return Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' });
}
