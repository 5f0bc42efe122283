// The signing side of the IBM fakes: IAM access tokens are RS256 JWTs (as IAM issues them) with the
// claims the SDK core reads (`iat`, `exp`) and those IAM documents (`iss`, `sub`, `iam_id`, `account`).
// The fake IAM and the fake VPC metadata service mint them; the fake Secrets Manager verifies them
// (signature, issuer, expiry), so a forged, foreign or expired token is refused as the real service would.
// Plus the small HTTP helpers the three fakes share.
import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

export const IAM_ISSUER = 'https://iam.cloud.ibm.com/identity';
export const ACCOUNT_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

export interface TokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly iam_id: string;
  readonly account: { readonly bss: string };
  readonly iat: number;
  readonly exp: number;
  readonly grant_type: string;
  readonly jti: string;
}

export interface TokenIssuer {
  /** A signed access token for `subject`, valid for `ttlSeconds` (negative: already expired). */
  issue(subject: string, grantType: string, ttlSeconds?: number): string;
  /** The claims of a token this issuer signed and that has not expired; otherwise why not. */
  check(token: string, issuer?: string): Checked;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An issuer with its own RSA key: tokens of another issuer fail its signature check. */
export function createTokenIssuer(iss = IAM_ISSUER): TokenIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    issue: (sub, grant, ttl = 3600) => signToken(privateKey, iss, sub, grant, ttl),
    check: (token, expected = iss) => checkToken(publicKey, token, expected),
  };
}

function signToken(key: KeyObject, iss: string, sub: string, grantType: string, ttl: number): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: TokenClaims = {
    iss,
    sub,
    iam_id: sub,
    account: { bss: ACCOUNT_ID },
    iat: now,
    exp: now + ttl,
    grant_type: grantType,
    jti: randomUUID(),
  };
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'fake-key-1' })}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

type Checked = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

function checkToken(key: KeyObject, token: string, iss: string): Checked {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const [header = '', payload = '', signature = ''] = parts;
  const signed = Buffer.from(`${header}.${payload}`);
  const valid = verify('sha256', signed, key, Buffer.from(signature, 'base64url'));
  if (!valid) return { ok: false, reason: 'bad signature' };
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
  if (claims.iss !== iss) return { ok: false, reason: `issuer ${claims.iss}` };
  if (claims.exp <= Math.floor(Date.now() / 1000)) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** Sends a JSON answer; with `gzip`, compressed with that content coding. */
export function sendJson(res: ServerResponse, status: number, body: unknown, options: { gzip?: boolean } = {}): void {
  const text = Buffer.from(JSON.stringify(body));
  const bytes = options.gzip ? gzipSync(text) : text;
  const encoding = options.gzip ? { 'Content-Encoding': 'gzip' } : {};
  res.writeHead(status, { 'Content-Type': 'application/json', ...encoding, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

/** One header's value, joined when repeated. */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
