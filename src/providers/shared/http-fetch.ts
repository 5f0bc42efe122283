// A `fetch` for vendor libraries that take one as an option (gaxios's `fetchImplementation`, under Google's auth
// library), sent with node:http(s) instead of Node's own fetch: that one loads undici (35–55 ms of start-up) for
// the one or two token requests of a run, where a first node:http request costs a few milliseconds. It follows
// the rules of every provider's own requests: the run's proxy (egress.ts; the CA is process-wide already), an
// answer's body capped (BodyTooLargeError, as capped-fetch.ts), and no redirect followed (a token endpoint
// answers itself; a 3xx is handed back as it is). It does what those libraries use of fetch — method, headers,
// a string, URLSearchParams or byte body, an AbortSignal — and answers a Response look-alike whose body is read
// whole before it resolves. Nothing is asked for compressed; a server that compresses anyway is inflated, as
// fetch would, within the same cap.
import type { IncomingMessage } from 'node:http';
import type { Egress } from './egress.js';
import { Headers } from './fetch-headers.js';
import { readCappedBody } from './http.js';
import { BodyTooLargeError } from './network-errors.js';

type HeaderSource = Iterable<readonly string[]>;

/** What the libraries pass as fetch's second argument (gaxios passes its whole prepared request). */
export interface FetchInit {
  readonly method?: string;
  readonly headers?: HeaderSource | Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal | null;
}

export type HttpFetch = (input: string | URL | { url: string }, init?: FetchInit) => Promise<FetchedResponse>;

/** The answer: status, headers and the whole body, read the ways fetch's Response reads it. */
export class FetchedResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  #bodyUsed = false;
  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly bytes: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }
  get bodyUsed(): boolean {
    return this.#bodyUsed;
  }
  #take(): Buffer {
    if (this.#bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.#bodyUsed = true;
    return this.bytes;
  }
  async text(): Promise<string> {
    return this.#take().toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  async blob(): Promise<Blob> {
    return new Blob([new Uint8Array(this.#take())], { type: this.headers.get('content-type') ?? '' });
  }
}

/**
 * A fetch over node:http(s) that asks `network` for the run's egress before each request and reads at most
 * `maxBytes` of an answer.
 */
export function createHttpFetch(network: () => Promise<Egress>, maxBytes: number): HttpFetch {
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`cannot fetch ${url.protocol} URLs`);
    const { proxyEnv } = await network();
    const http = globalThis.process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http');
    // One connection per request (a run sends one to three): nothing stays open for the run to close. Through a
    // proxy, Node's agent tunnels or forwards, and leaves the metadata addresses direct (egress.ts).
    const agent = new http.Agent({
      keepAlive: false,
      ...(proxyEnv === undefined ? {} : { proxyEnv: { ...proxyEnv } }),
    });
    const { body, contentType } = encodeBody(init.body);
    const headers = requestHeaders(init.headers);
    if (contentType !== undefined && !('content-type' in headers)) headers['content-type'] = contentType;
    if (body !== undefined) headers['content-length'] = String(body.length);
    headers.accept ??= '*/*';
    const method = (init.method ?? 'GET').toUpperCase();
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = http.request(url, { method, headers, agent, signal: init.signal ?? undefined });
      req.on('response', resolve);
      req.on('error', reject);
      req.end(body);
    });
    const bytes = decodeBody(await readCappedBody(res, maxBytes), res.headers['content-encoding'], maxBytes);
    return new FetchedResponse(url.href, res.statusCode ?? 0, res.statusMessage ?? '', answerHeaders(res), bytes);
  };
}

// Request headers as node:http takes them, lower-cased (a Headers, pairs or a record).
function requestHeaders(source: FetchInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  };
  if (source === undefined || source === null) return out;
  // A Headers of either kind lists its pairs when iterated, as a sequence of pairs does.
  if (Symbol.iterator in source) for (const [name, value] of source as Iterable<string[]>) add(`${name}`, `${value}`);
  else for (const [name, value] of Object.entries(source)) add(name, value);
  return out;
}

// The body as bytes, with the content type fetch gives it when the caller sets none.
function encodeBody(body: unknown): { body?: Buffer; contentType?: string } {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { body: Buffer.from(body, 'utf8'), contentType: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) {
    return {
      body: Buffer.from(body.toString(), 'utf8'),
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    };
  }
  if (body instanceof ArrayBuffer) return { body: Buffer.from(body) };
  if (ArrayBuffer.isView(body)) return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  // Streams, FormData and Blobs: none of the libraries' token requests sends one.
  throw new TypeError(`cannot send a ${Object.prototype.toString.call(body)} body`);
}

// gzip, deflate and br are inflated (at most `maxBytes` of output); other codings are passed on as fetch does.
function decodeBody(bytes: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  const coding = encoding?.trim().toLowerCase();
  const inflate = {
    gzip: 'gunzipSync',
    'x-gzip': 'gunzipSync',
    deflate: 'inflateSync',
    br: 'brotliDecompressSync',
  } as const;
  const method = coding === undefined ? undefined : inflate[coding as keyof typeof inflate];
  if (method === undefined) return bytes;
  try {
    return globalThis.process.getBuiltinModule('node:zlib')[method](bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(maxBytes);
    throw error;
  }
}

// Repeated answer headers are kept apart (rawHeaders), as fetch's Headers keeps them.
function answerHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}
