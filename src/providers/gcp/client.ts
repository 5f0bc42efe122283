// The one REST call the provider makes, `GET /v1/{name}:access`. Not @google-cloud/secret-manager: its
// gRPC client costs 180-255 ms of start-up inside the executable, and REST needs nothing from it.
// https endpoints: HTTP/2, every request of the run a stream of one connection per origin
// (h2-sessions.ts); an endpoint without HTTP/2, and plain-http emulators and loopback endpoints: HTTP/1.1
// over one keep-alive agent whose socket cap is the concurrency cap. Through an egress proxy
// (docs/network.md) every request is HTTP/1.1 over a CONNECT tunnel: Node's agents tunnel, its HTTP/2
// client does not, and a proxy holds one tunnel per socket either way.
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { ClientHttp2Session } from 'node:http2';
import type { Logger } from '../../log/logger.js';
import { GcpApiError, GcpShapeError } from './errors.js';
import { createH2Pool } from './h2-sessions.js';
import { createLimit } from '../shared/limit.js';
import type { Egress, ProxyEnv } from '../shared/egress.js';
import { asUntrusted } from '../shared/egress-errors.js';

/** Parallel HTTP/1.1 requests per endpoint: 50 references then take one round trip. */
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

interface Answer {
  readonly status: number;
  readonly text: string;
}

/**
 * The client of one run. `network` makes the run's CA and proxy settings process-wide (the extra CA of
 * SECRETS_EXEC_CA_FILE joins Node's default roots, which the agents and HTTP/2 sessions use) and says
 * which requests go through a proxy; it is called before the first request.
 */
export function createClient(log: Logger, network: () => Promise<Egress>): SecretManagerClient {
  // Each agent (and its module: node:https loads TLS) is made on first use: an emulator needs only http.
  const agents = new Map<string, HttpAgent>();
  const agentFor = (protocol: string, proxyEnv: ProxyEnv | undefined): HttpAgent => {
    const key = `${protocol}${proxyEnv ? ' proxied' : ''}`;
    let agent = agents.get(key);
    if (!agent) {
      const { Agent } = builtin(protocol === 'https:' ? 'node:https' : 'node:http');
      const proxy = proxyEnv === undefined ? {} : { proxyEnv: { ...proxyEnv } };
      agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, ...proxy });
      agents.set(key, agent);
    }
    return agent;
  };
  const h2Pool = createH2Pool(log);
  // The run's requests in flight at once (a project's quota counts them all).
  const limit = createLimit();
  const send = async (request: AccessRequest): Promise<Answer> => {
    const egress = await network();
    const proxied = egress.proxyFor(request.url) !== undefined;
    if (request.url.protocol === 'https:' && !proxied) {
      const session = await h2Pool.sessionFor(request.url.origin);
      if (session) return h2Pool.withStream(() => sendH2(session, request));
    }
    return sendH1(request, agentFor(request.url.protocol, proxied ? egress.proxyEnv : undefined));
  };
  return {
    async access(request) {
      const { status, text } = await limit(() => send(request)).catch((error: unknown) => {
        throw asUntrusted(error, `the Secret Manager endpoint ${request.url.host}`, []) ?? error;
      });
      return interpret(status, text, request);
    },
    close() {
      h2Pool.close();
      for (const agent of agents.values()) agent.destroy();
    },
  };
}

// Node's builtins, loaded when first needed (bundled code keeps them out of start-up).
function builtin(name: 'node:http' | 'node:https'): typeof import('node:http') {
  return globalThis.process.getBuiltinModule(name) as typeof import('node:http');
}

function sendH2(session: ClientHttp2Session, request: AccessRequest): Promise<Answer> {
  const { url } = request;
  const stream = session.request(
    { ...request.headers, ':path': `${url.pathname}${url.search}`, accept: 'application/json' },
    { endStream: true, signal: request.signal },
  );
  return new Promise((resolve, reject) => {
    let status = 0;
    stream.on('response', (headers) => (status = Number(headers[':status'] ?? 0)));
    collect(stream, request.name, (text) => resolve({ status, text }), reject);
  });
}

function sendH1(request: AccessRequest, agent: HttpAgent): Promise<Answer> {
  const headers = { ...request.headers, Accept: 'application/json' };
  const options = { method: 'GET', agent, headers, signal: request.signal };
  const req = builtin(request.url.protocol === 'https:' ? 'node:https' : 'node:http').request(request.url, options);
  return new Promise((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      collect(res, request.name, (text) => resolve({ status: res.statusCode ?? 0, text }), reject);
    });
    req.end();
  });
}

// Reads a body up to MAX_BODY bytes.
type Body = NodeJS.ReadableStream & { destroy(error?: Error): void };
function collect(body: Body, name: string, done: (text: string) => void, fail: (e: Error) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  body.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
    else body.destroy(new GcpShapeError(`the answer for ${name} is larger than ${MAX_BODY} bytes`));
  });
  body.on('error', fail);
  body.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
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
