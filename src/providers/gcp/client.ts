// The one REST call the provider makes, `GET /v1/{name}:access`, over node:http(s) with one keep-alive
// agent per scheme for the run. Not @google-cloud/secret-manager: its gRPC client costs 180-255 ms of
// start-up inside the executable, and REST needs nothing from it. The agent's socket cap is the
// concurrency cap: a run's requests go out in parallel over at most MAX_SOCKETS reused connections.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { GcpApiError, GcpShapeError } from './errors.js';

/** Parallel requests per endpoint: 50 references then take one round trip (Google allows far more). */
export const MAX_SOCKETS = 50;
const MAX_BODY = 1024 * 1024; // a payload is at most 64 KiB; its base64 in JSON is far below this

export interface AccessRequest {
  readonly url: URL;
  /** The version's resource name (for messages). */
  readonly name: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Where the credentials came from (for messages). */
  readonly source: string;
  readonly signal: AbortSignal;
}

export interface SecretManagerClient {
  /** Sends one access request; resolves with the JSON body of a 2xx answer, throws GcpApiError otherwise. */
  access(request: AccessRequest): Promise<Record<string, unknown>>;
  close(): void;
}

/** The client of one run. */
export function createClient(): SecretManagerClient {
  const https = new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const http = new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const send = (request: AccessRequest): Promise<{ res: IncomingMessage; text: string }> => {
    const secure = request.url.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(request.url, {
      method: 'GET',
      agent: secure ? https : http,
      headers: { ...request.headers, Accept: 'application/json' },
      signal: request.signal,
    });
    return new Promise((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
          else res.destroy(new GcpShapeError(`the answer for ${request.name} is larger than ${MAX_BODY} bytes`));
        });
        res.on('error', reject);
        res.on('end', () => resolve({ res, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.end();
    });
  };
  return {
    async access(request) {
      const { res, text } = await send(request);
      return interpret(res.statusCode ?? 0, text, request);
    },
    close() {
      https.destroy();
      http.destroy();
    },
  };
}

// 2xx: the JSON object; otherwise Google's {"error": {"code", "message", "status"}} (or anything else a
// proxy may have answered) as a GcpApiError.
function interpret(status: number, text: string, request: AccessRequest): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const isObject = json !== null && typeof json === 'object' && !Array.isArray(json);
  const object = isObject ? (json as Record<string, unknown>) : undefined;
  if (status >= 200 && status < 300) {
    if (object) return object;
    throw new GcpShapeError(`the answer for ${request.name} is not a JSON object (is the endpoint Secret Manager?)`);
  }
  const error = object?.error as { message?: unknown; status?: unknown } | undefined;
  const code = typeof error?.status === 'string' ? error.status : undefined;
  const said = typeof error?.message === 'string' ? error.message.replace(/\s+/g, ' ').trim().slice(0, 240) : '';
  throw new GcpApiError(status, code, said, request.name, request.source);
}
