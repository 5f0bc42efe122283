// Reads one HTTP/1.1 response from the bytes of a connection, as they arrive (RFC 9112): the status
// line, the header fields, and a body delimited by Content-Length, by chunked transfer coding (what Go's
// net/http, Vault's server, sends for an answer over 2 kB) or by the end of the connection. Pure: the
// socket side is http1-client.ts. Interim 1xx answers are skipped; a malformed message throws an
// Error with an `HPE_` code (llhttp's, which node:http would have given) and never a byte of the body.
import { BodyTooLargeError } from './network-errors.js';

export interface Http1Response {
  readonly status: number;
  /** Field names lower-cased; a repeated field's values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The connection may carry another request: HTTP/1.1, no `Connection: close`, length-delimited. */
  readonly keepAlive: boolean;
}

export interface ResponseLimits {
  /** The status line and the header fields together (node:http's default: 16 KiB). */
  readonly maxHeaderBytes: number;
  readonly maxBodyBytes: number;
}

type Framing = { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' } | { kind: 'none' };

const CRLF = Buffer.from('\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: [^\r\n]*)?$/;
const FIELD = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([^\r\n]*?)[ \t]*$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,15})[ \t]*(?:;.*)?$/;
// A chunk-size line with extensions, or one trailer field, longer than this is not a server's honest answer.
const MAX_LINE = 8 * 1024;

/** An answer that is not HTTP/1.x as RFC 9112 writes it. */
function protocolError(code: string, why: string): Error & { code: string } {
  return Object.assign(new Error(`Parse Error: ${why}`), { code });
}

export class ResponseParser {
  private buffered: Buffer = Buffer.alloc(0);
  private head: { status: number; headers: Record<string, string>; keepAlive: boolean } | undefined;
  private framing: Framing | undefined;
  private readonly parts: Buffer[] = [];
  private size = 0;
  // Inside a chunked body: the data left of the current chunk, or where the parser stands between chunks.
  private chunkLeft = 0;
  private chunkState: 'size' | 'data' | 'data-end' | 'trailers' = 'size';

  constructor(private readonly limits: ResponseLimits) {}

  /** Takes the next bytes; returns the response once it is complete. Bytes past its end are refused. */
  push(bytes: Buffer): Http1Response | undefined {
    this.buffered = this.buffered.length === 0 ? bytes : Buffer.concat([this.buffered, bytes]);
    for (;;) {
      if (!this.head) {
        if (!this.readHead()) return undefined;
        continue;
      }
      const done = this.readBody();
      if (!done) return undefined;
      if (this.buffered.length > 0) throw protocolError('HPE_INVALID_CONSTANT', 'data after the response');
      return this.response(this.head.keepAlive && this.framing?.kind !== 'close');
    }
  }

  /** The connection ended: completes a body delimited by the close, else the answer was cut short. */
  finish(): Http1Response | undefined {
    if (this.head && this.framing?.kind === 'close' && this.buffered.length === 0) return this.response(false);
    return undefined;
  }

  /** True once any byte of an answer arrived (a close before that is a "socket hang up"). */
  get started(): boolean {
    return this.head !== undefined || this.buffered.length > 0;
  }

  private response(keepAlive: boolean): Http1Response {
    const head = this.head as NonNullable<typeof this.head>;
    return { status: head.status, headers: head.headers, body: Buffer.concat(this.parts, this.size), keepAlive };
  }

  // Reads the status line and fields when they are all there; an interim 1xx answer is dropped whole.
  private readHead(): boolean {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.buffered.length > this.limits.maxHeaderBytes)
        throw protocolError('HPE_HEADER_OVERFLOW', 'header overflow');
      return false;
    }
    if (end > this.limits.maxHeaderBytes) throw protocolError('HPE_HEADER_OVERFLOW', 'header overflow');
    const lines = this.buffered.subarray(0, end).toString('latin1').split('\r\n');
    this.buffered = this.buffered.subarray(end + 4);
    const status = STATUS_LINE.exec(lines[0] ?? '');
    if (!status) throw protocolError('HPE_INVALID_CONSTANT', 'expected HTTP/');
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const field = FIELD.exec(line);
      if (!field) throw protocolError('HPE_INVALID_HEADER_TOKEN', 'invalid header field');
      const name = (field[1] as string).toLowerCase();
      const value = field[2] as string;
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const code = Number(status[2]);
    if (code >= 100 && code < 200) return true;
    const connection = (headers.connection ?? '').toLowerCase().split(/\s*,\s*/);
    const keepAlive = status[1] === '1' && !connection.includes('close');
    this.head = { status: code, headers, keepAlive };
    this.framing = framingOf(code, headers, this.limits.maxBodyBytes);
    return true;
  }

  private readBody(): boolean {
    const framing = this.framing as Framing;
    switch (framing.kind) {
      case 'none':
        return true;
      case 'length': {
        const take = this.buffered.subarray(0, framing.left);
        this.keep(take);
        framing.left -= take.length;
        this.buffered = this.buffered.subarray(take.length);
        return framing.left === 0;
      }
      case 'close':
        this.keep(this.buffered);
        this.buffered = Buffer.alloc(0);
        return false;
      case 'chunked':
        return this.readChunks();
    }
  }

  private readChunks(): boolean {
    for (;;) {
      if (this.chunkState === 'data') {
        const take = this.buffered.subarray(0, this.chunkLeft);
        this.keep(take);
        this.chunkLeft -= take.length;
        this.buffered = this.buffered.subarray(take.length);
        if (this.chunkLeft > 0) return false;
        this.chunkState = 'data-end';
        continue;
      }
      const line = this.takeLine();
      if (line === undefined) return false;
      if (this.chunkState === 'data-end') {
        if (line !== '') throw protocolError('HPE_STRICT', 'expected CRLF after chunk');
        this.chunkState = 'size';
      } else if (this.chunkState === 'size') {
        const size = CHUNK_SIZE.exec(line);
        if (!size) throw protocolError('HPE_INVALID_CHUNK_SIZE', 'invalid character in chunk size');
        this.chunkLeft = Number.parseInt(size[1] as string, 16);
        if (this.size + this.chunkLeft > this.limits.maxBodyBytes)
          throw new BodyTooLargeError(this.limits.maxBodyBytes);
        this.chunkState = this.chunkLeft === 0 ? 'trailers' : 'data';
      } else if (line === '') {
        return true;
      } else if (!FIELD.test(line)) {
        throw protocolError('HPE_INVALID_HEADER_TOKEN', 'invalid trailer field');
      }
    }
  }

  // One CRLF-terminated line of a chunked body (a size line or a trailer field), without its CRLF.
  private takeLine(): string | undefined {
    const end = this.buffered.indexOf(CRLF);
    if (end < 0) {
      if (this.buffered.length > MAX_LINE) throw protocolError('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'line overflow');
      return undefined;
    }
    if (end > MAX_LINE) throw protocolError('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'line overflow');
    const line = this.buffered.subarray(0, end).toString('latin1');
    this.buffered = this.buffered.subarray(end + 2);
    return line;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.size > this.limits.maxBodyBytes) throw new BodyTooLargeError(this.limits.maxBodyBytes);
    this.parts.push(bytes);
  }
}

// RFC 9112 §6.3: no body for 204 and 304; chunked when it is the final transfer coding (and then
// Content-Length is ignored); a length; else the body runs to the end of the connection.
function framingOf(status: number, headers: Readonly<Record<string, string>>, maxBody: number): Framing {
  if (status === 204 || status === 304) return { kind: 'none' };
  const coding = headers['transfer-encoding'];
  if (coding !== undefined) {
    const last = coding
      .toLowerCase()
      .split(/\s*,\s*/)
      .at(-1);
    return last === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
  }
  const length = headers['content-length'];
  if (length === undefined) return { kind: 'close' };
  // Repeated fields arrive joined: "5, 5" is one length said twice, "5, 6" is a lie.
  const values = new Set(length.split(/\s*,\s*/));
  const only = values.size === 1 ? [...values][0] : undefined;
  if (only === undefined || !/^\d{1,15}$/.test(only))
    throw protocolError('HPE_INVALID_CONTENT_LENGTH', 'invalid Content-Length');
  const left = Number(only);
  if (left > maxBody) throw new BodyTooLargeError(maxBody);
  return left === 0 ? { kind: 'none' } : { kind: 'length', left };
}
