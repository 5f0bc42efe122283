// HTTP plumbing every provider (and detection) shares, over node:http(s): a keep-alive agent for the
// requests of one run, and reading a response body with a cap, so that a wrong endpoint or a hostile
// server cannot make secrets-exec buffer without bound. Only types are imported at the top: node:http
// is loaded by whoever sends the first request (start-up cost, see docs/architecture.md).
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { ProxyEnv } from './egress.js';
import { BodyTooLargeError } from './network-errors.js';

/** TLS material for an https agent: `ca` replaces Node's bundled roots when given. */
export interface AgentTls {
  readonly ca?: readonly Buffer[] | undefined;
  readonly cert?: Buffer | undefined;
  readonly key?: Buffer | undefined;
  readonly skipVerify: boolean;
}

/** One keep-alive agent for a run's requests to one service; `destroy()` it when the run ends. */
export async function createKeepAliveAgent(options: {
  secure: boolean;
  tls?: AgentTls;
  /** The run's proxy settings (egress.ts): Node's agent then tunnels or forwards through the proxy. */
  proxyEnv?: ProxyEnv | undefined;
}): Promise<HttpAgent | HttpsAgent> {
  const { secure, tls } = options;
  const proxy = options.proxyEnv === undefined ? {} : { proxyEnv: { ...options.proxyEnv } };
  if (!secure) return new (await import('node:http')).Agent({ keepAlive: true, ...proxy });
  const { Agent } = await import('node:https');
  return new Agent({
    keepAlive: true,
    ...proxy,
    ca: tls?.ca ? [...tls.ca] : undefined,
    cert: tls?.cert,
    key: tls?.key,
    rejectUnauthorized: !(tls?.skipVerify ?? false),
  });
}

/**
 * Reads a response body of at most `maxBytes`. A larger body destroys the response and rejects with
 * BodyTooLargeError; a body cut short (the request was aborted, the peer hung up) rejects too.
 */
export function readCappedBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) res.destroy(new BodyTooLargeError(maxBytes));
      else chunks.push(chunk);
    });
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('close', () => {
      if (!res.complete) reject(res.errored ?? new Error('answer cut short'));
    });
  });
}

/** Response headers with lower-cased names and repeated headers joined, as probes and errors read them. */
export function flattenHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers))
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
