// The fault front itself: what it passes through reaches the fake unchanged (method, path, headers with
// Host, body) and comes back unchanged; a rule applies to the requests it matches, `times` times; each
// action does what the fault matrix relies on; and it counts what it saw.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultRule, startFaultFront } from './fault-front.js';

let upstream: Server;
let url: string;
const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];
beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(201, { 'content-type': 'application/x-test', 'x-fake': 'yes' }).end('{"answer": "from the fake"}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const withFront = async (rules: FaultRule[], use: (front: string) => Promise<void>) => {
  const front = await startFaultFront({ target: url, rules });
  try {
    await use(front.url);
  } finally {
    await front.close();
  }
  return front;
};
const onRead = (req: { url?: string }) => (req.url ?? '').startsWith('/read');
const notJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
};

describe('fault front', () => {
  it('passes unmatched requests through unchanged, the Host header included, and counts none', async () => {
    seen.length = 0;
    const front = await withFront([{ match: onRead, action: { kind: 'hang' } }], async (front) => {
      const res = await fetch(`${front}/login?x=1`, { method: 'POST', body: 'form=1', headers: { 'x-sig': 's' } });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-fake')).toBe('yes');
      expect(await res.text()).toBe('{"answer": "from the fake"}');
      expect(seen[0]).toMatchObject({ method: 'POST', url: '/login?x=1', body: 'form=1' });
      expect(seen[0]?.headers).toMatchObject({ host: new URL(front).host, 'x-sig': 's' });
    });
    expect(front.matched()).toBe(0);
  });

  it('answers a matched request itself `times` times, then passes it through, counting all', async () => {
    const answer = { kind: 'answer', status: 429, headers: { 'retry-after': '1' }, body: '{"errors":[]}' } as const;
    const front = await withFront([{ match: onRead, action: answer, times: 2 }], async (front) => {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${front}/read`)).status);
      expect(statuses).toEqual([429, 429, 201]);
    });
    expect(front.matched()).toBe(3);
  });

  it('cuts an answer mid-body, and makes malformed, oversized and HTML bodies that carry the marker', async () => {
    await withFront([{ match: onRead, action: { kind: 'reset-mid-body' } }], async (front) => {
      const res = await fetch(`${front}/read`);
      expect(res.status).toBe(201);
      await expect(res.text()).rejects.toThrow();
    });
    for (const [action, type, check] of [
      [{ kind: 'malformed', marker: 'MK' }, 'application/x-test', notJson],
      [{ kind: 'oversized', marker: 'MK', bytes: 1 << 20 }, 'application/x-test', (t: string) => t.length > 1 << 20],
      [{ kind: 'wrong-content-type', marker: 'MK' }, 'text/html; charset=utf-8', (t: string) => t.startsWith('<html')],
    ] as const) {
      await withFront([{ match: onRead, action }], async (front) => {
        const res = await fetch(`${front}/read`);
        const text = await res.text();
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(type);
        expect(text).toContain('MK');
        expect(check(text)).toBe(true);
      });
    }
  });

  it('holds a request without answering until it is closed', async () => {
    const front = await startFaultFront({ target: url, rules: [{ match: onRead, action: { kind: 'hang' } }] });
    const pending = fetch(`${front.url}/read`).then(
      () => 'answered',
      () => 'cut',
    );
    const early = await Promise.race([pending, new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    expect(early).toBe('waiting');
    await front.close();
    expect(await pending).toBe('cut');
    expect(front.matched()).toBe(1);
  });
});
