// A loopback OCI Vault Secret Retrieval API (version 20190301) as Oracle's API reference describes it:
//   GET  /20190301/secretbundles/{secretId}[?versionNumber=N][&stage=S]
//   POST /20190301/secretbundles/actions/getByName?secretName=…&vaultId=…[&versionNumber=N][&stage=S]
// answering a SecretBundle (`secretBundleContent: {contentType: "BASE64", content}`, versionNumber,
// stages) or OCI's error model `{"code", "message"}` with an `opc-request-id` header: 404
// NotAuthorizedOrNotFound for a missing secret AND for one the caller may not read, 401
// NotAuthenticated for a refused signature, 400 InvalidParameter, 429 TooManyRequests, 500
// InternalServerError. EVERY request's signature is verified (./signature.ts) against the identities
// of ./identity.ts. The instance metadata service and the auth service's federation endpoint of an
// instance principal are served by the same server (./instance.ts), so one URL serves a whole run.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIdentity, type Identity } from './identity.js';
import { handleInstanceRoutes, type InstanceIdentity } from './instance.js';
import { verifyRequest } from './signature.js';
import { createSecretStore, STAGES } from './store.js';

export type Injected = 'unauthenticated' | 'throttle' | 'internal' | 'not-json' | 'not-base64';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** 'ok', or why the signature was refused. */
  readonly auth: string;
  /** Who signed: api_key, resource, instance (from the identity), when the signature verified. */
  readonly principal: string | undefined;
  readonly signedHeaders: string;
  readonly status: number;
}

export interface OciFake {
  /** http://127.0.0.1:PORT — SECRETS_EXEC_OCI_ENDPOINT, SECRETS_EXEC_METADATA_URL and the federation endpoint. */
  readonly url: string;
  readonly identity: Identity;
  readonly requests: RecordedRequest[];
  latencyMs: number;
  readonly peakInFlight: number;
  /** Stores a new version (CURRENT and LATEST; the former CURRENT becomes PREVIOUS); returns the secret OCID. */
  putSecret(vaultId: string, name: string, value: string | Buffer | object, options?: { pending?: boolean }): string;
  /** The caller may not read this secret: OCI then answers exactly as for a missing one. */
  deny(secretId: string): void;
  /** The next `times` Secrets calls (or all, when omitted) fail this way. */
  inject(mode: Injected, times?: number): void;
  /** Serves an instance principal's metadata (certificate, key, region) and federation. */
  serveInstance(instance: InstanceIdentity): void;
  /** How many Secrets calls there were (whatever their outcome). */
  count(operation?: 'GetSecretBundle' | 'GetSecretBundleByName'): number;
  reset(): void;
  close(): Promise<void>;
}

export const VAULT = 'ocid1.vault.oc1.iad.aaaaaaaafakevault';
const NOT_AUTHENTICATED = 'The required information to complete authentication was not provided or was incorrect.';

/** Starts the fake on 127.0.0.1 on a free port. */
export async function startOciFake(): Promise<OciFake> {
  const identity = createIdentity();
  const store = createSecretStore();
  const injections: Array<{ mode: Injected; remaining: number }> = [];
  const requests: RecordedRequest[] = [];
  let instance: InstanceIdentity | undefined;
  let inFlight = 0;
  let peak = 0;
  // reset() starts a new generation: a request still delayed from an earlier test is then dropped.
  const state = { latencyMs: 0, generation: 0 };

  const reply = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'opc-request-id': randomUUID().replace(/-/g, '') });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  // The answer to one Secrets call, once its signature verified: [status, body].
  const answer = (req: IncomingMessage, url: URL, query: Record<string, string>): [number, unknown] => {
    const fail = (status: number, code: string, message: string): [number, unknown] => [status, { code, message }];
    const injection = injections.find((i) => i.remaining !== 0);
    if (injection && injection.remaining > 0) injection.remaining--;
    const mode = injection?.mode;
    if (mode === 'unauthenticated') return fail(401, 'NotAuthenticated', NOT_AUTHENTICATED);
    if (mode === 'throttle') return fail(429, 'TooManyRequests', 'Too many requests for the tenancy.');
    if (mode === 'internal') return fail(500, 'InternalServerError', 'Internal error.');
    if (mode === 'not-json') return [200, '<html>captive portal</html>'];
    const prefix = '/20190301/secretbundles/';
    const byName = req.method === 'POST' && url.pathname === `${prefix}actions/getByName`;
    const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '/';
    const byId = req.method === 'GET' && !rest.includes('/');
    if (!byName && !byId) return fail(404, 'NotAuthorizedOrNotFound', `Unknown resource ${url.pathname}`);
    if (byName && (!query.secretName || !query.vaultId)) {
      return fail(400, 'InvalidParameter', 'secretName and vaultId are required.');
    }
    if (query.stage && !STAGES.includes(query.stage)) {
      return fail(400, 'InvalidParameter', `Invalid stage ${query.stage}.`);
    }
    const secretId = byId ? decodeURIComponent(rest) : undefined;
    const bundle = store.bundle({ ...query, secretId }, { corrupt: mode === 'not-base64' });
    // The same answer for a missing secret and a denied one: OCI does not tell them apart.
    if (!bundle) return fail(404, 'NotAuthorizedOrNotFound', 'Authorization failed or requested resource not found.');
    return [200, bundle];
  };

  const handleSecrets = (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void => {
    const verified = verifyRequest(req, body, identity.resolveKey);
    const refused: [number, unknown] = [401, { code: 'NotAuthenticated', message: NOT_AUTHENTICATED }];
    const [status, answerBody] = verified.ok ? answer(req, url, Object.fromEntries(url.searchParams)) : refused;
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      auth: verified.ok ? 'ok' : verified.reason,
      principal: verified.ok ? identity.principalOf(verified.keyId) : undefined,
      signedHeaders: /headers="([^"]*)"/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '',
      status,
    });
    reply(res, status, answerBody);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      const generation = state.generation;
      setTimeout(() => {
        inFlight--;
        if (generation !== state.generation) return void res.destroy();
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const body = Buffer.concat(chunks);
        if (url.pathname.startsWith('/20190301/')) return handleSecrets(req, res, url, body);
        if (handleInstanceRoutes({ req, res, url, body, instance, identity })) return;
        reply(res, 404, { code: 'NotFound', message: `no route ${req.method} ${url.pathname}` });
      }, state.latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    identity,
    requests,
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms;
    },
    get peakInFlight() {
      return peak;
    },
    putSecret: (vaultId, name, value, options) => store.put(vaultId, name, value, options),
    deny: (secretId) => store.deny(secretId),
    inject(mode, times = -1) {
      injections.push({ mode, remaining: times });
    },
    serveInstance(value) {
      instance = value;
    },
    count(operation) {
      const isByName = (r: RecordedRequest): boolean => r.path.endsWith('/actions/getByName');
      const matches = (r: RecordedRequest): boolean =>
        operation === undefined || (operation === 'GetSecretBundleByName') === isByName(r);
      return requests.filter(matches).length;
    },
    reset() {
      requests.length = 0;
      injections.length = 0;
      state.latencyMs = 0;
      state.generation++;
      peak = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
