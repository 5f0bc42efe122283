// The process-wide fetch is capped without being read: reading Node.js's `fetch` global loads its fetch
// implementation (undici, ≈ 40 ms of start-up), which an OCI run with an API key never calls. The original is
// read at the first call, and stays capped although Node's lazy getter writes the original back into the
// property when it is read.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { capGlobalFetch } from '../../../src/providers/shared/capped-fetch.js';
import { BodyTooLargeError } from '../../../src/providers/shared/network-errors.js';

const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
let server: Server | undefined;
afterEach(async () => {
  if (saved) Object.defineProperty(globalThis, 'fetch', saved);
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

// `fetch` as Node.js defines it before first use: an accessor that loads, stores its value and returns it.
function lazyFetchGlobal(real: typeof fetch): { reads: () => number } {
  let reads = 0;
  const store = (value: unknown) =>
    Object.defineProperty(globalThis, 'fetch', { value, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(globalThis, 'fetch', {
    configurable: true,
    enumerable: true,
    get() {
      reads++;
      store(real);
      return real;
    },
    set: store,
  });
  return { reads: () => reads };
}

async function serve(size: number): Promise<string> {
  server = createServer((_req, res) => res.end(Buffer.alloc(size, 0x61)));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('capGlobalFetch', () => {
  it('does not read the fetch global until fetch is called', async () => {
    const lazy = lazyFetchGlobal(globalThis.fetch);
    capGlobalFetch(100);
    capGlobalFetch(100);
    expect(lazy.reads()).toBe(0);
    const url = await serve(50);
    expect(await (await fetch(url)).text()).toBe('a'.repeat(50));
    expect(lazy.reads()).toBe(1);
  });

  it('keeps the cap after the first call, when Node has stored the original in the property', async () => {
    const lazy = lazyFetchGlobal(globalThis.fetch);
    capGlobalFetch(100);
    const url = await serve(1000);
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(url);
      await expect(answer.text()).rejects.toSatisfy(
        (e) => e instanceof BodyTooLargeError || e?.cause instanceof BodyTooLargeError,
      );
    }
    expect(lazy.reads()).toBe(1);
  });
});
