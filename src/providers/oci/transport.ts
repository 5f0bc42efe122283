// The HTTP leg of a signed OCI request, over node:http(s) with the run's keep-alive agent: the headers
// the signer filled in are sent as they are (host included, as it was signed), and the answer is read
// up to a size cap.
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { OciShapeError } from './errors.js';

const MAX_BODY = 4 * 1024 * 1024;

/** The request's headers while the signer adds host, x-date, the body headers and authorization. */
export class SigningHeaders {
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

/** One response header's value (the first, when it was sent twice). */
export function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Sends one request and reads the whole answer. */
export function sendRequest(options: {
  uri: string;
  method: string;
  headers: SigningHeaders;
  agent: Agent;
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
