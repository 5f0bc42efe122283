// An HTTP/1.1 client over node:net and node:tls, for a provider that sends a few small requests to one
// service at start-up. node:http costs a Vault reference about a third of its start-up: loading it
// (ten of Node's modules) and the first request through it (whose functions Node compiles on first
// call) took ≈ 7 ms more than the same request written on a socket (docs/performance.md). Connections
// are kept alive for the run and closed by close(). No proxy support: a run with a proxy variable
// sends through node:http's agent, which tunnels (the caller chooses).
import type { Socket } from 'node:net';
import type { AgentTls } from './http.js';
import { type Http1Response, ResponseParser, type ResponseLimits } from './http1-response.js';
import { abortError } from './network-errors.js';

/** Where to connect: a TCP host and port (with TLS when `tls` is given), or a unix socket. */
export type Http1Endpoint =
  | {
      readonly host: string;
      readonly port: number;
      /** The Host header: `host:port` as the URL wrote it (URL.host). */
      readonly authority: string;
      readonly tls?: (AgentTls & { readonly servername?: string | undefined }) | undefined;
    }
  | { readonly socketPath: string };

export interface Http1Request {
  readonly method: string;
  /** Origin form: `/v1/secret/data/app?version=2`, already %-encoded. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | undefined;
  readonly signal: AbortSignal;
  /** This answer's cap, when not the client's. */
  readonly maxBodyBytes?: number | undefined;
}

export interface Http1Client {
  request(endpoint: Http1Endpoint, request: Http1Request): Promise<Http1Response>;
  /** Destroys every connection, idle or busy. */
  close(): void;
}

// node:http's own default for the status line and fields together.
const MAX_HEADER_BYTES = 16 * 1024;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[^\r\n\0]*$/;
const ORIGIN_FORM = /^\/[\x21-\x7e]*$/;
// The methods Go's HTTP client replays on a new connection (it leaves PUT and DELETE to the caller too).
const REPLAYABLE = new Set(['GET', 'HEAD', 'OPTIONS']);
// How a connection closed under a request shows: reset, or closed before a byte of the answer.
const isDrop = (error: unknown): boolean => ['ECONNRESET', 'EPIPE'].includes((error as { code?: string }).code ?? '');

export function createHttp1Client(options: { maxBodyBytes: number }): Http1Client {
  const limits = { maxHeaderBytes: MAX_HEADER_BYTES, maxBodyBytes: options.maxBodyBytes };
  // Kept-alive connections by endpoint, each with the function that takes it back out of the pool.
  const idle = new Map<string, { socket: Socket; unpark(): void }[]>();
  const open = new Set<Socket>();
  let closed = false;

  // An idle connection is unreferenced (the run may end with it open) and leaves the pool if the server
  // closes it; it is referenced again when a request takes it.
  const park = (key: string, socket: Socket): void => {
    const list = idle.get(key) ?? [];
    idle.set(key, list);
    const entry = {
      socket,
      unpark: () => {
        socket.off('close', drop);
        socket.off('error', drop);
        socket.ref();
      },
    };
    function drop(): void {
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
      open.delete(socket);
    }
    socket.once('close', drop);
    socket.on('error', drop);
    socket.unref();
    list.push(entry);
  };

  const take = async (endpoint: Http1Endpoint, key: string): Promise<{ socket: Socket; reused: boolean }> => {
    const list = idle.get(key) ?? [];
    for (let entry = list.pop(); entry; entry = list.pop()) {
      entry.unpark();
      if (!entry.socket.destroyed && entry.socket.writable) return { socket: entry.socket, reused: true };
      open.delete(entry.socket);
    }
    const socket = await connect(endpoint);
    // An error while no exchange listens (between two) must not end the run: the pool drops the connection.
    socket.on('error', () => {});
    open.add(socket);
    return { socket, reused: false };
  };

  return {
    async request(endpoint, request) {
      if (closed) throw new Error('the HTTP client is closed');
      if (request.signal.aborted) throw abortError();
      const head = requestHead(endpoint, request);
      const key = endpointKey(endpoint);
      const cap = { ...limits, maxBodyBytes: request.maxBodyBytes ?? limits.maxBodyBytes };
      for (let attempt = 1; ; attempt++) {
        const { socket, reused } = await take(endpoint, key);
        const progress = { answered: false };
        let response: Http1Response;
        try {
          response = await exchange(socket, head, request.signal, cap, progress);
        } catch (error) {
          open.delete(socket);
          // A kept-alive connection the server closed as the request went out (its idle timeout, a restart)
          // answered nothing: a request that reads goes once more on a new connection, as Go's client does.
          if (reused && !progress.answered && attempt === 1 && REPLAYABLE.has(request.method) && isDrop(error))
            continue;
          throw error;
        }
        if (response.keepAlive && !closed && !socket.destroyed) park(key, socket);
        else {
          open.delete(socket);
          socket.destroy();
        }
        return response;
      }
    },
    close() {
      closed = true;
      for (const socket of open) socket.destroy();
      open.clear();
      idle.clear();
    },
  };
}

/** The endpoint of an http(s) URL's origin; `tls` applies to https (the server's name checked unless an IP). */
export function endpointFor(url: URL, tls: AgentTls = { skipVerify: false }): Http1Endpoint {
  const secure = url.protocol === 'https:';
  // An IPv6 literal comes bracketed from the URL; the socket wants the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const ip = host !== url.hostname || /^[\d.]+$/.test(host);
  return {
    host,
    port: Number(url.port) || (secure ? 443 : 80),
    authority: url.host,
    tls: secure ? { ...tls, servername: ip ? undefined : host } : undefined,
  };
}

async function connect(endpoint: Http1Endpoint): Promise<Socket> {
  if ('socketPath' in endpoint) return (await import('node:net')).connect({ path: endpoint.socketPath });
  const { host, port, tls } = endpoint;
  if (!tls) return (await import('node:net')).connect({ host, port, noDelay: true });
  return (await import('node:tls')).connect({
    host,
    port,
    servername: tls.servername,
    ca: tls.ca ? [...tls.ca] : undefined,
    cert: tls.cert,
    key: tls.key,
    rejectUnauthorized: !tls.skipVerify,
  });
}

function endpointKey(endpoint: Http1Endpoint): string {
  if ('socketPath' in endpoint) return `unix:${endpoint.socketPath}`;
  return `${endpoint.tls ? 'https' : 'http'}://${endpoint.authority}`;
}

// Refuses what node:http refuses (with its codes): a field that could end the header early, a path
// that could end the request line.
function requestHead(endpoint: Http1Endpoint, request: Http1Request): Buffer {
  if (!TOKEN.test(request.method)) throw codeError('ERR_INVALID_HTTP_TOKEN', 'Method must be a valid HTTP token');
  if (!ORIGIN_FORM.test(request.path))
    throw codeError('ERR_UNESCAPED_CHARACTERS', 'Request path contains unescaped characters');
  // A Host or Content-Length the caller gives (a signed request carries its signed Host) is sent as given.
  const given = new Set(Object.keys(request.headers).map((name) => name.toLowerCase()));
  const fields = Object.entries(request.headers);
  if (!given.has('host')) fields.unshift(['Host', 'socketPath' in endpoint ? 'localhost' : endpoint.authority]);
  const sendsLength = request.body !== undefined || request.method === 'POST' || request.method === 'PUT';
  if (sendsLength && !given.has('content-length')) fields.push(['Content-Length', String(request.body?.length ?? 0)]);
  let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
  for (const [name, value] of fields) {
    if (!TOKEN.test(name)) throw codeError('ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token`);
    if (!FIELD_VALUE.test(value))
      throw codeError('ERR_INVALID_CHAR', `Invalid character in header content ["${name}"]`);
    head += `${name}: ${value}\r\n`;
  }
  const bytes = Buffer.from(`${head}\r\n`, 'latin1');
  return request.body ? Buffer.concat([bytes, request.body]) : bytes;
}

// One request and its answer on one connection. Any failure destroys the connection: what is left of it
// is not known to be at a message boundary.
function exchange(
  socket: Socket,
  head: Buffer,
  signal: AbortSignal,
  limits: ResponseLimits,
  progress: { answered: boolean },
): Promise<Http1Response> {
  return new Promise((resolve, reject) => {
    const parser = new ResponseParser(limits);
    const done = (): void => {
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
    };
    function fail(error: unknown): void {
      done();
      socket.destroy();
      reject(error);
    }
    function onData(bytes: Buffer): void {
      progress.answered = true;
      let response: Http1Response | undefined;
      try {
        response = parser.push(bytes);
      } catch (error) {
        fail(error);
        return;
      }
      if (response) {
        done();
        resolve(response);
      }
    }
    function onClose(): void {
      const response = parser.finish();
      if (response) {
        done();
        resolve(response);
      } else {
        // node:http's words for the same two cases.
        fail(codeError('ECONNRESET', parser.started ? 'aborted' : 'socket hang up'));
      }
    }
    function onAbort(): void {
      fail(abortError());
    }
    socket.on('data', onData);
    socket.on('error', fail);
    socket.on('close', onClose);
    // The deadline may have passed while the connection was being made.
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      socket.write(head);
    }
  });
}

function codeError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
