// HTTP bodies are read up to a cap: a server that answers without end (or just too much) makes the read
// fail with BodyTooLargeError after about the cap, instead of buffering without bound. Detection's
// metadata requests use the same reader (256 KiB).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendMetadataRequest } from '../../../src/detect/metadata-request.js';
import { readCappedBody } from '../../../src/providers/shared/http.js';
import { BodyTooLargeError } from '../../../src/providers/shared/network-errors.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

// A loopback server whose answer is `size` bytes, or never ends (chunked) when `size` is Infinity.
async function serve(size: number): Promise<{ url: URL; sent: () => number }> {
  let sent = 0;
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = (): void => {
      while (sent < size) {
        const piece = size === Infinity ? chunk : chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/`), sent: () => sent };
}

function get(url: URL, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => readCappedBody(res, maxBytes).then(resolve, reject));
    req.on('error', reject);
    req.end();
  });
}

describe('readCappedBody', () => {
  it('reads a body of exactly the cap', async () => {
    const { url } = await serve(100_000);
    expect((await get(url, 100_000)).length).toBe(100_000);
  });

  it('rejects a body one byte over the cap', async () => {
    const { url } = await serve(100_001);
    await expect(get(url, 100_000)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('stops an endless body soon after the cap instead of buffering it', async () => {
    const { url, sent } = await serve(Infinity);
    await expect(get(url, 1024 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    // What the server managed to push is bounded by the cap plus socket buffers, not by time.
    expect(sent()).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('metadata requests', () => {
  it('refuse an endless metadata answer rather than waiting for its end', async () => {
    const { url } = await serve(Infinity);
    const signal = AbortSignal.timeout(20_000);
    await expect(sendMetadataRequest({ url, method: 'GET', headers: {}, signal })).rejects.toBeInstanceOf(
      BodyTooLargeError,
    );
    expect(signal.aborted).toBe(false);
  });
});
