// A loopback reverse proxy placed between the executable and a fake, which passes every request through
// unchanged (headers included, so that signatures over Host still verify) except those a rule matches:
// those it answers itself, cuts, holds or pads. The fakes stay honest — they only ever give their
// vendor's documented answers — and transport faults are one table for every provider.
// Counts what it saw: requests a rule matched (tried or not) and TCP connections (for TLS, whose
// handshake fails before any request).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { Socket } from 'node:net';

/** What the front does with a matched request. */
export type FaultAction =
  /** Passes it through (the rule only counts). */
  | { readonly kind: 'pass' }
  /** Answers this status, headers and body itself (a vendor's error form). */
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly headers: Record<string, string>;
      readonly body: string;
    }
  /** Forwards, then sends the fake's status and headers and half its body, and drops the connection. */
  | { readonly kind: 'reset-mid-body' }
  /** Reads the request and never answers (until the front closes). */
  | { readonly kind: 'hang' }
  /** Forwards, then answers 200 with the fake's content type and a body cut off in the middle of JSON. */
  | { readonly kind: 'malformed'; readonly marker: string }
  /** Answers 200 with the fake's content type and a JSON body of `bytes` bytes (a padded object). */
  | { readonly kind: 'oversized'; readonly marker: string; readonly bytes: number }
  /** Answers 200 with an HTML page (a captive portal, a proxy's login page). */
  | { readonly kind: 'wrong-content-type'; readonly marker: string };

export interface FaultRule {
  /** Which requests the rule applies to (e.g. the secret read, not the login). */
  readonly match: (req: IncomingMessage) => boolean;
  readonly action: FaultAction;
  /** How many matched requests it applies to (every one when undefined); later ones pass through. */
  readonly times?: number;
}

export interface FaultFront {
  /** http(s)://127.0.0.1:PORT */
  readonly url: string;
  /** Requests any rule matched, whether the rule still applied or they passed through. */
  matched(): number;
  /** TCP connections accepted. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a front for `target` (an http:// URL) that applies `rules` in order; `tls` serves https instead. */
export async function startFaultFront(options: {
  target: string;
  rules: readonly FaultRule[];
  tls?: { cert: Buffer; key: Buffer };
}): Promise<FaultFront> {
  const target = new URL(options.target);
  const remaining = options.rules.map((r) => r.times ?? Number.POSITIVE_INFINITY);
  const sockets = new Set<Socket>();
  let matched = 0;
  let connections = 0;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const index = options.rules.findIndex((r) => r.match(req));
    if (index >= 0) matched++;
    const rule = index >= 0 && (remaining[index] as number) > 0 ? options.rules[index] : undefined;
    if (rule) remaining[index] = (remaining[index] as number) - 1;
    const action = rule?.action;
    if (action?.kind === 'hang') {
      req.resume();
      return;
    }
    if (action?.kind === 'answer') {
      req.resume();
      res.writeHead(action.status, { ...action.headers, 'content-length': Buffer.byteLength(action.body) });
      res.end(action.body);
      return;
    }
    forward(req, (status, headers, body) => {
      const type = headers['content-type'] ?? 'application/json';
      if (!action || action.kind === 'pass') {
        res.writeHead(status, headers);
        res.end(body);
      } else if (action.kind === 'reset-mid-body') {
        res.writeHead(status, { ...headers, 'content-length': String(body.length) });
        res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))));
        // Let the half body leave before the connection goes.
        setTimeout(() => res.socket?.destroy(), 20);
      } else if (action.kind === 'malformed') {
        sendBody(res, type, `{"${action.marker}": {"value": "${action.marker}", "trunc`);
      } else if (action.kind === 'oversized') {
        const pad = action.marker.repeat(Math.ceil(action.bytes / action.marker.length));
        sendBody(res, type, `{"padding": "${pad}"}`);
      } else {
        const page = `<html><head><title>Sign in</title></head><body><p>${action.marker}</p></body></html>`;
        sendBody(res, 'text/html; charset=utf-8', page);
      }
    });
  };

  // The fake's whole answer, buffered (fakes' answers are small).
  const forward = (
    req: IncomingMessage,
    then: (status: number, headers: Record<string, string>, b: Buffer) => void,
  ) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => !name.startsWith(':'))),
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(answer.headers))
            if (value !== undefined && !name.startsWith(':') && name !== 'transfer-encoding' && name !== 'connection')
              headers[name] = Array.isArray(value) ? value.join(', ') : value;
          then(answer.statusCode ?? 502, headers, Buffer.concat(chunks));
        });
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  };

  // Over TLS it offers HTTP/2 and HTTP/1.1 as the stores do, so that a client's choice of protocol is not
  // what fails.
  const server = options.tls
    ? createSecureServer({ ...options.tls, allowHTTP1: true }, handler as never)
    : createServer(handler);
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    matched: () => matched,
    connections: () => connections,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendBody(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
