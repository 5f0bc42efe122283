// The fetch over node:http(s) that Google's auth library sends with: what reaches a loopback server (method,
// headers of any kind, a form or JSON body with fetch's content types), what the answer reads as (status,
// headers, body once), and the rules of every provider's requests: a capped body, no redirect followed,
// the run's proxy, an AbortSignal obeyed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startForwardProxy } from '../../fakes/forward-proxy.js';
import { listen, readBody } from '../../fakes/http.js';
import { readEgress } from '../../../src/providers/shared/egress.js';
import { Headers } from '../../../src/providers/shared/fetch-headers.js';
import { createHttpFetch } from '../../../src/providers/shared/http-fetch.js';
import { BodyTooLargeError } from '../../../src/providers/shared/network-errors.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

// A loopback server that records each request and answers with `answer`.
async function serve(answer: (res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    answer(res);
  });
  const { port, close } = await listen(server);
  closers.push(close);
  return { url: `http://127.0.0.1:${port}`, seen };
}

const direct = async () => readEgress({});
const fetchOf = (max = 1024) => createHttpFetch(direct, max);

describe('the fetch over node:http(s)', () => {
  it('sends a form as fetch does and reads the answer once', async () => {
    const server = await serve((res) => {
      res.writeHead(200, 'Fine', [
        ['Content-Type', 'application/json'],
        ['X-Twice', 'a'],
        ['x-twice', 'b'],
      ]);
      res.end('{"access_token":"t"}');
    });
    const headers = new Headers({ 'User-Agent': 'google-api-nodejs-client/test', 'x-goog-api-client': 'gl-node/26' });
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'a.b.c' });
    const res = await fetchOf()(new URL(`${server.url}/token?x=1`), { method: 'post', headers, body: form });
    expect(server.seen).toEqual([
      expect.objectContaining({ method: 'POST', url: '/token?x=1', body: form.toString() }),
    ]);
    expect(server.seen[0]?.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      'content-length': String(form.toString().length),
      'user-agent': 'google-api-nodejs-client/test',
      'x-goog-api-client': 'gl-node/26',
      accept: '*/*',
    });
    expect([res.status, res.statusText, res.ok, res.headers.get('x-twice')]).toEqual([200, 'Fine', true, 'a, b']);
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual({ access_token: 't' });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
  });

  it("takes Node's own Headers, pairs or a record, and keeps a content type the caller set", async () => {
    const server = await serve((res) => res.writeHead(204).end());
    const send = fetchOf();
    const body = JSON.stringify({ scope: ['s'] });
    await send(server.url, {
      method: 'POST',
      headers: new globalThis.Headers({ 'Content-Type': 'application/json' }),
      body,
    });
    await send({ url: server.url }, { headers: [['Metadata-Flavor', 'Google']] });
    await send(server.url, { headers: { Authorization: 'Bearer t' }, body: Buffer.from('bytes') });
    await send(server.url, { method: 'POST', body: 'plain' });
    expect(server.seen.map((s) => [s.method, s.headers['content-type'], s.body])).toEqual([
      ['POST', 'application/json', body],
      ['GET', undefined, ''],
      ['GET', undefined, 'bytes'],
      ['POST', 'text/plain;charset=UTF-8', 'plain'],
    ]);
    expect(server.seen[1]?.headers['metadata-flavor']).toBe('Google');
    expect(server.seen[2]?.headers.authorization).toBe('Bearer t');
  });

  it('refuses a body past the cap, and a body it cannot send', async () => {
    const server = await serve((res) => res.writeHead(200).end(Buffer.alloc(4096, 0x61)));
    await expect(fetchOf(1024)(server.url)).rejects.toBeInstanceOf(BodyTooLargeError);
    await expect(fetchOf()(server.url, { method: 'POST', body: new Blob(['x']) })).rejects.toThrow(TypeError);
  });

  it('inflates an answer compressed although nothing asked, within the cap', async () => {
    const json = Buffer.from('{"access_token":"gz"}');
    const bomb = gzipSync(Buffer.alloc(4096, 0x61));
    const answers = [gzipSync(json), brotliCompressSync(json), bomb];
    const codings = ['gzip', 'br', 'gzip'];
    let n = 0;
    const server = await serve((res) => {
      const i = n++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': codings[i] as string });
      res.end(answers[i]);
    });
    expect(await (await fetchOf()(server.url)).json()).toEqual({ access_token: 'gz' });
    expect(await (await fetchOf()(server.url)).json()).toEqual({ access_token: 'gz' });
    await expect(fetchOf(1024)(server.url)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(server.seen[0]?.headers['accept-encoding']).toBeUndefined();
  });

  it('hands a redirect back instead of following it', async () => {
    const server = await serve((res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end());
    const res = await fetchOf()(server.url);
    expect([res.status, res.ok, res.headers.get('location')]).toEqual([302, false, 'http://127.0.0.1:1/elsewhere']);
    expect(server.seen).toHaveLength(1);
  });

  it('gives up when its AbortSignal fires', async () => {
    const server = await serve(() => undefined);
    const error = await fetchOf()(server.url, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });

  it("goes through the run's proxy, and never to a metadata address through it", async () => {
    const server = await serve((res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    const proxy = await startForwardProxy();
    closers.push(() => proxy.close());
    const port = new URL(server.url).port;
    const proxied = createHttpFetch(async () => readEgress({ HTTP_PROXY: proxy.url }), 1024);
    expect(await (await proxied(server.url)).text()).toBe('ok');
    expect(proxy.served()).toEqual([`127.0.0.1:${port}`]);
    // GCE_METADATA_HOST names the metadata server: direct, whatever the proxy variables say.
    const metadata = createHttpFetch(
      async () => readEgress({ HTTP_PROXY: proxy.url, GCE_METADATA_HOST: `127.0.0.1:${port}` }),
      1024,
    );
    expect(await (await metadata(server.url)).text()).toBe('ok');
    expect(proxy.log).toHaveLength(1);
    expect(server.seen).toHaveLength(2);
  });
});
