// A loopback HashiCorp Vault speaking the documented HTTP API (developer.hashicorp.com/vault/api-docs) for
// what secrets-exec uses, and checking what a real Vault checks:
//   - every request but logins, unwrap and wrapping lookup needs a live X-Vault-Token of the request's
//     namespace (X-Vault-Namespace), and an ACL: the token's policies (plus `default`) must grant the
//     capability (GET read, POST/PUT create|update, DELETE delete) on the path, most specific rule winning
//     (exact over glob, longer over shorter, `+` one segment), `deny` overriding; 403 otherwise;
//   - GET sys/internal/ui/mounts/PATH answers only when the token can reach something under the mount
//     (403 "preflight capability check returned 403 …" otherwise, also for a path under no mount);
//   - KV v1 (GET/PUT/DELETE), KV v2 (data/ with ?version=, metadata/, delete/, destroy/; a deleted or
//     destroyed version reads as 404 with its metadata), a database mount whose creds/ROLE mint a lease;
//   - logins: approle (role_id + secret_id), kubernetes and jwt (RS256 signature, exp, audience and bound
//     service account / claims, as TokenReview and the jwt plugin would), aws (the signed sts request is
//     decoded and its SigV4 signature verified with sigv4.ts, X-Vault-AWS-IAM-Server-ID must be signed);
//   - sys/wrapping/lookup and single-use sys/wrapping/unwrap, auth/token/lookup-self, auth/token/revoke-self
//     (which also revokes the token's leases, as Vault does), sys/leases/lookup;
//   - TTLs: a lease (leaseTtl) and a login's token (loginTtl) expire; sys/leases/renew and
//     auth/token/renew-self grant the increment asked (or the TTL) but never past the max TTL, refuse an
//     expired lease or token, and are counted (leaseRenewals, tokenRenewals);
//   - seal(): every request but sys/seal-status and sys/health answers 503 "Vault is sealed";
//   - rateLimit(rate, intervalMs): a global rate-limit quota (sys/quotas/rate-limit): past `rate` requests
//     in an interval, 429 with Retry-After (whole seconds until the interval ends) and Vault's
//     "rate limit quota exceeded" error, as Vault answers a request over its quota.
// Every request is recorded (method, path, query, namespace, token, body) for counting and auth asserts.
import {
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as signData,
  verify as verifyData,
  type KeyObject,
} from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RateLimit } from './rate-limit.js';
import { verifySigV4, type TestCredentials } from './sigv4.js';

export type Capability = 'read' | 'list' | 'create' | 'update' | 'delete' | 'sudo' | 'deny';
export type PolicyRules = Readonly<Record<string, readonly Capability[]>>;

export interface RecordedRequest {
  readonly method: string;
  /** The path after /v1/, decoded. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The namespace the request is in: X-Vault-Namespace, with a namespace path prefix appended. */
  readonly namespace: string;
  /** The path as sent, before a namespace prefix was taken off (`path` is what the namespace serves). */
  readonly sentPath: string;
  readonly token?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  status?: number;
}

interface TokenEntry {
  readonly id: string;
  readonly accessor: string;
  readonly policies: readonly string[];
  readonly namespace: string;
  readonly via: string;
  revoked: boolean;
  readonly leases: string[];
  /** A login's token expires (ms since the epoch); renew-self extends it up to maxAt. */
  expiresAt?: number;
  maxAt?: number;
  ttl?: number;
}

interface LeaseEntry {
  readonly token: string;
  revoked: boolean;
  readonly ttl: number;
  expiresAt: number;
  readonly maxAt: number;
}

// A Vault duration: seconds as a number or numeric string, or a string with an s, m or h suffix.
function seconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const m = typeof value === 'string' ? /^(\d+)([smh]?)$/.exec(value) : null;
  return m ? Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600 }[m[2] ?? ''] ?? 1) : undefined;
}

interface Kv2Version {
  data: Record<string, unknown> | null;
  readonly created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

type Mount =
  | { readonly type: 'kv'; readonly version: 1; readonly entries: Map<string, Record<string, unknown>> }
  | { readonly type: 'kv'; readonly version: 2; readonly entries: Map<string, Map<number, Kv2Version>> }
  | { readonly type: 'database'; readonly roles: Set<string> };

interface Role {
  readonly policies: readonly string[];
  readonly roleId?: string;
  readonly secretIds?: Set<string>;
  readonly boundServiceAccountNames?: readonly string[];
  readonly boundNamespaces?: readonly string[];
  readonly boundAudiences?: readonly string[];
  readonly userClaim?: string;
  readonly boundIamPrincipalArn?: string;
}

interface AuthMount {
  readonly type: 'approle' | 'kubernetes' | 'jwt' | 'aws';
  readonly roles: Map<string, Role>;
  readonly publicKey?: KeyObject;
  readonly defaultRole?: string;
  readonly serverId?: string;
  readonly identities?: ReadonlyArray<{ readonly credentials: TestCredentials; readonly arn: string }>;
}

interface Namespace {
  readonly mounts: Map<string, Mount>;
  readonly auth: Map<string, AuthMount>;
  readonly policies: Map<string, PolicyRules>;
}

/** Options of the fake; `tls` makes it an HTTPS server (`requestCert` asks for a client certificate signed by `ca`). */
export interface FakeVaultOptions {
  /** Listen on this unix socket instead of 127.0.0.1 (as a Vault Agent listener can); `url` is then unix://PATH. */
  readonly socketPath?: string;
  readonly tls?: {
    readonly cert: string | Buffer;
    readonly key: string | Buffer;
    readonly ca?: string | Buffer;
    readonly requestCert?: boolean;
  };
}

type Reply = { status: number; body?: unknown };

const DENIED: Reply = { status: 403, body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } };
const DEFAULT_POLICY: PolicyRules = {
  'auth/token/lookup-self': ['read'],
  'auth/token/renew-self': ['update'],
  'auth/token/revoke-self': ['update'],
  'sys/leases/renew': ['update'],
  'sys/capabilities-self': ['update'],
  'sys/wrapping/lookup': ['update'],
  'sys/wrapping/unwrap': ['update'],
};

const random = (bytes = 12): string => randomBytes(bytes).toString('base64url');
const err = (status: number, ...errors: string[]): Reply => ({ status, body: { errors } });
const envelope = (extra: Record<string, unknown>): Record<string, unknown> => ({
  request_id: random(8),
  lease_id: '',
  renewable: false,
  lease_duration: 0,
  data: null,
  wrap_info: null,
  warnings: null,
  auth: null,
  ...extra,
});

/** Starts a fake Vault on 127.0.0.1 (port 0). */
export async function startFakeVault(options: FakeVaultOptions = {}): Promise<FakeVault> {
  const vault = new FakeVault();
  const handler = (req: IncomingMessage, res: ServerResponse): void => void vault.handle(req, res);
  const tls = options.tls;
  const server: Server = tls
    ? createHttpsServer(
        {
          cert: tls.cert,
          key: tls.key,
          ca: tls.ca,
          requestCert: tls.requestCert ?? false,
          rejectUnauthorized: tls.requestCert ?? false,
        },
        handler,
      )
    : createHttpServer(handler);
  if (options.socketPath !== undefined) {
    const socketPath = options.socketPath;
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    vault.url = `unix://${socketPath}`;
  } else {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    vault.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }
  vault.server = server;
  return vault;
}

export class FakeVault {
  url = '';
  server?: Server;
  readonly requests: RecordedRequest[] = [];
  sealed = false;
  /** Answers a request before Vault would (to play a proxy or a broken server); undefined lets Vault answer. */
  intercept?: (
    request: RecordedRequest,
  ) => { status: number; text: string; headers?: Record<string, string> } | undefined;
  /** Milliseconds to hold a request before answering it (0 or undefined: answer at once). */
  delay?: (request: RecordedRequest) => number;
  /** A token-bucket quota shared with the other fakes (the fleet benchmark): requests beyond it get 429. */
  rateLimiter?: RateLimit;
  /** The most requests being answered at the same time since the last resetPeak(). */
  peakInFlight = 0;
  private inFlight = 0;
  private quota?: { rate: number; intervalMs: number; windowStart: number; used: number };
  readonly rootToken: string;
  private readonly namespaces = new Map<string, Namespace>();
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly wrapped = new Map<
    string,
    { creationPath: string; data: Record<string, unknown>; namespace: string }
  >();
  private readonly leases = new Map<string, LeaseEntry>();
  /** TTL and max TTL in seconds of the leases creds/ROLE mints, and of the tokens logins issue. */
  leaseTtl = { ttl: 3600, maxTtl: 86_400 };
  loginTtl = { ttl: 2_764_800, maxTtl: 2_764_800 };
  leaseRenewals = 0;
  tokenRenewals = 0;

  constructor() {
    this.rootToken = this.issueToken({ policies: ['root'] });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  // ---- state, as an operator would set it up ----

  seal(): void {
    this.sealed = true;
  }

  /** Sets a global rate-limit quota of `rate` requests per `intervalMs` (undefined removes it). */
  rateLimit(rate: number | undefined, intervalMs = 1_000): void {
    this.quota = rate === undefined ? undefined : { rate, intervalMs, windowStart: Date.now(), used: 0 };
  }

  resetPeak(): void {
    this.peakInFlight = 0;
  }

  // Vault's rate limiter answers before routing: the 429 carries Retry-After in whole seconds.
  private overQuota(path: string): { status: number; text: string; headers: Record<string, string> } | undefined {
    const quota = this.quota;
    if (!quota || path === 'sys/health' || path === 'sys/seal-status') return undefined;
    const now = Date.now();
    if (now - quota.windowStart >= quota.intervalMs) {
      quota.windowStart = now - ((now - quota.windowStart) % quota.intervalMs);
      quota.used = 0;
    }
    if (++quota.used <= quota.rate) return undefined;
    const seconds = Math.max(1, Math.ceil((quota.windowStart + quota.intervalMs - now) / 1000));
    return {
      status: 429,
      text: JSON.stringify({ errors: [`request path "${path}": rate limit quota exceeded`] }),
      headers: { 'Retry-After': String(seconds) },
    };
  }

  unseal(): void {
    this.sealed = false;
  }

  /** Writes (or replaces) a named ACL policy. */
  putPolicy(name: string, rules: PolicyRules, namespace = ''): void {
    this.ns(namespace).policies.set(name, rules);
  }

  /** Creates a token with these policies (plus `default`); returns its id. */
  issueToken(input: { policies: readonly string[]; namespace?: string; via?: string }): string {
    const id = `hvs.${random(18)}`;
    const policies = input.policies.includes('root') ? ['root'] : [...new Set([...input.policies, 'default'])];
    this.tokens.set(id, {
      id,
      accessor: random(12),
      policies,
      namespace: input.namespace ?? '',
      via: input.via ?? 'token',
      revoked: false,
      leases: [],
    });
    return id;
  }

  /** True while a token is known and not revoked. */
  isTokenLive(token: string): boolean {
    const entry = this.tokens.get(token);
    return entry !== undefined && !entry.revoked;
  }

  /** Tokens created by a login, in creation order. */
  loginTokens(via?: string): string[] {
    return [...this.tokens.values()]
      .filter((t) => t.via !== 'token' && (via === undefined || t.via === via))
      .map((t) => t.id);
  }

  isLeaseLive(leaseId: string): boolean {
    const lease = this.leases.get(leaseId);
    return lease !== undefined && !lease.revoked;
  }

  leaseIds(): string[] {
    return [...this.leases.keys()];
  }

  mountKv(path: string, version: 1 | 2, namespace = ''): void {
    this.ns(namespace).mounts.set(
      withSlash(path),
      version === 1 ? { type: 'kv', version: 1, entries: new Map() } : { type: 'kv', version: 2, entries: new Map() },
    );
  }

  mountDatabase(path: string, roles: readonly string[], namespace = ''): void {
    this.ns(namespace).mounts.set(withSlash(path), { type: 'database', roles: new Set(roles) });
  }

  /** Writes a secret: KV v1 replaces it, KV v2 adds a version (returned). */
  putSecret(mountPath: string, path: string, data: Record<string, unknown>, namespace = ''): number {
    const mount = this.kvMount(mountPath, namespace);
    if (mount.version === 1) {
      mount.entries.set(path, data);
      return 0;
    }
    const versions = mount.entries.get(path) ?? new Map<number, Kv2Version>();
    mount.entries.set(path, versions);
    const version = versions.size + 1;
    versions.set(version, { data, created_time: new Date().toISOString(), deletion_time: '', destroyed: false });
    return version;
  }

  deleteVersion(mountPath: string, path: string, version: number, namespace = ''): void {
    const v = this.kv2Version(mountPath, path, version, namespace);
    v.deletion_time = new Date().toISOString();
  }

  destroyVersion(mountPath: string, path: string, version: number, namespace = ''): void {
    const v = this.kv2Version(mountPath, path, version, namespace);
    v.destroyed = true;
    v.data = null;
  }

  enableAppRole(input: {
    mount?: string;
    role: string;
    roleId: string;
    policies: readonly string[];
    namespace?: string;
  }): void {
    const auth = this.authMount(input.mount ?? 'approle', 'approle', input.namespace, {});
    auth.roles.set(input.role, { policies: input.policies, roleId: input.roleId, secretIds: new Set() });
  }

  /** Generates a secret id for an AppRole role (auth/approle/role/NAME/secret-id). */
  issueSecretId(role: string, options: { mount?: string; namespace?: string } = {}): string {
    const found = this.ns(options.namespace ?? '')
      .auth.get(withSlash(options.mount ?? 'approle'))
      ?.roles.get(role);
    if (!found?.secretIds) throw new Error(`no AppRole role ${role}`);
    const secretId = random(24);
    found.secretIds.add(secretId);
    return secretId;
  }

  /** A response-wrapped secret id, as `vault write -wrap-ttl=60s -f auth/approle/role/NAME/secret-id` gives it. */
  wrapSecretId(role: string, options: { mount?: string; namespace?: string } = {}): string {
    const mount = options.mount ?? 'approle';
    const secretId = this.issueSecretId(role, options);
    return this.wrap(
      `auth/${mount}/role/${role}/secret-id`,
      { secret_id: secretId, secret_id_accessor: random(8), secret_id_ttl: 0, secret_id_num_uses: 0 },
      options.namespace,
    );
  }

  /** Wraps any data as if `creationPath` had been called with a wrap TTL; returns the wrapping token. */
  wrap(creationPath: string, data: Record<string, unknown>, namespace = ''): string {
    const token = `hvs.${random(18)}`;
    this.wrapped.set(token, { creationPath, data, namespace });
    return token;
  }

  enableKubernetes(input: {
    mount?: string;
    role: string;
    publicKeyPem: string;
    serviceAccounts: readonly string[];
    namespaces: readonly string[];
    policies: readonly string[];
  }): void {
    const auth = this.authMount(input.mount ?? 'kubernetes', 'kubernetes', '', {
      publicKey: createPublicKey(input.publicKeyPem),
    });
    auth.roles.set(input.role, {
      policies: input.policies,
      boundServiceAccountNames: input.serviceAccounts,
      boundNamespaces: input.namespaces,
    });
  }

  enableJwt(input: {
    mount?: string;
    role: string;
    publicKeyPem: string;
    audiences: readonly string[];
    userClaim?: string;
    policies: readonly string[];
    defaultRole?: boolean;
  }): void {
    const auth = this.authMount(input.mount ?? 'jwt', 'jwt', '', {
      publicKey: createPublicKey(input.publicKeyPem),
      defaultRole: input.defaultRole ? input.role : undefined,
    });
    auth.roles.set(input.role, {
      policies: input.policies,
      boundAudiences: input.audiences,
      userClaim: input.userClaim ?? 'sub',
    });
  }

  enableAws(input: {
    mount?: string;
    role: string;
    arn: string;
    credentials: TestCredentials;
    serverId?: string;
    policies: readonly string[];
  }): void {
    const auth = this.authMount(input.mount ?? 'aws', 'aws', '', {
      serverId: input.serverId,
      identities: [{ credentials: input.credentials, arn: input.arn }],
    });
    auth.roles.set(input.role, { policies: input.policies, boundIamPrincipalArn: input.arn });
  }

  // ---- HTTP ----

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://vault');
    const raw = Buffer.concat(await req.toArray());
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = raw.toString('utf8');
    }
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const sentPath = url.pathname.startsWith('/v1/')
      ? url.pathname.slice(4).split('/').map(decodeURIComponent).join('/')
      : url.pathname;
    const sentNamespace = (header('x-vault-namespace') ?? '').replace(/^\/+|\/+$/g, '');
    const { namespace, path } = this.resolveNamespace(sentNamespace, sentPath);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      sentPath,
      query: Object.fromEntries(url.searchParams),
      namespace,
      token: header('x-vault-token'),
      headers: req.headers,
      body,
    };
    this.requests.push(record);
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const delayMs = this.delay?.(record) ?? 0;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (this.rateLimiter?.take() === false) {
      // Vault's answer to a request over a rate limit quota.
      record.status = 429;
      const errors = [`request path "${record.path}": rate limit quota exceeded`];
      res.writeHead(429, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors }));
      return;
    }
    const intercepted = this.intercept?.(record) ?? this.overQuota(record.path);
    if (intercepted) {
      record.status = intercepted.status;
      res
        .writeHead(intercepted.status, { 'Content-Type': 'application/json', ...intercepted.headers })
        .end(intercepted.text);
      return;
    }
    const reply = url.pathname.startsWith('/v1/') ? this.route(record) : err(404);
    record.status = reply.status;
    if (reply.body === undefined) res.writeHead(reply.status).end();
    else sendAsGo(res, reply.status, JSON.stringify(reply.body));
  }

  private route(r: RecordedRequest): Reply {
    const { method, path } = r;
    if (path === 'sys/seal-status')
      return { status: 200, body: { type: 'shamir', initialized: true, sealed: this.sealed, t: 1, n: 1 } };
    if (path === 'sys/health')
      return { status: this.sealed ? 503 : 200, body: { initialized: true, sealed: this.sealed, standby: false } };
    if (this.sealed) return err(503, 'Vault is sealed');
    const body = (r.body ?? {}) as Record<string, unknown>;
    const login = /^auth\/(.+)\/login$/.exec(path);
    if (login && (method === 'POST' || method === 'PUT')) return this.login(login[1] ?? '', body, r.namespace);
    if (path === 'sys/wrapping/lookup' && method !== 'GET') return this.wrapLookup(String(body.token ?? r.token ?? ''));
    if (path === 'sys/wrapping/unwrap' && method !== 'GET') return this.unwrap(String(body.token ?? r.token ?? ''));

    const token = r.token === undefined ? undefined : this.tokens.get(r.token);
    // A token works in its namespace and in the namespaces under it; its policies name a child namespace's
    // paths with the child's relative path in front (team-a/secret/data/x), as Vault's do.
    const relative = token === undefined ? undefined : childPath(token.namespace, r.namespace);
    if (!token || token.revoked || relative === undefined) return DENIED;
    if (token.expiresAt !== undefined && Date.now() >= token.expiresAt) return DENIED;
    if (path.startsWith('sys/internal/ui/mounts/') && method === 'GET')
      return this.preflight(path.slice('sys/internal/ui/mounts/'.length), token, r.namespace, relative);
    const capability = method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : 'update';
    if (!this.allows(token, `${relative}${path}`, capability)) return DENIED;
    if (path === 'auth/token/lookup-self' && method === 'GET') {
      return {
        status: 200,
        body: envelope({
          data: {
            id: token.id,
            accessor: token.accessor,
            policies: token.policies,
            namespace_path: token.namespace,
            ttl: 2764800,
          },
        }),
      };
    }
    if (path === 'auth/token/revoke-self' && method !== 'GET') {
      token.revoked = true;
      for (const id of token.leases) (this.leases.get(id) ?? { revoked: false }).revoked = true;
      return { status: 204 };
    }
    if (path === 'sys/leases/renew' && method !== 'GET') return this.renewLease(body);
    if (path === 'auth/token/renew-self' && method !== 'GET') return this.renewSelf(token, body);
    if (path === 'sys/leases/lookup' && method !== 'GET') {
      const lease = this.leases.get(String(body.lease_id ?? ''));
      return lease && !lease.revoked
        ? { status: 200, body: envelope({ data: { id: body.lease_id, ttl: 3600, renewable: true } }) }
        : err(400, 'invalid lease');
    }
    const found = this.findMount(path, r.namespace);
    if (!found) return err(404, `no handler for route "${path}". route entry not found.`);
    return this.secretRequest(found.mount, found.mountPath, path.slice(found.mountPath.length), r, token);
  }

  private secretRequest(mount: Mount, mountPath: string, rest: string, r: RecordedRequest, token: TokenEntry): Reply {
    const body = (r.body ?? {}) as Record<string, unknown>;
    if (mount.type === 'database') {
      const role = /^creds\/([^/]+)$/.exec(rest)?.[1];
      if (r.method !== 'GET' || role === undefined || !mount.roles.has(role))
        return err(400, `unknown role: ${role ?? rest}`);
      const leaseId = `${mountPath}creds/${role}/${random(8)}`;
      const { ttl, maxTtl } = this.leaseTtl;
      const now = Date.now();
      this.leases.set(leaseId, {
        token: token.id,
        revoked: false,
        ttl,
        expiresAt: now + ttl * 1000,
        maxAt: now + maxTtl * 1000,
      });
      token.leases.push(leaseId);
      return {
        status: 200,
        body: envelope({
          lease_id: leaseId,
          lease_duration: ttl,
          renewable: true,
          data: { username: `v-${role}-${random(6)}`, password: random(16) },
        }),
      };
    }
    if (mount.version === 1) {
      if (r.method === 'GET') {
        const data = mount.entries.get(rest);
        return data ? { status: 200, body: envelope({ lease_duration: 2764800, data }) } : err(404);
      }
      if (r.method === 'DELETE') mount.entries.delete(rest);
      else mount.entries.set(rest, body);
      return { status: 204 };
    }
    return this.kv2Request(mount, rest, r);
  }

  private kv2Request(mount: Extract<Mount, { version: 2 }>, rest: string, r: RecordedRequest): Reply {
    const body = (r.body ?? {}) as Record<string, unknown>;
    const [, kind = '', key = ''] = /^(data|metadata|delete|destroy)\/(.+)$/.exec(rest) ?? [];
    const versions = mount.entries.get(key);
    const meta = (n: number, v: Kv2Version): Record<string, unknown> => ({
      created_time: v.created_time,
      custom_metadata: null,
      deletion_time: v.deletion_time,
      destroyed: v.destroyed,
      version: n,
    });
    if (kind === 'data' && r.method === 'GET') {
      if (!versions) return err(404);
      const n = r.query.version !== undefined && r.query.version !== '0' ? Number(r.query.version) : versions.size;
      const v = versions.get(n);
      if (!v) return err(404);
      const gone = v.destroyed || v.deletion_time !== '';
      return {
        status: gone ? 404 : 200,
        body: envelope({ data: { data: gone ? null : v.data, metadata: meta(n, v) } }),
      };
    }
    if (kind === 'data' && (r.method === 'POST' || r.method === 'PUT')) {
      const list = versions ?? new Map<number, Kv2Version>();
      mount.entries.set(key, list);
      const v = {
        data: (body.data ?? {}) as Record<string, unknown>,
        created_time: new Date().toISOString(),
        deletion_time: '',
        destroyed: false,
      };
      list.set(list.size + 1, v);
      return { status: 200, body: envelope({ data: meta(list.size, v) }) };
    }
    if (kind === 'metadata' && r.method === 'GET') {
      if (!versions) return err(404);
      const all = Object.fromEntries(
        [...versions].map(([n, v]) => [
          String(n),
          { created_time: v.created_time, deletion_time: v.deletion_time, destroyed: v.destroyed },
        ]),
      );
      return {
        status: 200,
        body: envelope({
          data: {
            current_version: versions.size,
            oldest_version: 1,
            max_versions: 0,
            versions: all,
            custom_metadata: null,
          },
        }),
      };
    }
    if ((kind === 'delete' || kind === 'destroy') && r.method !== 'GET' && versions) {
      for (const n of (body.versions ?? []) as number[]) {
        const v = versions.get(Number(n));
        if (!v) continue;
        if (kind === 'delete') v.deletion_time = new Date().toISOString();
        else Object.assign(v, { destroyed: true, data: null });
      }
      return { status: 204 };
    }
    return {
      status: 404,
      body: {
        errors: [],
        warnings: [
          'Invalid path for a versioned K/V secrets engine. ' +
            'See the API docs for the appropriate API endpoints to use. ' +
            "If using the Vault CLI, use 'vault kv get' for this operation.",
        ],
      },
    };
  }

  private preflight(path: string, token: TokenEntry, namespace: string, relative: string): Reply {
    const clean = withSlash(path.replace(/^\/+/, ''));
    const refused = err(
      403,
      `preflight capability check returned 403, please ensure client's policies grant access to path "${clean}"`,
    );
    const found = this.findMount(clean, namespace);
    if (!found || !this.hasMountAccess(token, `${relative}${found.mountPath}`)) return refused;
    const m = found.mount;
    const options = m.type === 'kv' ? { version: String(m.version) } : null;
    return {
      status: 200,
      body: envelope({
        data: {
          accessor: `${m.type}_${random(4)}`,
          config: { default_lease_ttl: 0, max_lease_ttl: 0 },
          description: '',
          external_entropy_access: false,
          local: false,
          options,
          path: found.mountPath,
          seal_wrap: false,
          type: m.type,
          uuid: random(8),
        },
      }),
    };
  }

  // PUT sys/leases/renew {lease_id, increment}: the lease's new TTL, capped by its max TTL.
  private renewLease(body: Record<string, unknown>): Reply {
    const lease = this.leases.get(String(body.lease_id ?? ''));
    const now = Date.now();
    if (!lease || lease.revoked || now >= lease.expiresAt) return err(400, 'lease not found or lease is not renewable');
    const granted = Math.max(0, Math.min(seconds(body.increment) ?? lease.ttl, Math.floor((lease.maxAt - now) / 1000)));
    lease.expiresAt = now + granted * 1000;
    this.leaseRenewals++;
    return { status: 200, body: envelope({ lease_id: body.lease_id, renewable: true, lease_duration: granted }) };
  }

  // POST auth/token/renew-self {increment}: a login token's new TTL, capped by its max TTL.
  private renewSelf(token: TokenEntry, body: Record<string, unknown>): Reply {
    if (token.maxAt === undefined) return err(400, 'token is not renewable');
    const now = Date.now();
    const wanted = seconds(body.increment) ?? token.ttl ?? 0;
    const granted = Math.max(0, Math.min(wanted, Math.floor((token.maxAt - now) / 1000)));
    token.expiresAt = now + granted * 1000;
    this.tokenRenewals++;
    const auth = {
      client_token: token.id,
      accessor: token.accessor,
      policies: token.policies,
      lease_duration: granted,
    };
    return { status: 200, body: envelope({ auth: { ...auth, renewable: true } }) };
  }

  private login(mountPath: string, body: Record<string, unknown>, namespace: string): Reply {
    const auth = this.ns(namespace).auth.get(withSlash(mountPath));
    if (!auth) return err(400, `no handler for route "auth/${mountPath}/login". route entry not found.`);
    const result =
      auth.type === 'approle'
        ? loginAppRole(auth, body)
        : auth.type === 'aws'
          ? loginAws(auth, body)
          : loginJwt(auth, body);
    if ('status' in result) return result;
    const client_token = this.issueToken({ policies: result.policies, namespace, via: auth.type });
    const entry = this.tokens.get(client_token) as TokenEntry;
    const { ttl, maxTtl } = this.loginTtl;
    Object.assign(entry, { ttl, expiresAt: Date.now() + ttl * 1000, maxAt: Date.now() + maxTtl * 1000 });
    return {
      status: 200,
      body: envelope({
        auth: {
          client_token,
          accessor: entry.accessor,
          policies: entry.policies,
          token_policies: entry.policies,
          metadata: result.metadata,
          lease_duration: ttl,
          renewable: true,
          entity_id: '',
          token_type: 'service',
          orphan: true,
        },
      }),
    };
  }

  private wrapLookup(token: string): Reply {
    const w = this.wrapped.get(token);
    if (!w) return err(400, 'wrapping token is not valid or does not exist');
    return {
      status: 200,
      body: envelope({
        data: { creation_path: w.creationPath, creation_time: new Date().toISOString(), creation_ttl: 60 },
      }),
    };
  }

  private unwrap(token: string): Reply {
    const w = this.wrapped.get(token);
    if (!w) return err(400, 'wrapping token is not valid or does not exist');
    this.wrapped.delete(token); // single use
    return { status: 200, body: envelope({ data: w.data }) };
  }

  // ---- ACL ----

  private rulesOf(token: TokenEntry): Array<[string, readonly Capability[]]> {
    const ns = this.ns(token.namespace);
    return token.policies.flatMap((name) =>
      Object.entries(name === 'default' ? DEFAULT_POLICY : (ns.policies.get(name) ?? {})),
    );
  }

  private allows(token: TokenEntry, path: string, capability: Capability): boolean {
    if (token.policies.includes('root')) return true;
    let best = -1;
    let caps = new Set<Capability>();
    for (const [pattern, granted] of this.rulesOf(token)) {
      const score = matchScore(pattern, path);
      if (score === undefined || score < best) continue;
      if (score > best) caps = new Set();
      best = score;
      for (const c of granted) caps.add(c);
    }
    if (caps.has('deny')) return false;
    // POST/PUT need create or update; a fake that does not tell them apart accepts either.
    return caps.has(capability) || (capability === 'update' && caps.has('create'));
  }

  private hasMountAccess(token: TokenEntry, mountPath: string): boolean {
    if (token.policies.includes('root')) return true;
    return this.rulesOf(token).some(([pattern, caps]) => {
      if (caps.length === 0 || caps.every((c) => c === 'deny')) return false;
      const prefix = pattern.split(/[+*]/)[0] ?? '';
      return prefix.startsWith(mountPath) || (mountPath.startsWith(prefix) && /[+*]/.test(pattern));
    });
  }

  // ---- helpers ----

  // Vault takes a namespace from X-Vault-Namespace and from the front of the path, in that order: the
  // leading segments of the path that name a namespace under the header's are moved into the namespace.
  private resolveNamespace(namespace: string, path: string): { namespace: string; path: string } {
    const segments = path.split('/');
    let ns = namespace;
    while (segments.length > 1) {
      const next = ns === '' ? (segments[0] ?? '') : `${ns}/${segments[0]}`;
      if (!this.namespaces.has(next)) break;
      ns = next;
      segments.shift();
    }
    return { namespace: ns, path: segments.join('/') };
  }

  private ns(name: string): Namespace {
    let ns = this.namespaces.get(name);
    if (!ns) {
      ns = { mounts: new Map(), auth: new Map(), policies: new Map() };
      this.namespaces.set(name, ns);
    }
    return ns;
  }

  private findMount(path: string, namespace: string): { mount: Mount; mountPath: string } | undefined {
    const withEnd = withSlash(path);
    for (const [mountPath, mount] of this.ns(namespace).mounts)
      if (withEnd.startsWith(mountPath)) return { mount, mountPath };
    return undefined;
  }

  private kvMount(mountPath: string, namespace: string): Extract<Mount, { type: 'kv' }> {
    const mount = this.ns(namespace).mounts.get(withSlash(mountPath));
    if (mount?.type !== 'kv') throw new Error(`no KV mount at ${mountPath}`);
    return mount;
  }

  private kv2Version(mountPath: string, path: string, version: number, namespace: string): Kv2Version {
    const mount = this.kvMount(mountPath, namespace);
    const v = mount.version === 2 ? mount.entries.get(path)?.get(version) : undefined;
    if (!v) throw new Error(`no version ${version} of ${mountPath}/${path}`);
    return v;
  }

  private authMount(
    path: string,
    type: AuthMount['type'],
    namespace: string | undefined,
    extra: Partial<AuthMount>,
  ): AuthMount {
    const ns = this.ns(namespace ?? '');
    const existing = ns.auth.get(withSlash(path));
    if (existing) return existing;
    const auth: AuthMount = { type, roles: new Map(), ...extra };
    ns.auth.set(withSlash(path), auth);
    return auth;
  }
}

type LoginResult = { policies: readonly string[]; metadata: Record<string, string> } | Reply;

function loginAppRole(auth: AuthMount, body: Record<string, unknown>): LoginResult {
  const [name, role] = [...auth.roles].find(([, r]) => r.roleId === body.role_id) ?? [];
  if (!role || typeof body.secret_id !== 'string' || !role.secretIds?.has(body.secret_id))
    return err(400, 'invalid role or secret ID');
  return { policies: role.policies, metadata: { role_name: name ?? '' } };
}

// kubernetes and jwt: the token's RS256 signature (what TokenReview or the jwt plugin's keys check), its
// expiry, then the role's bindings.
function loginJwt(auth: AuthMount, body: Record<string, unknown>): LoginResult {
  const roleName = typeof body.role === 'string' ? body.role : auth.defaultRole;
  if (roleName === undefined) return err(400, 'missing role');
  const role = auth.roles.get(roleName);
  if (!role) return err(400, `role "${roleName}" could not be found`);
  const claims = typeof body.jwt === 'string' && auth.publicKey ? verifyJwt(body.jwt, auth.publicKey) : undefined;
  if (!claims) return auth.type === 'kubernetes' ? DENIED : err(400, 'error validating token: invalid signature');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now())
    return err(400, 'error validating token: token is expired');
  if (auth.type === 'kubernetes') {
    const nested = claims['kubernetes.io'] as { namespace?: string; serviceaccount?: { name?: string } } | undefined;
    const sa = nested?.serviceaccount?.name ?? claims['kubernetes.io/serviceaccount/service-account.name'];
    const ns = nested?.namespace ?? claims['kubernetes.io/serviceaccount/namespace'];
    if (!role.boundServiceAccountNames?.includes(String(sa))) return err(403, 'service account name not authorized');
    if (!role.boundNamespaces?.includes(String(ns))) return err(403, 'namespace not authorized');
    return {
      policies: role.policies,
      metadata: { role: roleName, service_account_name: String(sa), service_account_namespace: String(ns) },
    };
  }
  const audiences = [claims.aud].flat().map(String);
  if (!role.boundAudiences?.some((a) => audiences.includes(a)))
    return err(400, 'error validating claims: aud claim does not match any bound audience');
  const user = claims[role.userClaim ?? 'sub'];
  if (typeof user !== 'string') return err(400, `claim "${role.userClaim ?? 'sub'}" not found in token`);
  return { policies: role.policies, metadata: { role: roleName } };
}

// aws: decode what `vault login -method=aws` sends, check it is sts:GetCallerIdentity to an STS host,
// check the server-id header when configured (signed), then verify the SigV4 signature as STS would.
function loginAws(auth: AuthMount, body: Record<string, unknown>): LoginResult {
  const decode = (field: string): string | undefined =>
    typeof body[field] === 'string' ? Buffer.from(body[field], 'base64').toString('utf8') : undefined;
  const method = body.iam_http_request_method;
  const urlText = decode('iam_request_url');
  const requestBody = decode('iam_request_body');
  const headersText = decode('iam_request_headers');
  if (method !== 'POST' || urlText === undefined || requestBody === undefined || headersText === undefined)
    return err(400, 'missing iam_* login parameters');
  const url = new URL(urlText);
  if (url.protocol !== 'https:' || !/^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(url.hostname))
    return err(400, `invalid iam_request_url host ${url.hostname}`);
  const params = new URLSearchParams(requestBody);
  if (params.get('Action') !== 'GetCallerIdentity')
    return err(400, 'iam_request_body is not a GetCallerIdentity request');
  let parsed: Record<string, string | string[]>;
  try {
    parsed = JSON.parse(headersText) as Record<string, string | string[]>;
  } catch {
    return err(400, 'iam_request_headers is not JSON');
  }
  const headers: Record<string, string | string[]> = { ...parsed };
  // As Vault's buildHttpRequest: the Host header is inferred from the URL when the client left it out.
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'host')) headers.host = url.host;
  const find = (name: string): string | undefined => {
    const v = Object.entries(headers).find(([h]) => h.toLowerCase() === name)?.[1];
    return Array.isArray(v) ? v[0] : v;
  };
  if (auth.serverId !== undefined) {
    const signedList = /SignedHeaders=([^,\s]+)/.exec(find('authorization') ?? '')?.[1]?.split(';') ?? [];
    if (find('x-vault-aws-iam-server-id') !== auth.serverId)
      return err(400, 'error validating X-Vault-AWS-IAM-Server-ID header: missing or wrong header value');
    if (!signedList.includes('x-vault-aws-iam-server-id'))
      return err(400, 'error validating X-Vault-AWS-IAM-Server-ID header: header is not signed');
  }
  const akid = /Credential=([^/]+)\//.exec(find('authorization') ?? '')?.[1];
  const identity = auth.identities?.find((i) => i.credentials.accessKeyId === akid);
  if (!identity)
    return err(400, 'error making upstream request: received error code 403 from STS: InvalidClientTokenId');
  const check = verifySigV4(
    {
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      headers,
      body: Buffer.from(requestBody, 'utf8'),
    },
    identity.credentials,
  );
  const region = url.hostname === 'sts.amazonaws.com' ? 'us-east-1' : url.hostname.split('.')[1];
  if (!check.ok || check.service !== 'sts' || check.region !== region) {
    return err(
      400,
      'error making upstream request: received error code 403 from STS: ' +
        `SignatureDoesNotMatch (${check.ok ? 'wrong service or region' : check.reason})`,
    );
  }
  const roleName = typeof body.role === 'string' ? body.role : (identity.arn.split('/').at(-1) ?? '');
  const role = auth.roles.get(roleName);
  if (!role) return err(400, `entry for role ${roleName} not found`);
  if (role.boundIamPrincipalArn !== identity.arn)
    return err(403, `IAM Principal "${identity.arn}" does not belong to the role "${roleName}"`);
  return { policies: role.policies, metadata: { role: roleName, client_arn: identity.arn } };
}

// A rule matches exactly, or as a glob when it ends in '*'; '+' stands for one segment. A higher score is
// more specific: exact beats glob, then more literal characters, then fewer '+'.
function matchScore(pattern: string, path: string): number | undefined {
  const glob = pattern.endsWith('*');
  const base = glob ? pattern.slice(0, -1) : pattern;
  const source = base
    .split('/')
    .map((segment) => (segment === '+' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  if (!new RegExp(`^${source}${glob ? '' : '$'}`).test(path)) return undefined;
  const pluses = base.split('/').filter((s) => s === '+').length;
  return (glob ? 0 : 1_000_000) + base.replace(/\+/g, '').length * 100 - pluses;
}

/** `child`'s path below `parent` with a trailing '/' ('' when equal), or undefined when not under it. */
function childPath(parent: string, child: string): string | undefined {
  if (child === parent) return '';
  if (parent === '') return `${child}/`;
  return child.startsWith(`${parent}/`) ? `${child.slice(parent.length + 1)}/` : undefined;
}

function withSlash(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

/** An RSA key pair that signs RS256 JWTs, as a Kubernetes API server or an OIDC provider would. */
export function createJwtIssuer(): { publicKeyPem: string; sign(claims: Record<string, unknown>): string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign(claims) {
      const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`;
      return `${input}.${signData('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    },
  };
}

function verifyJwt(jwt: string, key: KeyObject): Record<string, unknown> | undefined {
  const [header, payload, signature] = jwt.split('.');
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg !== 'RS256') return undefined;
    if (!verifyData('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url')))
      return undefined;
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

// Vault answers through Go's net/http, which gives an answer a Content-Length when it fits the 2 kB it buffers
// before chunking, and sends a larger one with chunked transfer coding: the fake does the same.
const GO_CHUNKING_BUFFER = 2048;
function sendAsGo(res: ServerResponse, status: number, text: string): void {
  const bytes = Buffer.from(text);
  if (bytes.length <= GO_CHUNKING_BUFFER) {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': bytes.length }).end(bytes);
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).write(bytes.subarray(0, GO_CHUNKING_BUFFER));
  res.end(bytes.subarray(GO_CHUNKING_BUFFER));
}
