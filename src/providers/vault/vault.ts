// HashiCorp Vault: `vault://MOUNT/PATH[#KEY][?version=N][&namespace=CHILD]`, and `secret://NAME` as
// vault://$SECRETS_EXEC_VAULT_MOUNT/NAME (default mount `secret`). Users write logical paths: whether a
// mount is KV v1 or v2 is asked of Vault per mount (kv.ts), `data/` is inserted for v2, and any
// other read path (database/creds/ROLE) gives its `data` map. The payload is that map as JSON text.
//
// Reads: VAULT_AGENT_ADDR before VAULT_ADDR (a local Vault Agent or Proxy: with no credential, auth
// `agent` sends no token and the agent adds its own), VAULT_NAMESPACE (X-Vault-Namespace; ?namespace=
// reads one reference in a namespace under it: namespaces.ts), VAULT_CACERT / VAULT_CAPATH,
// VAULT_CLIENT_CERT / VAULT_CLIENT_KEY, VAULT_SKIP_VERIFY (works, with a loud warning),
// SECRETS_EXEC_VAULT_MOUNT, and for auth SECRETS_EXEC_VAULT_AUTH (token | approle | kubernetes | jwt | aws |
// agent; default token when VAULT_TOKEN or VAULT_TOKEN_FILE is set, else approle when VAULT_ROLE_ID[_FILE]
// is, else agent when VAULT_AGENT_ADDR is), SECRETS_EXEC_VAULT_AUTH_MOUNT or
// SECRETS_EXEC_VAULT_{APPROLE,KUBERNETES,JWT,AWS}_MOUNT, and the variables listed in auth.ts.
// Calls: auth/MOUNT/login (once per run), sys/internal/ui/mounts/PATH (once per mount), GET of each path,
// and auth/token/revoke-self in close() for a token it logged in for, unless --vault-keep-token or a
// dynamic secret's lease hangs on that token (revoking the token revokes its leases). With --watch the
// instance lives across polls: leased values are held and renewed, the login's token renewed (leases.ts),
// and at the end (the program stopped) the token is revoked with its leases.
// Client: client.ts, a small typed client over node:http(s) (no node-vault: ≈100 ms of start-up,
// and fetch cannot take a custom CA). It never retries: src/resolve/retry.ts retries Unavailable.
import { ProviderError } from '../../errors/errors.js';
import type { Reference } from '../../refs/index.js';
import type { Outcome, ProviderContext, ProviderInstance, ProviderModule } from '../../resolve/types.js';
import { logIn, revokeToken, type VaultLogin } from './auth.js';
import { createVaultClient, VaultHttpError, type VaultClient } from './client.js';
import { toProviderError } from './errors.js';
import { readPath } from './kv.js';
import { createNamespaceViews, type NamespaceViews } from './namespaces.js';
import { createLeaseKeeper, type LeaseKeeper } from './leases.js';
import { getGenericMount, readSettings, type VaultSettings } from './settings.js';

/** How long close() waits for revoke-self: the program is about to start, and the token expires anyway. */
const REVOKE_TIMEOUT_MS = 5_000;

interface Session {
  readonly settings: VaultSettings;
  /** The client of the run's own namespace (VAULT_NAMESPACE): logins, lookups, leases, revocation. */
  readonly client: VaultClient;
  /** A client and mount table per namespace read in (?namespace= names one under VAULT_NAMESPACE). */
  readonly namespaces: NamespaceViews;
  /** Paths of dynamic secrets read with a token secrets-exec logged in for. */
  readonly leasedPaths: Set<string>;
  login?: Promise<VaultLogin>;
  /** Whether Vault refused the token's own lookup, asked once after a denial. */
  tokenRefused?: Promise<boolean>;
  /** --watch: leased values held between polls, their renewals and the login token's (leases.ts). */
  readonly leases?: LeaseKeeper | undefined;
  token?: string;
}

async function openSession(ctx: ProviderContext): Promise<Session> {
  const settings = await readSettings(ctx);
  const makeClient = (namespace: string | undefined): VaultClient =>
    createVaultClient({
      address: settings.address,
      namespace,
      tls: settings.tls,
      proxyEnv: settings.proxyEnv,
      // Warnings are Vault's advice about the request (a wrong path shape, a deprecated endpoint), never a value.
      onWarnings: (path, warnings) => {
        for (const warning of warnings) ctx.log.debug('vault.warning', `Vault warns about ${path}: ${warning}`);
      },
    });
  const namespaces = createNamespaceViews(settings.namespace, makeClient);
  const client = namespaces.base.client;
  const session: Session = {
    settings,
    client,
    namespaces,
    leasedPaths: new Set<string>(),
    leases: ctx.flags.watching ? createLeaseKeeper({ client, token: () => session.token, log: ctx.log }) : undefined,
  };
  return session;
}

// One login per run shared by every batch; a failed login is forgotten so that a retry logs in again.
function getLogin(session: Session, ctx: ProviderContext): Promise<VaultLogin> {
  if (!session.login) {
    const login = logIn({ settings: session.settings, client: session.client, ctx });
    login.catch(() => {
      if (session.login === login) delete session.login;
    });
    session.login = login;
    // While watching, a login's token is renewed; near its max TTL it is dropped and the next poll logs in.
    login.then(
      (done) => {
        if (!done.obtained || session.leases === undefined) return;
        const ttlSeconds = done.ttlSeconds ?? 0;
        session.leases.keepToken({ ttlSeconds, renewable: done.renewable === true }, () => {
          if (session.login === login) delete session.login;
        });
      },
      () => undefined,
    );
  }
  return session.login;
}

function checkPath(path: string): void {
  if (path.split('/').some((s) => s === '.' || s === '..')) {
    throw new ProviderError('Invalid', `Vault path ${path} has a '.' or '..' segment`);
  }
}

// A reference cannot hold a space, '?' or '#': those (and any byte) are written as %XX escapes, which are
// decoded here, so vault://secret/my%20app reads the path "secret/my app" (a literal '%' is %25).
function decodePath(path: string): string {
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new ProviderError('Invalid', `Vault path ${path} has a malformed %-escape (write a '%' as %25)`);
  }
}

async function readOne(ref: Reference, session: Session, login: VaultLogin, ctx: ProviderContext): Promise<Outcome> {
  const path = decodePath(ref.path);
  checkPath(path);
  session.token = login.token;
  const view = session.namespaces.of(ref);
  // Leases are held (--watch) and renewed in the run's own namespace only.
  const own = view === session.namespaces.base;
  const held = own ? session.leases?.cached(path) : undefined;
  if (held !== undefined) return { value: held };
  const access = { client: view.client, token: login.token, signal: ctx.signal };
  const mount = await view.mountOf(path, access);
  ctx.log.debug('vault.mount', `${path} is under ${mount.path || '(unknown mount)'}`, {
    type: mount.type,
    kv: mount.kvVersion,
    namespace: view.namespace || '(root)',
  });
  const result = await readPath({ path, version: ref.version, mount, access, learn: view.mountOf.learn });
  if (result.leaseId !== undefined && login.obtained)
    session.leasedPaths.add(own ? path : `${path} (namespace ${view.namespace})`);
  if (result.leaseId !== undefined && session.leases !== undefined && own) {
    const { leaseId, leaseDuration = 0, renewable = false } = result;
    session.leases.hold(path, { value: result.value, leaseId, leaseDuration, renewable });
  }
  return { value: result.value, version: result.version };
}

// secret://NAME is vault://$SECRETS_EXEC_VAULT_MOUNT/NAME.
function mapGeneric(name: string, ctx: ProviderContext): Reference {
  const path = `${getGenericMount(ctx.env)}/${name}`;
  if (name.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new ProviderError(
      'Invalid',
      `secret name '${name}' cannot be a Vault path: it has an empty, '.' or '..' segment`,
    );
  }
  return { scheme: 'vault', path, optional: false, params: {} };
}

function classify(error: unknown): ProviderError {
  return toProviderError(error, { action: 'Vault request' }, 'VAULT_ADDR');
}

// A denial is most often a token that expired, was revoked or used up its uses: Vault answers 403 for all
// of them. Every token may look itself up (the `default` policy), so a refused lookup-self says it first.
async function explainDenials(
  outcomes: Outcome[],
  session: Session,
  login: VaultLogin,
  ctx: ProviderContext,
): Promise<Outcome[]> {
  if (!outcomes.some((o) => o instanceof ProviderError && o.kind === 'Denied')) return outcomes;
  session.tokenRefused ??= session.client
    .send({ method: 'GET', path: 'auth/token/lookup-self', token: login.token, signal: ctx.signal })
    .then(
      () => false,
      (error: unknown) => error instanceof VaultHttpError && error.status === 403,
    );
  if (!(await session.tokenRefused)) return outcomes;
  const said =
    'the Vault token is not valid: expired, revoked or out of uses (Vault refused auth/token/lookup-self, ' +
    "which every token's default policy allows)";
  return outcomes.map((o) =>
    o instanceof ProviderError && o.kind === 'Denied'
      ? new ProviderError('Denied', `${said}; ${o.message}`, { cause: o })
      : o,
  );
}

/** One run of the Vault provider: one session (settings, client, login, mount table) made on first use. */
function create(ctx: ProviderContext): ProviderInstance {
  let pending: Promise<Session> | undefined;
  const getSession = (): Promise<Session> => {
    if (!pending) {
      const session = openSession(ctx);
      // A failed start (bad settings, unreadable CA) is forgotten so that a retry reads them again.
      session.catch(() => {
        if (pending === session) pending = undefined;
      });
      pending = session;
    }
    return pending;
  };
  return {
    mapGeneric: (name) => mapGeneric(name, ctx),
    async resolve(batch) {
      const session = await getSession();
      const login = await getLogin(session, ctx);
      const outcomes = await Promise.all(
        batch.map((ref) => readOne(ref, session, login, ctx).catch((error: unknown) => classify(error))),
      );
      return explainDenials(outcomes, session, login, ctx);
    },
    async close() {
      const session = await pending?.catch(() => undefined);
      pending = undefined;
      if (session) await endSession(session, ctx);
    },
  };
}

// Gives back the token secrets-exec logged in for (unless it must or was told to keep it), then closes
// the client's sockets.
async function endSession(session: Session, ctx: ProviderContext): Promise<void> {
  try {
    // A login still in flight at the deadline may yet succeed: wait for it, so that its token is revoked too.
    session.leases?.close();
    const login = await session.login?.catch(() => undefined);
    if (!login?.obtained) return;
    if (ctx.flags.vaultKeepToken) {
      ctx.log.debug('vault.keep_token', `kept the Vault token from the ${login.method} login (--vault-keep-token)`);
    } else if (session.leasedPaths.size > 0 && !ctx.flags.watching) {
      ctx.log.warn(
        'vault.keep_token',
        `kept the Vault token from the ${login.method} login: ` +
          `revoking it would revoke the lease of ${[...session.leasedPaths].join(', ')} with it; ` +
          'it ends with its TTL (pass --vault-keep-token to make this explicit)',
      );
    } else {
      await revokeToken(session.client, login.token, AbortSignal.timeout(REVOKE_TIMEOUT_MS));
      ctx.log.debug('vault.revoke', `revoked the Vault token from the ${login.method} login`);
    }
  } finally {
    session.namespaces.close();
  }
}

export const vaultProvider: ProviderModule = { create, classify, lasting: true };
