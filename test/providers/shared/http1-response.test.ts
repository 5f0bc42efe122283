// The HTTP/1.1 response reader of the Vault transport: answers as servers write them (Go's net/http, which
// Vault runs on, sends a length for small answers and chunks past 2 kB), read whatever way the bytes are
// split by the network, and refused when they are not HTTP or larger than the cap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Http1Response, ResponseParser } from '../../../src/providers/shared/http1-response.js';
import { BodyTooLargeError } from '../../../src/providers/shared/network-errors.js';

const LIMITS = { maxHeaderBytes: 16 * 1024, maxBodyBytes: 64 * 1024 };

/** Feeds `bytes` cut at `cuts`; then the end of the connection when `close` is set. */
function read(bytes: Buffer, cuts: readonly number[] = [], close = false, limits = LIMITS): Http1Response | undefined {
  const parser = new ResponseParser(limits);
  let from = 0;
  let response: Http1Response | undefined;
  for (const at of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
    if (at <= from || response) continue;
    response = parser.push(bytes.subarray(from, at));
    from = at;
  }
  return response ?? (close ? parser.finish() : undefined);
}

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

function chunked(body: Buffer, sizes: readonly number[], trailer = ''): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= body.length) break;
    const piece = body.subarray(at, at + Math.max(1, size));
    at += piece.length;
    parts.push(ascii(`${piece.length.toString(16)}\r\n`), piece, ascii('\r\n'));
  }
  if (at < body.length) parts.push(ascii(`${(body.length - at).toString(16)}\r\n`), body.subarray(at), ascii('\r\n'));
  parts.push(ascii(`0\r\n${trailer}\r\n`));
  return Buffer.concat(parts);
}

describe('ResponseParser', () => {
  it('reads a Content-Length answer, with its fields lower-cased and repeated ones joined', () => {
    const raw = ascii(
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Seen: a\r\nx-seen: b\r\n' +
        'Content-Length: 11\r\n\r\n{"data":{}}',
    );
    const response = read(raw);
    expect(response?.status).toBe(200);
    expect(response?.headers['content-type']).toBe('application/json');
    expect(response?.headers['x-seen']).toBe('a, b');
    expect(response?.body.toString()).toBe('{"data":{}}');
    expect(response?.keepAlive).toBe(true);
  });

  it('reads a chunked answer as Go writes one, trailers included, and keeps the connection', () => {
    const body = Buffer.from(JSON.stringify({ data: { data: { blob: 'x'.repeat(3000) } } }));
    const raw = Buffer.concat([
      ascii('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n'),
      chunked(body, [2048, 100], 'X-Trailer: yes\r\n'),
    ]);
    const response = read(raw);
    expect(response?.body.equals(body)).toBe(true);
    expect(response?.keepAlive).toBe(true);
  });

  it('skips interim 1xx answers, and reads 204 and Content-Length: 0 as empty', () => {
    const raw = ascii('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nDate: today\r\n\r\n');
    expect(read(raw)).toMatchObject({ status: 204, keepAlive: true });
    expect(read(raw)?.body.length).toBe(0);
    expect(read(ascii('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'))?.status).toBe(404);
  });

  it('reads a body delimited by the end of the connection, and never keeps that connection', () => {
    const raw = ascii('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n{"errors":["x"]}');
    expect(read(raw)).toBeUndefined();
    const response = read(raw, [], true);
    expect(response?.body.toString()).toBe('{"errors":["x"]}');
    expect(response?.keepAlive).toBe(false);
  });

  it('does not keep a connection the server closes, or an HTTP/1.0 one', () => {
    expect(read(ascii('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}'))?.keepAlive).toBe(false);
    expect(read(ascii('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}'))?.keepAlive).toBe(false);
  });

  it('is not complete until the whole body arrived; a cut answer does not finish', () => {
    const parser = new ResponseParser(LIMITS);
    expect(parser.started).toBe(false);
    expect(parser.push(ascii('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{"a"'))).toBeUndefined();
    expect(parser.started).toBe(true);
    expect(parser.finish()).toBeUndefined();
    const chunkedCut = new ResponseParser(LIMITS);
    expect(
      chunkedCut.push(ascii('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n')),
    ).toBeUndefined();
    expect(chunkedCut.finish()).toBeUndefined();
  });

  it('refuses a body over the cap, whether announced, chunked or delimited by the close', () => {
    const small = { maxHeaderBytes: 1024, maxBodyBytes: 8 };
    expect(() => read(ascii('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n'), [], false, small)).toThrow(
      BodyTooLargeError,
    );
    const bigChunks = Buffer.concat([
      ascii('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'),
      chunked(Buffer.alloc(9, 97), [4]),
    ]);
    expect(() => read(bigChunks, [], false, small)).toThrow(BodyTooLargeError);
    expect(() => read(ascii(`HTTP/1.1 200 OK\r\n\r\n${'a'.repeat(9)}`), [], false, small)).toThrow(BodyTooLargeError);
  });

  it.each([
    ['not HTTP', '<html>hello</html>\r\n\r\n', 'HPE_INVALID_CONSTANT'],
    ['a bad status line', 'HTTP/1.1 2000 OK\r\n\r\n', 'HPE_INVALID_CONSTANT'],
    ['HTTP/2 in an HTTP/1 connection', 'HTTP/2 200\r\n\r\n', 'HPE_INVALID_CONSTANT'],
    ['a field without a colon', 'HTTP/1.1 200 OK\r\nBroken field\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN'],
    ['a folded field', 'HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN'],
    [
      'two lengths',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
      'HPE_INVALID_CONTENT_LENGTH',
    ],
    ['a negative length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'HPE_INVALID_CONTENT_LENGTH'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'HPE_INVALID_CHUNK_SIZE'],
    ['a chunk longer than said', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n', 'HPE_STRICT'],
    ['bytes past the answer', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1', 'HPE_INVALID_CONSTANT'],
  ])('refuses %s', (_name, raw, code) => {
    expect(() => read(ascii(raw))).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a header section over its limit, before it ends', () => {
    const endless = ascii(`HTTP/1.1 200 OK\r\n${'X-Filler: y\r\n'.repeat(2000)}`);
    expect(() => read(endless)).toThrow(expect.objectContaining({ code: 'HPE_HEADER_OVERFLOW' }));
  });

  it('reads the same answer however the network splits it (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (bodyBytes, sizes, useChunks, cutsSeed) => {
          const body = Buffer.from(bodyBytes);
          const raw = useChunks
            ? Buffer.concat([ascii('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), chunked(body, sizes)])
            : Buffer.concat([ascii(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
          const cuts = cutsSeed.map((n) => n % (raw.length + 1));
          const response = read(raw, cuts);
          expect(response?.status).toBe(200);
          expect(response?.body.equals(body)).toBe(true);
          expect(response?.keepAlive).toBe(true);
        },
      ),
    );
  });

  it('never answers for bytes that are not a complete response, and throws only coded errors (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('HTTP/1.1 ', '200', ' OK', '\r\n', 'a: b', '5', 'abcde', ':', ' '), { maxLength: 30 }),
        (parts) => {
          const raw = ascii(parts.join(''));
          try {
            const response = read(raw);
            // A complete answer can only come from a well-formed status line and a terminated header section.
            if (response) expect(raw.toString('latin1')).toMatch(/^HTTP\/1\.1 \d{3}[^\r\n]*\r\n(?:[^\r\n]*\r\n)*\r\n/);
          } catch (error) {
            const code = (error as { code?: string }).code;
            expect(error instanceof BodyTooLargeError || /^HPE_/.test(code ?? '')).toBe(true);
          }
        },
      ),
    );
  });
});
