// The loopback forward proxy the egress tests rely on: it tunnels CONNECT, forwards absolute-form
// requests, demands Proxy-Authorization when asked to, refuses non-loopback targets, and logs every request.
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js';

let proxy: ForwardProxy | undefined;
let origin: Server | undefined;
afterEach(async () => {
  await proxy?.close();
  origin?.closeAllConnections();
  await new Promise((resolve) => origin?.close(resolve) ?? resolve(undefined));
  proxy = undefined;
  origin = undefined;
});

async function startOrigin(): Promise<number> {
  origin = createServer((req, res) => res.end(`origin saw ${req.method} ${req.url}`));
  await new Promise<void>((resolve) => origin?.listen(0, '127.0.0.1', resolve));
  return (origin.address() as AddressInfo).port;
}

function viaProxy(
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; authenticate?: string | undefined }> {
  const { port } = new URL(proxy?.url ?? '');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, authenticate: res.headers['proxy-authenticate'] }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

// A raw CONNECT, then one HTTP/1.1 request inside the tunnel.
function tunnel(target: string, headers = ''): Promise<string> {
  const { port } = new URL(proxy?.url ?? '');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${headers}\r\n`);
    });
    let text = '';
    let sent = false;
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (!sent && text.startsWith('HTTP/1.1 200') && text.includes('\r\n\r\n')) {
        sent = true;
        socket.write('GET /inside HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      }
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('the forward proxy fake', () => {
  it('forwards an absolute-form request and logs its target', async () => {
    proxy = await startForwardProxy();
    const port = await startOrigin();
    const answer = await viaProxy(`http://127.0.0.1:${port}/a?b=1`);
    expect(answer).toMatchObject({ status: 200, body: 'origin saw GET /a?b=1' });
    expect(proxy.log).toEqual([{ method: 'GET', target: `127.0.0.1:${port}`, status: 200 }]);
    expect(proxy.served()).toEqual([`127.0.0.1:${port}`]);
  });

  it('opens a CONNECT tunnel to the target', async () => {
    proxy = await startForwardProxy();
    const port = await startOrigin();
    const text = await tunnel(`127.0.0.1:${port}`);
    expect(text).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 200 OK/);
    expect(text).toContain('origin saw GET /inside');
    expect(proxy.log).toEqual([{ method: 'CONNECT', target: `127.0.0.1:${port}`, status: 200 }]);
  });

  it('answers 407 without the right Proxy-Authorization, and serves with it', async () => {
    proxy = await startForwardProxy({ credentials: { user: 'svc', password: 'p@ss' } });
    const port = await startOrigin();
    const refused = await viaProxy(`http://127.0.0.1:${port}/`);
    expect(refused).toMatchObject({ status: 407, authenticate: 'Basic realm="proxy"' });
    const wrong = `Proxy-Authorization: Basic ${Buffer.from('svc:nope').toString('base64')}\r\n`;
    expect(await tunnel(`127.0.0.1:${port}`, wrong)).toMatch(/^HTTP\/1\.1 407 /);
    const right = `Basic ${Buffer.from('svc:p@ss').toString('base64')}`;
    expect(await viaProxy(`http://127.0.0.1:${port}/`, { 'Proxy-Authorization': right })).toMatchObject({
      status: 200,
    });
    expect(proxy.authUrl).toBe(`http://svc:p%40ss@127.0.0.1:${new URL(proxy.url).port}`);
    expect(proxy.log.map((e) => e.status)).toEqual([407, 407, 200]);
    expect(proxy.served()).toEqual([`127.0.0.1:${port}`]);
  });

  it('refuses targets off this machine', async () => {
    proxy = await startForwardProxy();
    expect((await viaProxy('http://192.0.2.1:80/')).status).toBe(502);
    expect(await tunnel('192.0.2.1:443')).toMatch(/^HTTP\/1\.1 502 /);
    expect(proxy.served()).toEqual([]);
  });
});
