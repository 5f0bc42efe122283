// A loopback forward proxy, as corporate egress proxies behave (RFC 9110 §9.3.6, RFC 9112 §3.2.2):
//   CONNECT host:port          opens a tunnel (200 Connection Established, then bytes both ways): https
//   GET http://host:port/path  absolute-form: the request is forwarded and the answer relayed: plain http
// With `credentials`, every request must carry `Proxy-Authorization: Basic base64(user:password)`;
// otherwise it is answered 407 with `Proxy-Authenticate: Basic realm="proxy"`. Only loopback targets are
// served (502 otherwise): the tests must never reach a network. Every request is logged with its target.
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyLogEntry {
  readonly method: string;
  /** host:port the client asked for (IPv6 hosts without brackets). */
  readonly target: string;
  /** The status the proxy answered itself (200 for a tunnel, 407, 502), or the relayed one. */
  status: number;
}

export interface ForwardProxy {
  /** http://127.0.0.1:PORT, without credentials. */
  readonly url: string;
  /** The URL with `user:password@` (percent-encoded) when credentials are demanded. */
  readonly authUrl: string;
  readonly log: ProxyLogEntry[];
  /** The distinct targets (host:port) of requests the proxy served (not refused). */
  served(): string[];
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function splitTarget(target: string): { host: string; port: number } | undefined {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return match ? { host: match[1] as string, port: Number(match[2]) } : undefined;
}

export async function startForwardProxy(
  options: { credentials?: { user: string; password: string } } = {},
): Promise<ForwardProxy> {
  const log: ProxyLogEntry[] = [];
  // Its own agent: a process-wide proxy setting must never send the proxy's requests back to itself.
  const agent = new Agent({ keepAlive: false });
  const sockets = new Set<Socket>();
  const { credentials } = options;
  const expected =
    credentials && `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const authorized = (req: IncomingMessage): boolean =>
    expected === undefined || req.headers['proxy-authorization'] === expected;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form required');
      return;
    }
    const port = Number(url.port || 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const entry: ProxyLogEntry = { method: req.method ?? '', target: `${host}:${port}`, status: 0 };
    log.push(entry);
    if (!authorized(req)) {
      entry.status = 407;
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="proxy"' }).end();
      return;
    }
    if (url.protocol !== 'http:' || !isLoopback(host)) {
      entry.status = 502;
      res.writeHead(502).end('loopback targets only');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const path = `${url.pathname}${url.search}`;
    const upstream = httpRequest({ host, port, method: req.method, path, headers, agent });
    upstream.on('response', (answer) => {
      entry.status = answer.statusCode ?? 0;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      entry.status = 502;
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = splitTarget(req.url ?? '');
    const entry: ProxyLogEntry = {
      method: 'CONNECT',
      target: target ? `${target.host}:${target.port}` : (req.url ?? ''),
      status: 0,
    };
    log.push(entry);
    const refuse = (status: number, extra = ''): void => {
      entry.status = status;
      client.end(`HTTP/1.1 ${status} ${status === 407 ? 'Proxy Authentication Required' : 'Refused'}\r\n${extra}\r\n`);
    };
    if (!authorized(req)) return refuse(407, 'Proxy-Authenticate: Basic realm="proxy"\r\n');
    if (!target || !isLoopback(target.host)) return refuse(502);
    const upstream = connect(target.port, target.host, () => {
      entry.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => (entry.status === 0 ? refuse(502) : client.destroy()));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const authUrl = credentials
    ? `http://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`
    : url;
  return {
    url,
    authUrl,
    log,
    served: () => [...new Set(log.filter((e) => e.status !== 407 && e.status !== 502).map((e) => e.target))],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
