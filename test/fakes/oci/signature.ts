// Verifies an OCI request signature the way Oracle's "Request Signatures" page describes it (version 1,
// based on draft-cavage-http-signatures-08): an `Authorization: Signature version="1",keyId=…,
// algorithm="rsa-sha256",headers="…",signature="…"` header; the signing string is one `name: value`
// line per listed header in the listed order, `(request-target)` being `METHOD-lowercase PATH?QUERY`.
// Required for every request: (request-target), host, and date or x-date (within 5 minutes). Required
// in addition for PUT and POST: content-length, content-type and x-content-sha256 (base64 SHA-256 of
// the body, even an empty one), whose values must match the body actually sent.
import { createHash, createVerify, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface ParsedSignature {
  readonly keyId: string;
  readonly headers: readonly string[];
  readonly signature: string;
}

/** Turns a keyId into the public key that must have made the signature, or says why there is none. */
export type KeyResolver = (keyId: string) => { key: KeyObject } | { reason: string };

const MAX_SKEW_MS = 5 * 60_000;

/** Parses the Authorization header; undefined when it is not an OCI signature. */
export function parseSignature(header: string | undefined): ParsedSignature | undefined {
  if (!header?.startsWith('Signature ')) return undefined;
  const fields = new Map<string, string>();
  for (const match of header.slice('Signature '.length).matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
    fields.set(match[1] ?? '', match[2] ?? '');
  }
  const keyId = fields.get('keyId');
  const signature = fields.get('signature');
  const known = fields.get('version') === '1' && fields.get('algorithm') === 'rsa-sha256';
  if (!known || !keyId || !signature) return undefined;
  // Header names are case-insensitive (Oracle's SDK lists `Content-Type Content-Length`).
  const headers = (fields.get('headers') ?? 'date')
    .split(' ')
    .filter(Boolean)
    .map((h) => h.toLowerCase());
  return { keyId, headers, signature };
}

/** 'ok', or why the request's signature is refused. */
export function verifyRequest(
  req: IncomingMessage,
  body: Buffer,
  resolveKey: KeyResolver,
  now = Date.now(),
): { ok: true; keyId: string } | { ok: false; reason: string } {
  const parsed = parseSignature(header(req, 'authorization'));
  if (!parsed) return { ok: false, reason: 'no Signature version="1" rsa-sha256 Authorization header' };
  const method = (req.method ?? 'GET').toUpperCase();
  const required = ['(request-target)', 'host'];
  if (method === 'POST' || method === 'PUT') required.push('content-length', 'content-type', 'x-content-sha256');
  const missing = required.filter((h) => !parsed.headers.includes(h));
  if (missing.length > 0) return { ok: false, reason: `headers not signed: ${missing.join(', ')}` };
  const dateHeader = ['x-date', 'date'].find((h) => parsed.headers.includes(h));
  if (!dateHeader) return { ok: false, reason: 'neither date nor x-date is signed' };
  const date = Date.parse(header(req, dateHeader) ?? '');
  if (Number.isNaN(date) || Math.abs(now - date) > MAX_SKEW_MS) {
    return { ok: false, reason: `${dateHeader} missing or more than 5 minutes off` };
  }
  if (method === 'POST' || method === 'PUT') {
    if (header(req, 'content-length') !== String(body.length)) {
      return { ok: false, reason: 'content-length does not match the body' };
    }
    const sha = createHash('sha256').update(body).digest('base64');
    if (header(req, 'x-content-sha256') !== sha) {
      return { ok: false, reason: 'x-content-sha256 does not match the body' };
    }
  }
  const lines: string[] = [];
  for (const name of parsed.headers) {
    if (name === '(request-target)') {
      lines.push(`(request-target): ${method.toLowerCase()} ${req.url ?? '/'}`);
      continue;
    }
    const value = header(req, name);
    if (value === undefined) return { ok: false, reason: `signed header ${name} is not in the request` };
    lines.push(`${name}: ${value}`);
  }
  const resolved = resolveKey(parsed.keyId);
  if ('reason' in resolved) return { ok: false, reason: resolved.reason };
  const valid = createVerify('RSA-SHA256').update(lines.join('\n')).verify(resolved.key, parsed.signature, 'base64');
  return valid ? { ok: true, keyId: parsed.keyId } : { ok: false, reason: 'signature does not verify' };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
