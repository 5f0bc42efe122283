// A thin client for the two calls of OCI's Secret Retrieval API (version 20190301) that secrets-exec
// makes, signed by Oracle's DefaultRequestSigner (draft-cavage signatures: x-date, (request-target)
// and host; for POST also content-type, content-length and x-content-sha256):
//   GetSecretBundle        GET  /20190301/secretbundles/{secretId}?versionNumber=N|stage=S
//   GetSecretBundleByName  POST /20190301/secretbundles/actions/getByName?secretName=…&vaultId=…[&…]
// Not the generated oci-secrets client: it adds a retrier, a circuit breaker and a fetch transport we
// would switch off, and start-up time. It never retries: src/resolve/retry.ts retries Unavailable.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { randomUUID } from 'node:crypto';
import { firstLine } from './api-key.js';
import { OciAuthError, OciHttpError, OciShapeError } from './errors.js';
import type { DefaultRequestSigner } from 'oci-common/lib/signer.js';

const API_VERSION = '20190301';
const MAX_BODY = 4 * 1024 * 1024;

export type BundleRequest =
  | { readonly secretId: string; readonly versionNumber?: string | undefined; readonly stage?: string | undefined }
  | { readonly vaultId: string; readonly secretName: string; readonly versionNumber?: string | undefined; readonly stage?: string | undefined };

export interface OciClient {
  /** Sends one request; resolves with the parsed JSON body or throws OciHttpError / a network error. */
  getSecretBundle(request: BundleRequest, signal: AbortSignal): Promise<unknown>;
  close(): void;
}

/** The client of one run: one keep-alive agent, one signer. */
export function createOciClient(options: { endpoint: URL; signer: DefaultRequestSigner; auth: string }): OciClient {
  const { endpoint, signer, auth } = options;
  const secure = endpoint.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const base = `${endpoint.origin}${endpoint.pathname.replace(/\/+$/, '')}/${API_VERSION}`;

  return {
    async getSecretBundle(request, signal) {
      const byName = 'vaultId' in request;
      const operation = byName ? 'GetSecretBundleByName' : 'GetSecretBundle';
      const query = new URLSearchParams();
      if (byName) {
        query.set('secretName', request.secretName);
        query.set('vaultId', request.vaultId);
      }
      if (request.versionNumber !== undefined) query.set('versionNumber', request.versionNumber);
      if (request.stage !== undefined) query.set('stage', request.stage);
      const path = byName ? '/secretbundles/actions/getByName' : `/secretbundles/${encodeURIComponent(request.secretId)}`;
      const search = query.toString();
      const uri = `${base}${path}${search ? `?${search}` : ''}`;
      const method = byName ? 'POST' : 'GET';
      const headers = new SigningHeaders({ accept: 'application/json', 'opc-request-id': randomUUID().replace(/-/g, '').toUpperCase() });
      try {
        // The signer reads and adds headers through get/has/set only; a fetch Headers would load undici.
        await signer.signHttpRequest({ method, uri, headers: headers as unknown as Headers });
      } catch (error) {
        throw signingFailure(error, auth);
      }
      const { res, text } = await send({ uri, method, headers, agent, secure, signal });
      return interpret({ status: res.statusCode ?? 0, text, operation, auth, requestId: header(res, 'opc-request-id') });
    },
    close: () => agent.destroy(),
  };
}

function send(options: {
  uri: string;
  method: string;
  headers: SigningHeaders;
  agent: HttpAgent;
  secure: boolean;
  signal: AbortSignal;
}): Promise<{ res: IncomingMessage; text: string }> {
  const url = new URL(options.uri);
  const headers = options.headers.toObject();
  const req = (options.secure ? httpsRequest : httpRequest)({
    method: options.method,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers,
    agent: options.agent,
    signal: options.signal,
  });
  return new Promise((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) res.destroy(new OciShapeError(`OCI's answer is larger than ${MAX_BODY} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ res, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end();
  });
}

// 2xx: the JSON body. Anything else: OCI's error model, {"code": "...", "message": "..."}.
function interpret(answer: { status: number; text: string; operation: string; auth: string; requestId: string | undefined }): unknown {
  const { status, text, operation, auth, requestId } = answer;
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (status >= 200 && status < 300) {
    if (json === undefined) throw new OciShapeError(`${operation}: the answer is not JSON (is SECRETS_EXEC_OCI_ENDPOINT an OCI Secrets endpoint?)`);
    return json;
  }
  const body = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const code = typeof body.code === 'string' ? body.code : '';
  const message = typeof body.message === 'string' ? body.message : '';
  throw new OciHttpError(status, code, message, operation, auth, requestId);
}

/** The request's headers while the signer adds host, x-date, the body headers and authorization. */
class SigningHeaders {
  readonly #values = new Map<string, string>();
  constructor(initial: Record<string, string>) {
    for (const [name, value] of Object.entries(initial)) this.set(name, value);
  }
  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.#values.set(name.toLowerCase(), String(value));
  }
  toObject(): Record<string, string> {
    return Object.fromEntries(this.#values);
  }
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// The signer asks the auth provider for the key id: for principals that is where a session token is
// fetched, so a failure here is the federation's (4xx from the auth service: Denied; else Unavailable).
function signingFailure(error: unknown, auth: string): OciAuthError {
  const text = firstLine(error);
  const kind = /status: 4\d\d/.test(text) ? 'Denied' : /key|PEM|parse/i.test(text) ? 'Invalid' : 'Unavailable';
  return new OciAuthError(kind, `could not sign the request with ${auth}: ${text}`, { cause: error });
}
