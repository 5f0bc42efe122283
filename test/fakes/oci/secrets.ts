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
  status: number;
}

interface Version {
  readonly number: number;
  stages: string[];
  readonly content: Buffer;
}

interface StoredSecret {
  readonly id: string;
  readonly vaultId: string;
  readonly name: string;
  readonly versions: Version[];
  denied: boolean;
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

/** Starts the fake on 127.0.0.1 on a free port. */
export async function startOciFake(): Promise<OciFake> {
  const identity = createIdentity();
  const secrets: StoredSecret[] = [];
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
  const fail = (res: ServerResponse, status: number, code: string, message: string): void => reply(res, status, { code, message });

  const bundleOf = (secret: StoredSecret, version: Version, mode: Injected | undefined): unknown => ({
    secretId: secret.id,
    versionNumber: version.number,
    versionName: null,
    stages: version.stages,
    timeCreated: new Date().toISOString(),
    metadata: null,
    secretBundleContent: { contentType: 'BASE64', content: mode === 'not-base64' ? '%%not base64%%' : version.content.toString('base64') },
  });

  const handleSecrets = (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void => {
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, query, auth: '', principal: undefined, signedHeaders: '', status: 0 };
    requests.push(record);
    const verified = verifyRequest(req, body, identity.resolveKey);
    const mutable = record as { auth: string; principal: string | undefined; signedHeaders: string };
    mutable.signedHeaders = /headers="([^"]*)"/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    mutable.auth = verified.ok ? 'ok' : verified.reason;
    const send = (status: number, answer: () => void): void => {
      record.status = status;
      answer();
    };
    if (!verified.ok) return send(401, () => fail(res, 401, 'NotAuthenticated', 'The required information to complete authentication was not provided or was incorrect.'));
    mutable.principal = identity.principalOf(verified.keyId);
    const injection = injections.find((i) => i.remaining !== 0);
    if (injection && injection.remaining > 0) injection.remaining--;
    const mode = injection?.mode;
    if (mode === 'unauthenticated') return send(401, () => fail(res, 401, 'NotAuthenticated', 'The required information to complete authentication was not provided or was incorrect.'));
    if (mode === 'throttle') return send(429, () => fail(res, 429, 'TooManyRequests', 'Too many requests for the tenancy.'));
    if (mode === 'internal') return send(500, () => fail(res, 500, 'InternalServerError', 'Internal error.'));
    if (mode === 'not-json') return send(200, () => reply(res, 200, '<html>captive portal</html>'));

    let secret: StoredSecret | undefined;
    const byName = req.method === 'POST' && url.pathname === '/20190301/secretbundles/actions/getByName';
    const byId = req.method === 'GET' && url.pathname.startsWith('/20190301/secretbundles/') && !url.pathname.slice(24).includes('/');
    if (byName) {
      if (!query.secretName || !query.vaultId) return send(400, () => fail(res, 400, 'InvalidParameter', 'secretName and vaultId are required.'));
      secret = secrets.find((s) => s.vaultId === query.vaultId && s.name === query.secretName);
    } else if (byId) {
      const id = decodeURIComponent(url.pathname.slice('/20190301/secretbundles/'.length));
      secret = secrets.find((s) => s.id === id);
    } else {
      return send(404, () => fail(res, 404, 'NotAuthorizedOrNotFound', `Unknown resource ${url.pathname}`));
    }
    const notFound = (): void => send(404, () => fail(res, 404, 'NotAuthorizedOrNotFound', 'Authorization failed or requested resource not found.'));
    if (!secret || secret.denied) return notFound();
    if (query.stage && !['CURRENT', 'PENDING', 'LATEST', 'PREVIOUS', 'DEPRECATED'].includes(query.stage)) {
      return send(400, () => fail(res, 400, 'InvalidParameter', `Invalid stage ${query.stage}.`));
    }
    const version = query.versionNumber
      ? secret.versions.find((v) => String(v.number) === query.versionNumber)
      : secret.versions.find((v) => v.stages.includes(query.stage ?? 'CURRENT'));
    if (!version) return notFound();
    const found = secret;
    return send(200, () => reply(res, 200, bundleOf(found, version, mode)));
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
        fail(res, 404, 'NotFound', `no route ${req.method} ${url.pathname}`);
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
    putSecret(vaultId, name, value, options = {}) {
      let secret = secrets.find((s) => s.vaultId === vaultId && s.name === name);
      if (!secret) {
        secret = { id: `ocid1.vaultsecret.oc1.iad.amaaaaaafake${secrets.length}${name.replace(/[^a-z0-9]/gi, '').toLowerCase()}`, vaultId, name, versions: [], denied: false };
        secrets.push(secret);
      }
      const content = Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
      if (options.pending) {
        secret.versions.push({ number: secret.versions.length + 1, stages: ['PENDING', 'LATEST'], content });
        return secret.id;
      }
      for (const v of secret.versions) {
        v.stages = v.stages.filter((s) => s !== 'LATEST' && s !== 'PREVIOUS').map((s) => (s === 'CURRENT' ? 'PREVIOUS' : s));
      }
      secret.versions.push({ number: secret.versions.length + 1, stages: ['CURRENT', 'LATEST'], content });
      return secret.id;
    },
    deny(secretId) {
      const secret = secrets.find((s) => s.id === secretId);
      if (secret) secret.denied = true;
    },
    inject(mode, times = -1) {
      injections.push({ mode, remaining: times });
    },
    serveInstance(value) {
      instance = value;
    },
    count(operation) {
      const isByName = (r: RecordedRequest): boolean => r.path.endsWith('/actions/getByName');
      return requests.filter((r) => operation === undefined || (operation === 'GetSecretBundleByName') === isByName(r)).length;
    },
    reset() {
      requests.length = 0;
      injections.length = 0;
      state.latencyMs = 0;
      state.generation++;
      peak = 0;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
