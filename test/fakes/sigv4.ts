// An AWS Signature Version 4 verifier written by hand from the specification ("Create a signed AWS API
// request", AWS IAM User Guide), so that a bug in the client's signer cannot hide behind the same library:
// it uses node:crypto only, never @smithy/signature-v4. Fakes call it for every request they receive
// (the AWS fake, and the Vault fake for AWS IAM login, whose sts:GetCallerIdentity request it re-checks).
//
//   Authorization: AWS4-HMAC-SHA256 Credential=AKID/YYYYMMDD/REGION/SERVICE/aws4_request,
//                  SignedHeaders=h1;h2;…, Signature=HEX
//
// canonical request = METHOD \n CANONICAL-URI \n CANONICAL-QUERY \n CANONICAL-HEADERS \n SIGNED-HEADERS \n PAYLOAD-HASH
// string to sign    = AWS4-HMAC-SHA256 \n X-AMZ-DATE \n SCOPE \n hex(sha256(canonical request))
// signing key       = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  readonly method: string;
  /** The path as it was sent on the wire (already percent-encoded once). */
  readonly path: string;
  /** The query string as sent, without the leading '?' ('' when none). */
  readonly query: string;
  /** Header names in any case; a header sent several times is an array. */
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type SigV4Result =
  | { ok: true; service: string; region: string; accessKeyId: string }
  | { ok: false; reason: string };

export interface VerifyOptions {
  /** The clock the x-amz-date is checked against (default: now). */
  readonly now?: Date;
  /** How far x-amz-date may be from `now` (default 15 minutes, as AWS allows). */
  readonly maxSkewMs?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Checks the SigV4 `Authorization` header of a request against the given credentials. */
export function verifySigV4(
  request: SignedRequest,
  credentials: TestCredentials,
  options: VerifyOptions = {},
): SigV4Result {
  const headers = lowerCaseHeaders(request.headers);
  const authorization = single(headers.get('authorization'));
  if (authorization === undefined) return fail('no Authorization header');
  if (!authorization.startsWith(`${ALGORITHM} `)) return fail(`Authorization is not ${ALGORITHM}`);
  const match = AUTHORIZATION.exec(authorization);
  if (!match) return fail('malformed Authorization header');
  const [, credential = '', signedHeaderList = '', signature = ''] = match;

  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') return fail('malformed credential scope');
  const [accessKeyId = '', scopeDate = '', region = '', service = ''] = scope;
  if (accessKeyId !== credentials.accessKeyId) return fail(`unknown access key id ${accessKeyId}`);

  const amzDate = single(headers.get('x-amz-date'));
  if (amzDate === undefined) return fail('no x-amz-date header');
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) return fail('malformed x-amz-date');
  if (amzDate.slice(0, 8) !== scopeDate) return fail('credential scope date differs from x-amz-date');
  const now = (options.now ?? new Date()).getTime();
  if (Math.abs(now - signedAt) > (options.maxSkewMs ?? 15 * 60_000))
    return fail('x-amz-date is more than 15 minutes from now');

  const signedHeaders = signedHeaderList.split(';');
  const sorted = [...signedHeaders].sort();
  if (signedHeaders.some((h, i) => h !== sorted[i] || h !== h.toLowerCase() || h === '')) {
    return fail('SignedHeaders is not a sorted list of lower-case names');
  }
  for (const required of ['host', 'x-amz-date']) {
    if (!signedHeaders.includes(required)) return fail(`${required} is not signed`);
  }
  for (const header of signedHeaders) if (!headers.has(header)) return fail(`signed header ${header} is missing`);

  if (credentials.sessionToken !== undefined) {
    const token = single(headers.get('x-amz-security-token'));
    if (token === undefined) return fail('no x-amz-security-token header (session credentials)');
    if (token !== credentials.sessionToken) return fail('wrong session token');
    if (!signedHeaders.includes('x-amz-security-token')) return fail('x-amz-security-token is not signed');
  } else if (headers.has('x-amz-security-token')) {
    return fail('a session token was sent for long-term credentials');
  }

  // The payload hash is always computed from the body received; a declared hash must agree with it.
  const bodyHash = sha256Hex(request.body);
  const declared = single(headers.get('x-amz-content-sha256'));
  if (declared !== undefined) {
    if (!signedHeaders.includes('x-amz-content-sha256')) return fail('x-amz-content-sha256 is not signed');
    if (declared !== bodyHash) return fail('x-amz-content-sha256 does not match the body');
  }

  let canonicalRequest: string;
  try {
    canonicalRequest = buildCanonicalRequest({ request, headers, signedHeaders, signedHeaderList, bodyHash });
  } catch {
    return fail('malformed percent-encoding in the path or query');
  }
  const stringToSign = [
    ALGORITHM,
    amzDate,
    `${scopeDate}/${region}/${service}/aws4_request`,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const key = deriveSigningKey({ secretAccessKey: credentials.secretAccessKey, date: scopeDate, region, service });
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return fail('signature does not match');
  return { ok: true, service, region, accessKeyId };
}

/** The SigV4 signing key for one day, region and service. */
export function deriveSigningKey(input: {
  secretAccessKey: string;
  date: string;
  region: string;
  service: string;
}): Buffer {
  const kDate = hmac(`AWS4${input.secretAccessKey}`, input.date);
  const kRegion = hmac(kDate, input.region);
  const kService = hmac(kRegion, input.service);
  return hmac(kService, 'aws4_request');
}

/** SigV4's URI encoding: every byte except A-Z a-z 0-9 - _ . ~ becomes %XX with upper-case hex. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function buildCanonicalRequest(input: {
  request: SignedRequest;
  headers: Map<string, string | string[]>;
  signedHeaders: readonly string[];
  signedHeaderList: string;
  bodyHash: string;
}): string {
  const { request, headers, signedHeaders, signedHeaderList, bodyHash } = input;
  return [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.query),
    signedHeaders.map((h) => `${h}:${canonicalHeaderValue(headers.get(h))}\n`).join(''),
    signedHeaderList,
    bodyHash,
  ].join('\n');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function fail(reason: string): SigV4Result {
  return { ok: false, reason };
}

function lowerCaseHeaders(headers: SignedRequest['headers']): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const previous = out.get(lower);
    out.set(lower, previous === undefined ? value : [...[previous].flat(), ...[value].flat()]);
  }
  return out;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const time = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(time) ? undefined : time;
}

// Header values: several values joined with ',', surrounding space trimmed, inner runs of space made one.
function canonicalHeaderValue(value: string | string[] | undefined): string {
  return [value ?? '']
    .flat()
    .map((v) => v.trim().replace(/\s+/g, ' '))
    .join(',');
}

// Every service but S3 normalises the path (empty, '.' and '..' segments removed) and encodes each segment
// twice; the wire path is encoded once already, so one more encoding of each raw segment is the second.
function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

// Query parameters decoded, re-encoded the SigV4 way, sorted by name then value, joined with '&'.
function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query
    .split('&')
    .filter((p) => p !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq === -1 ? part : part.slice(0, eq);
      const value = eq === -1 ? '' : part.slice(eq + 1);
      return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))] as const;
    });
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}
