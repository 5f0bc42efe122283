// A loopback stand-in for the instance metadata services that all four clouds run at 169.254.169.254,
// each answering the request secrets-exec's detection makes, as the vendor documents it:
//   aws  PUT /latest/api/token — needs X-aws-ec2-metadata-token-ttl-seconds (1–21600); answers the token
//        as text with the TTL echoed in the same response header; 403 with X-Forwarded-For (IMDSv2).
//   gcp  GET /computeMetadata/v1/ — needs Metadata-Flavor: Google (403 without, or with X-Forwarded-For);
//        every answer carries Metadata-Flavor: Google.
//   oci  GET /opc/v2/instance/ — needs Authorization: Bearer Oracle (401 without, or when forwarded);
//        answers the instance document (JSON, OCIDs).
//   ibm  PUT /instance_identity/v1/token?version=… — needs Metadata-Flavor: ibm and a version date of at
//        least 2022-03-01, optional JSON body {expires_in: 5–3600}; answers {access_token, created_at,
//        expires_at, expires_in}.
// Modes: `right` (the above; with `foreign: 200` paths of other clouds are also answered 200 in this
// cloud's own style, as real services do for paths they do not know), `wrong-headers` (the own endpoint
// answers 200 but without the vendor's mark: the AWS TTL header, Google's Metadata-Flavor, an OCI
// instance OCID, an IBM access_token), `ok-for-everything` (200 text/html to anything, like a captive
// portal), `slow` (answers only after `delayMs`, by default never) and `refused` (nothing listens).
// Every request is recorded with its answer status and whether the client left before the answer.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Cloud = 'aws' | 'gcp' | 'oci' | 'ibm';
export const CLOUDS: readonly Cloud[] = ['aws', 'gcp', 'oci', 'ibm'];
export type MetadataMode = 'right' | 'wrong-headers' | 'ok-for-everything' | 'slow' | 'refused';
export const MODES: readonly MetadataMode[] = ['right', 'wrong-headers', 'ok-for-everything', 'slow', 'refused'];

export interface MetadataFakeOptions {
  /** The clouds impersonated at once (two make detection ambiguous). */
  readonly clouds?: readonly Cloud[];
  readonly mode?: MetadataMode;
  /** How a path of no impersonated cloud is answered: 404 (default), or 200 in the first cloud's style. */
  readonly foreign?: 404 | 200;
  /** `slow` mode: the delay before answering; by default the answer never comes. */
  readonly delayMs?: number;
}

export interface RecordedMetadataRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** The status answered; undefined when no answer was sent. */
  status?: number | undefined;
  /** True when the client closed the connection before an answer was sent. */
  clientLeft: boolean;
}

export interface MetadataFake {
  /** http://127.0.0.1:PORT — give it as SECRETS_EXEC_METADATA_URL. */
  readonly url: string;
  readonly requests: RecordedMetadataRequest[];
  close(): Promise<void>;
}

type Answer = { status: number; headers: Record<string, string>; body: string };

const OWN_PREFIX: Record<Cloud, string> = {
  aws: '/latest/',
  gcp: '/computeMetadata/',
  oci: '/opc/',
  ibm: '/instance_identity/',
};
const OCI_INSTANCE = {
  availabilityDomain: 'Uocm:PHX-AD-1',
  faultDomain: 'FAULT-DOMAIN-1',
  compartmentId: 'ocid1.compartment.oc1..aaaaaaaafakecompartment',
  displayName: 'secrets-exec-test',
  id: 'ocid1.instance.oc1.phx.aaaaaaaafakeinstance',
  region: 'phx',
  canonicalRegionName: 'us-phoenix-1',
  shape: 'VM.Standard.E4.Flex',
  state: 'Running',
  metadata: { user_data: Buffer.from('#cloud-config\n').toString('base64') },
};
const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(value),
});
const text = (status: number, body: string, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'Content-Type': 'text/plain', ...headers },
  body,
});
const header = (req: RecordedMetadataRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

function ibmToken(expiresIn: number): Answer {
  const now = Math.floor(Date.now() / 1000);
  const jwt =
    `${base64url({ alg: 'RS256', typ: 'JWT' })}.` +
    `${base64url({
      iat: now,
      exp: now + expiresIn,
      sub: 'crn:v1:bluemix:public:is:us-south-1:a/fake::instance:0717-fake',
    })}.` +
    `${randomBytes(32).toString('base64url')}`;
  return json(200, {
    access_token: jwt,
    created_at: new Date(now * 1000).toISOString(),
    expires_at: new Date((now + expiresIn) * 1000).toISOString(),
    expires_in: expiresIn,
  });
}

// The documented answer of each cloud's own endpoint, after checking what the client must send.
const RIGHT: Record<Cloud, (req: RecordedMetadataRequest) => Answer> = {
  aws: (req) => {
    if (header(req, 'x-forwarded-for') !== undefined) return text(403, 'Forbidden');
    if (req.path !== '/latest/api/token') return text(401, 'Unauthorized'); // IMDSv2-only: metadata needs a token
    if (req.method !== 'PUT') return text(405, 'Method Not Allowed');
    const ttl = Number(header(req, 'x-aws-ec2-metadata-token-ttl-seconds'));
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return text(400, 'Bad Request');
    return text(200, `AQAEA${randomBytes(39).toString('base64')}`, {
      'X-Aws-Ec2-Metadata-Token-Ttl-Seconds': String(ttl),
      Server: 'EC2ws',
    });
  },
  gcp: (req) => {
    const flavor = { 'Metadata-Flavor': 'Google' };
    if (header(req, 'x-forwarded-for') !== undefined) return text(403, 'Request had X-Forwarded-For header', flavor);
    if (header(req, 'metadata-flavor') !== 'Google')
      return text(403, 'Missing required header: "Metadata-Flavor": "Google"', flavor);
    if (req.method !== 'GET') return text(405, 'Method Not Allowed', flavor);
    return {
      status: 200,
      headers: { 'Content-Type': 'application/text', ...flavor },
      body: 'instance/\noslogin/\nproject/\n',
    };
  },
  oci: (req) => {
    if (['forwarded', 'x-forwarded-for', 'x-forwarded-host'].some((h) => header(req, h) !== undefined))
      return json(401, { code: 'NotAuthorized' });
    if (header(req, 'authorization') !== 'Bearer Oracle')
      return json(401, { code: 'NotAuthorized', message: 'Authorization header missing' });
    if (req.method !== 'GET') return json(405, { code: 'MethodNotAllowed' });
    return json(200, OCI_INSTANCE);
  },
  ibm: (req) => {
    if (req.method !== 'PUT') return json(405, { errors: [{ code: 'method_not_allowed' }] });
    if (header(req, 'metadata-flavor') !== 'ibm')
      return json(400, {
        errors: [{ code: 'missing_metadata_flavor', message: 'Metadata-Flavor: ibm header is required' }],
      });
    const version = new URL(req.path, 'http://x').searchParams.get('version') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(version) || version < '2022-03-01')
      return json(400, { errors: [{ code: 'bad_version' }] });
    let expiresIn = 300;
    if (req.body !== '') {
      let parsed: { expires_in?: unknown };
      try {
        parsed = JSON.parse(req.body) as { expires_in?: unknown };
      } catch {
        return json(400, { errors: [{ code: 'bad_request_body' }] });
      }
      if (parsed.expires_in !== undefined) {
        if (
          typeof parsed.expires_in !== 'number' ||
          !Number.isInteger(parsed.expires_in) ||
          parsed.expires_in < 5 ||
          parsed.expires_in > 3600
        )
          return json(400, { errors: [{ code: 'bad_expires_in' }] });
        expiresIn = parsed.expires_in;
      }
    }
    return ibmToken(expiresIn);
  },
};

// The own endpoint's answer without the vendor's identifying mark.
const WRONG: Record<Cloud, Answer> = {
  aws: text(200, `AQAEA${randomBytes(39).toString('base64')}`),
  gcp: { status: 200, headers: { 'Content-Type': 'application/text' }, body: 'instance/\noslogin/\nproject/\n' },
  oci: json(200, { ...OCI_INSTANCE, id: 'i-0123456789abcdef0', compartmentId: 'default' }),
  ibm: json(200, { token: 'not-an-access-token', expires_in: 60 }),
};

// How each cloud answers 200 to a path it does not own (foreign: 200).
const FOREIGN_OK: Record<Cloud, Answer> = {
  aws: text(200, 'ami-id\nhostname\ninstance-id\n', { Server: 'EC2ws' }),
  gcp: {
    status: 200,
    headers: { 'Content-Type': 'application/text', 'Metadata-Flavor': 'Google' },
    body: 'instance/\nproject/\n',
  },
  oci: json(200, OCI_INSTANCE),
  ibm: ibmToken(300),
};

function answerFor(req: RecordedMetadataRequest, options: MetadataFakeOptions): Answer {
  const clouds = options.clouds ?? [];
  if (options.mode === 'ok-for-everything')
    return { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html><body>OK</body></html>' };
  const owner = clouds.find((c) => req.path.startsWith(OWN_PREFIX[c]));
  if (owner) return options.mode === 'wrong-headers' ? WRONG[owner] : RIGHT[owner](req);
  const first = clouds[0];
  if (first && options.foreign === 200) return FOREIGN_OK[first];
  return text(404, 'Not Found', first === 'gcp' ? { 'Metadata-Flavor': 'Google' } : {});
}

/** Starts the fake on 127.0.0.1 (port 0); in `refused` mode nothing listens at the address given. */
export async function startMetadataFake(options: MetadataFakeOptions = {}): Promise<MetadataFake> {
  const requests: RecordedMetadataRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: RecordedMetadataRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: { ...req.headers },
        body: Buffer.concat(chunks).toString('utf8'),
        clientLeft: false,
      };
      requests.push(record);
      res.on('close', () => {
        if (record.status === undefined) record.clientLeft = true;
      });
      const send = (): void => {
        if (res.destroyed) return;
        const answer = answerFor(record, options);
        record.status = answer.status;
        res.writeHead(answer.status, { ...answer.headers, 'Content-Length': String(Buffer.byteLength(answer.body)) });
        res.end(answer.body);
      };
      if (options.mode !== 'slow') return send();
      if (options.delayMs === undefined) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, options.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    for (const t of timers) clearTimeout(t);
    server.closeAllConnections();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  // Refused: the port was just ours, so nothing else listens there; connecting is refused at once.
  if (options.mode === 'refused') await close();
  return { url: `http://127.0.0.1:${port}`, requests, close };
}
