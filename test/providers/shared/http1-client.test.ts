// The HTTP/1.1 client of the Vault transport against real loopback servers: node:http ones for answers as a
// server library writes them, raw node:net ones for what no library would write (hang-ups, cut bodies,
// silence), and node:https for TLS with the Vault variables' settings.

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttp1Client, endpointFor, type Http1Endpoint } from '../../../src/providers/shared/http1-client.js';
import { BodyTooLargeError } from '../../../src/providers/shared/network-errors.js';
import { generateTlsFiles, type TlsFiles } from '../../fakes/vault-tls.js';

const servers: (Server | NetServer)[] = [];
const clients: { close(): void }[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) {
    (server as Server).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
});

let tls: TlsFiles;
beforeAll(() => {
  tls = generateTlsFiles();
});
afterAll(() => tls.remove());

const client = (maxBodyBytes = 1024 * 1024) => {
  const made = createHttp1Client({ maxBodyBytes });
  clients.push(made);
  return made;
};
const get = (path = '/v1/secret/data/app', signal = AbortSignal.timeout(5000)) => ({
  method: 'GET',
  path,
  headers: { Accept: 'application/json' },
  signal,
});

type TcpEndpoint = Extract<Http1Endpoint, { host: string }>;

async function listen<T extends Server | NetServer>(server: T): Promise<{ server: T; endpoint: TcpEndpoint }> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: { host: '127.0.0.1', port, authority: `127.0.0.1:${port}` } };
}

/** A node:http server that counts the connections it accepted. */
async function httpServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => handler(req, res, body));
  });
  const connections = { count: 0 };
  server.on('connection', () => connections.count++);
  return { ...(await listen(server)), connections };
}

/** A raw server: `onRequest` gets the socket and the request bytes once their header section ended. */
async function rawServer(onRequest: (socket: Socket, request: string) => void) {
  const server = createNetServer((socket) => {
    let seen = '';
    socket.on('data', (bytes) => {
      seen += bytes.toString('latin1');
      if (seen.includes('\r\n\r\n')) onRequest(socket, seen);
    });
    socket.on('error', () => {});
  });
  return listen(server);
}

describe('createHttp1Client', () => {
  it('sends what a Vault client sends, and keeps one connection for requests in turn', async () => {
    const seen: { method?: string; url?: string; host?: string; length?: string; body: string }[] = [];
    const { endpoint, connections } = await httpServer((req, res, body) => {
      seen.push({
        method: req.method,
        url: req.url,
        host: req.headers.host,
        length: req.headers['content-length'],
        body,
      });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ data: { n: seen.length } }));
    });
    const http = client();
    const first = await http.request(endpoint, get('/v1/sys/internal/ui/mounts/secret/app'));
    const body = Buffer.from('{"role_id":"r"}');
    const second = await http.request(endpoint, { ...get('/v1/auth/approle/login'), method: 'POST', body });
    const third = await http.request(endpoint, { ...get('/v1/auth/token/revoke-self'), method: 'POST' });
    expect([first, second, third].map((r) => JSON.parse(r.body.toString()).data.n)).toEqual([1, 2, 3]);
    expect(first.headers['content-type']).toBe('application/json');
    expect(seen).toEqual([
      { method: 'GET', url: '/v1/sys/internal/ui/mounts/secret/app', host: endpoint.authority, body: '' },
      {
        method: 'POST',
        url: '/v1/auth/approle/login',
        host: endpoint.authority,
        length: '15',
        body: '{"role_id":"r"}',
      },
      { method: 'POST', url: '/v1/auth/token/revoke-self', host: endpoint.authority, length: '0', body: '' },
    ]);
    expect(connections.count).toBe(1);
  });

  it("sends a caller's own Host and Content-Length as given (a signed request signs its Host), once", async () => {
    let raw = '';
    const { endpoint } = await rawServer((socket, request) => {
      raw = request;
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
    });
    const headers = { host: 'secretsmanager.us-east-1.amazonaws.com', 'content-length': '2', 'x-amz-target': 'T' };
    await client().request(endpoint, { ...get('/'), method: 'POST', headers, body: Buffer.from('{}') });
    expect(raw).toBe(
      'POST / HTTP/1.1\r\nhost: secretsmanager.us-east-1.amazonaws.com\r\n' +
        'content-length: 2\r\nx-amz-target: T\r\n\r\n{}',
    );
  });

  it('makes endpoints of URLs: default ports, bare IPv6 addresses, the server name checked for names only', () => {
    expect(endpointFor(new URL('http://vault:8200/x'))).toEqual({
      host: 'vault',
      port: 8200,
      authority: 'vault:8200',
      tls: undefined,
    });
    const ca = [Buffer.from('ca')];
    expect(endpointFor(new URL('https://vault.example'), { ca, skipVerify: false })).toEqual({
      host: 'vault.example',
      port: 443,
      authority: 'vault.example',
      tls: { ca, skipVerify: false, servername: 'vault.example' },
    });
    expect(endpointFor(new URL('https://[::1]:8200'))).toMatchObject({
      host: '::1',
      authority: '[::1]:8200',
      tls: { servername: undefined },
    });
    expect(endpointFor(new URL('https://10.0.0.1'))).toMatchObject({ port: 443, tls: { servername: undefined } });
  });

  it('reads a chunked answer (a body written in parts), and opens a connection per request in flight', async () => {
    const blob = 'v'.repeat(5000);
    const { endpoint, connections } = await httpServer((_req, res) => {
      res.write(`{"data":{"blob":"${blob.slice(0, 2000)}`);
      setTimeout(() => res.end(`${blob.slice(2000)}"}}`), 20);
    });
    const http = client();
    const answers = await Promise.all([http.request(endpoint, get()), http.request(endpoint, get())]);
    for (const answer of answers) expect(JSON.parse(answer.body.toString()).data.blob).toBe(blob);
    expect(connections.count).toBe(2);
    await http.request(endpoint, get());
    expect(connections.count).toBe(2);
  });

  it('opens a new connection when the server closed the one it kept', async () => {
    const { server, endpoint, connections } = await httpServer((_req, res) => res.end('{}'));
    const http = client();
    await http.request(endpoint, get());
    (server as Server).closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await http.request(endpoint, get())).status).toBe(200);
    expect(connections.count).toBe(2);
  });

  it('sends a read once more on a new connection when a kept one closes under it, never a write', async () => {
    // Each connection answers its first request and hangs up on the next: a server whose idle timeout
    // closed the connection just as the client reused it.
    let connections = 0;
    const { endpoint } = await rawServer((socket, request) => {
      const first = (socket as Socket & { answered?: boolean }).answered !== true;
      if (!first) {
        socket.destroy();
        return;
      }
      (socket as Socket & { answered?: boolean }).answered = true;
      const body = JSON.stringify({ method: request.split(' ')[0] });
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    const server = servers.at(-1) as NetServer;
    server.on('connection', () => connections++);
    const http = client();
    await http.request(endpoint, get());
    const again = await http.request(endpoint, get());
    expect(JSON.parse(again.body.toString())).toEqual({ method: 'GET' });
    expect(connections).toBe(2);
    // A POST (a login) is not sent twice by the client: the engine decides on a retry.
    const post = { ...get(), method: 'POST', body: Buffer.from('{}') };
    await expect(http.request(endpoint, post)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(connections).toBe(2);
  });

  it('does not reuse a connection the answer said it closes', async () => {
    const { endpoint, connections } = await httpServer((_req, res) => {
      res.setHeader('Connection', 'close');
      res.end('{}');
    });
    const http = client();
    await http.request(endpoint, get());
    await http.request(endpoint, get());
    expect(connections.count).toBe(2);
  });

  it("fails as node:http does when the server hangs up before answering, or in the answer's body", async () => {
    const hangUp = await rawServer((socket) => socket.destroy());
    await expect(client().request(hangUp.endpoint, get())).rejects.toMatchObject({
      code: 'ECONNRESET',
      message: 'socket hang up',
    });
    const cut = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"data":');
    });
    await expect(client().request(cut.endpoint, get())).rejects.toMatchObject({
      code: 'ECONNRESET',
      message: 'aborted',
    });
  });

  it('reads a body that ends with the connection', async () => {
    const { endpoint } = await rawServer((socket) => socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n<html>proxy</html>'));
    const answer = await client().request(endpoint, get());
    expect(answer).toMatchObject({ status: 502, keepAlive: false });
    expect(answer.body.toString()).toBe('<html>proxy</html>');
  });

  it('gives the connect error for a port nobody listens on', async () => {
    const { server, endpoint } = await rawServer(() => {});
    servers.splice(servers.indexOf(server), 1);
    await new Promise((resolve) => server.close(resolve));
    await expect(client().request(endpoint, get())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('stops at the deadline with an AbortError and drops the connection', async () => {
    let closed = false;
    const { endpoint } = await rawServer((socket) => socket.on('close', () => (closed = true)));
    const controller = new AbortController();
    const pending = client().request(endpoint, get(undefined, controller.signal));
    setTimeout(() => controller.abort(new Error('deadline')), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
    await expect(client().request(endpoint, get(undefined, controller.signal))).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('refuses a body over the cap and a header that would end the request early, naming no value', async () => {
    const { endpoint } = await httpServer((_req, res) => res.end('x'.repeat(2000)));
    await expect(client(1000).request(endpoint, get())).rejects.toBeInstanceOf(BodyTooLargeError);
    const injected = { ...get(), headers: { 'X-Vault-Token': 'hvs.secret-token\r\nX-Evil: 1' } };
    const error = await client()
      .request(endpoint, injected)
      .catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'ERR_INVALID_CHAR' });
    expect(String((error as Error).message)).not.toContain('secret-token');
    await expect(client().request(endpoint, get('/v1/a b'))).rejects.toMatchObject({
      code: 'ERR_UNESCAPED_CHARACTERS',
    });
  });

  it('close() ends every connection, and no request is sent after it', async () => {
    const { server, endpoint } = await httpServer((_req, res) => res.end('{}'));
    const http = client();
    await http.request(endpoint, get());
    const open = await new Promise<number>((resolve, reject) =>
      (server as Server).getConnections((e, n) => (e ? reject(e) : resolve(n))),
    );
    expect(open).toBe(1);
    http.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const left = await new Promise<number>((resolve, reject) =>
      (server as Server).getConnections((e, n) => (e ? reject(e) : resolve(n))),
    );
    expect(left).toBe(0);
    await expect(http.request(endpoint, get())).rejects.toThrow(/closed/);
  });

  it('speaks to a unix socket with Host: localhost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'http1-'));
    try {
      const hosts: (string | undefined)[] = [];
      const server = createHttpServer((req, res) => {
        hosts.push(req.headers.host);
        res.end('{"ok":true}');
      });
      servers.push(server);
      const socketPath = join(dir, 'agent.sock');
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      const answer = await client().request({ socketPath }, get());
      expect(answer.body.toString()).toBe('{"ok":true}');
      expect(hosts).toEqual(['localhost']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('over TLS', () => {
    async function tlsServer(options: { requestCert?: boolean } = {}) {
      const server = createHttpsServer(
        {
          cert: readFileSync(tls.serverCert),
          key: readFileSync(tls.serverKey),
          ca: options.requestCert ? readFileSync(tls.caCert) : undefined,
          requestCert: options.requestCert,
          rejectUnauthorized: options.requestCert,
        },
        (_req, res) => res.end('{"tls":true}'),
      );
      const { endpoint } = await listen(server);
      return endpoint;
    }
    const ca = () => [readFileSync(tls.caCert)];

    it("trusts the given CA only, checks the certificate's name, and skips checks only when told", async () => {
      const plain = await tlsServer();
      const trusted = await client().request({ ...plain, tls: { ca: ca(), skipVerify: false } }, get());
      expect(trusted.body.toString()).toBe('{"tls":true}');
      await expect(client().request({ ...plain, tls: { skipVerify: false } }, get())).rejects.toMatchObject({
        code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
      const otherCa = [readFileSync(tls.otherCaCert)];
      await expect(
        client().request({ ...plain, tls: { ca: otherCa, skipVerify: false } }, get()),
      ).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      const named = { ...plain, host: 'localhost', tls: { ca: ca(), skipVerify: false, servername: 'vault.example' } };
      await expect(client().request(named, get())).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
      const skipped = await client().request({ ...plain, tls: { skipVerify: true } }, get());
      expect(skipped.status).toBe(200);
    });

    it('presents the client certificate a server asks for', async () => {
      const mutual = await tlsServer({ requestCert: true });
      const cert = readFileSync(tls.clientCert);
      const key = readFileSync(tls.clientKey);
      const answer = await client().request({ ...mutual, tls: { ca: ca(), cert, key, skipVerify: false } }, get());
      expect(answer.body.toString()).toBe('{"tls":true}');
      await expect(client().request({ ...mutual, tls: { ca: ca(), skipVerify: false } }, get())).rejects.toThrow();
    });
  });
});
