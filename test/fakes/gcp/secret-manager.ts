// A loopback Google Secret Manager speaking the documented REST API (v1) for what secrets-exec calls:
//   GET /v1/projects/P/secrets/S/versions/V:access and, for regional secrets,
//   GET /v1/projects/P/locations/L/secrets/S/versions/V:access — V a number or `latest` (the newest
//   version, whatever its state). Answers {name, payload: {data (base64), dataCrc32c (int64 as a
//   string)}}, the name with the project NUMBER as Google writes it. Errors follow the google.rpc.Status
//   JSON model {"error": {code, message, status}}: 404 NOT_FOUND (no secret, no version), 400
//   FAILED_PRECONDITION "Secret Version [...] is in DISABLED|DESTROYED state.", 403 PERMISSION_DENIED
//   naming secretmanager.versions.access, 401 UNAUTHENTICATED for a missing, unknown or expired bearer
//   token, 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE.
// Every request must carry `Authorization: Bearer TOKEN` issued by the TokenAuthority, unless the fake
// plays the emulator (`emulator: true`: no credentials needed, and any sent are recorded).
// Faults: inject(), corruptChecksum(), latencyMs, and `slow` (answers never come).
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { crc32c } from '../../../src/providers/gcp/crc32c.js';
import { delay, listen, sendJson } from '../http.js';
import type { TokenAuthority } from './tokens.js';

export type VersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';
export type Fault = 'throttle' | 'internal' | 'unavailable';

export interface RecordedAccess {
  readonly path: string;
  /** `ok`, `missing`, `unknown` (a token the authority does not know or that expired). */
  readonly auth: 'ok' | 'missing' | 'unknown';
  readonly identity?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** `1.1` or `2.0`. */
  readonly httpVersion: string;
  status?: number;
}

export interface SecretManagerFake {
  readonly url: string;
  /** host:port, for SECRET_MANAGER_EMULATOR_HOST. */
  readonly host: string;
  readonly requests: RecordedAccess[];
  latencyMs: number;
  /** Plays the emulator: no credentials needed (any sent are still recorded). */
  emulator: boolean;
  /** Never answer (until close). */
  slow: boolean;
  /** Adds a version to `projects/P[/locations/L]/secrets/S`; returns its number. */
  addVersion(secret: string, data: string | Buffer, state?: VersionState): number;
  setState(secret: string, version: number, state: VersionState): void;
  /** Answers this version with a dataCrc32c that does not match its data. */
  corruptChecksum(secret: string, version: number): void;
  /** Refuses `identity` access to `secret` (an IAM policy without secretAccessor). */
  deny(secret: string, identity: string): void;
  /** The next `times` accesses (every one when undefined) fail with `fault`. */
  inject(fault: Fault, times?: number): void;
  count(): number;
  /** Connections accepted so far (HTTP/2 carries many requests on one). */
  connections(): number;
  reset(): void;
  close(): Promise<void>;
}

interface Version {
  data: Buffer;
  state: VersionState;
  badChecksum: boolean;
}

const ACCESS = /^\/v1\/projects\/([^/]+)\/(?:locations\/([^/]+)\/)?secrets\/([^/]+)\/versions\/([^/:]+):access$/;
const FAULTS: Record<Fault, [number, string, string]> = {
  throttle: [
    429,
    'RESOURCE_EXHAUSTED',
    "Quota exceeded for quota metric 'Access requests' and limit 'Access requests per minute'.",
  ],
  internal: [500, 'INTERNAL', 'Internal error encountered.'],
  unavailable: [503, 'UNAVAILABLE', 'The service is currently unavailable.'],
};

export async function startSecretManagerFake(options: {
  authority: TokenAuthority;
  emulator?: boolean;
  /** Serve TLS: HTTP/2 and HTTP/1.1 (as Google does), or HTTP/1.1 only when `http1Only`. */
  tls?: { cert: Buffer; key: Buffer; http1Only?: boolean };
}): Promise<SecretManagerFake> {
  const secrets = new Map<string, Version[]>();
  const denied = new Set<string>();
  const requests: RecordedAccess[] = [];
  let fault: { kind: Fault; times: number | undefined } | undefined;
  // Google answers with the project number; every project of the fake gets a stable one.
  const numbers = new Map<string, string>();
  const numberOf = (project: string): string => {
    if (!numbers.has(project)) numbers.set(project, String(100000000000 + numbers.size * 7919));
    return numbers.get(project) as string;
  };
  const error = (res: ServerResponse, record: RecordedAccess, code: number, status: string, message: string): void => {
    record.status = code;
    sendJson(res, code, { error: { code, message, status } });
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const bearer = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const identity = bearer === undefined ? undefined : options.authority.identityOf(bearer);
    const record: RecordedAccess = {
      path,
      auth: bearer === undefined ? 'missing' : identity === undefined ? 'unknown' : 'ok',
      identity,
      headers: { ...req.headers },
      httpVersion: req.httpVersion,
    };
    requests.push(record);
    if (fake.slow) return;
    await delay(fake.latencyMs);
    if (!fake.emulator && record.auth !== 'ok') {
      return error(
        res,
        record,
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. ' +
          'Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    const match = ACCESS.exec(path);
    if (req.method !== 'GET' || !match)
      return error(res, record, 404, 'NOT_FOUND', `The requested URL ${path} was not found on this server.`);
    const [, project = '', location, name = '', version = ''] = match;
    const secret = `projects/${project}${location ? `/locations/${location}` : ''}/secrets/${name}`;
    const asked = `${secret}/versions/${version}`;
    if (fault) {
      const [code, status, message] = FAULTS[fault.kind];
      if (fault.times !== undefined && --fault.times <= 0) fault = undefined;
      return error(res, record, code, status, message);
    }
    // IAM is checked before existence: a caller without access cannot learn whether a secret exists.
    if (identity !== undefined && denied.has(`${secret} ${identity}`)) {
      return error(
        res,
        record,
        403,
        'PERMISSION_DENIED',
        `Permission 'secretmanager.versions.access' denied for resource '${asked}' (or it may not exist).`,
      );
    }
    const versions = secrets.get(secret);
    const numbered = `projects/${numberOf(project)}${location ? `/locations/${location}` : ''}/secrets/${name}`;
    if (!versions || versions.length === 0)
      return error(res, record, 404, 'NOT_FOUND', `Secret [${numbered}] not found or has no versions.`);
    const n = version === 'latest' ? versions.length : /^[1-9]\d*$/.test(version) ? Number(version) : NaN;
    if (Number.isNaN(n))
      return error(res, record, 400, 'INVALID_ARGUMENT', `Invalid resource field value in the request.`);
    const entry = versions[n - 1];
    if (!entry)
      return error(res, record, 404, 'NOT_FOUND', `Secret Version [${numbered}/versions/${version}] not found.`);
    if (entry.state !== 'ENABLED')
      return error(
        res,
        record,
        400,
        'FAILED_PRECONDITION',
        `Secret Version [${numbered}/versions/${n}] is in ${entry.state} state.`,
      );
    const checksum = crc32c(entry.data);
    record.status = 200;
    sendJson(res, 200, {
      name: `${numbered}/versions/${n}`,
      payload: {
        data: entry.data.toString('base64'),
        dataCrc32c: String(entry.badChecksum ? (checksum ^ 0x1) >>> 0 : checksum),
      },
    });
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => void answer(req, res);
  const { tls } = options;
  const server = !tls
    ? createHttpServer(handler)
    : tls.http1Only
      ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler)
      : createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true }, handler as never);
  const { port, close, connections } = await listen(server);
  const versionsOf = (secret: string): Version[] => {
    const list = secrets.get(secret) ?? [];
    secrets.set(secret, list);
    return list;
  };
  const fake: SecretManagerFake = {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    latencyMs: 0,
    emulator: options.emulator ?? false,
    slow: false,
    addVersion(secret, data, state = 'ENABLED') {
      const list = versionsOf(secret);
      list.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'), state, badChecksum: false });
      return list.length;
    },
    setState(secret, version, state) {
      const entry = versionsOf(secret)[version - 1];
      if (!entry) throw new Error(`no version ${version} of ${secret}`);
      entry.state = state;
      if (state === 'DESTROYED') entry.data = Buffer.alloc(0);
    },
    corruptChecksum(secret, version) {
      const entry = versionsOf(secret)[version - 1];
      if (entry) entry.badChecksum = true;
    },
    deny(secret, identity) {
      denied.add(`${secret} ${identity}`);
    },
    inject(kind, times) {
      fault = { kind, times };
    },
    count: () => requests.length,
    connections,
    reset() {
      requests.length = 0;
      fault = undefined;
      fake.latencyMs = 0;
      fake.slow = false;
    },
    close,
  };
  return fake;
}
