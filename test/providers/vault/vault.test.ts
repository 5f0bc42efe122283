// The Vault provider's reads against the fake Vault: KV v1/v2 detection per mount, versions, dynamic
// secrets, policies, namespaces and the error mapping (docs/architecture.md).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { ProviderError } from '../../../src/errors/errors.js';
import { jsonNumber } from '../../../src/formats/exact-json.js';
import { isFetched, type Outcome } from '../../../src/resolve/types.js';
import { vaultProvider } from '../../../src/providers/vault/vault.js';
import { makeContext, vaultRef } from '../../support/vault-context.js';
import { startFakeVault, type FakeVault } from '../../fakes/vault.js';

let vault: FakeVault;
let appToken: string;

beforeAll(async () => {
  vault = await startFakeVault();
  vault.mountKv('secret', 2);
  vault.mountKv('kv1', 1);
  vault.mountKv('team/kv', 2);
  vault.mountKv('team/old', 1);
  vault.putSecret('team/old', 'svc', { key: 'old-team-value' });
  vault.putSecret('kv1', 'other', { token: 'v1-other' });
  vault.mountDatabase('database', ['app']);
  vault.putSecret('secret', 'app/db', { password: 'pw-one', user: 'app' });
  vault.putSecret('secret', 'app/db', { password: 'pw-two', user: 'app' });
  vault.putSecret('secret', 'app/deleted', { password: 'gone' });
  vault.deleteVersion('secret', 'app/deleted', 1);
  vault.putSecret('secret', 'app/destroyed', { password: 'gone' });
  vault.destroyVersion('secret', 'app/destroyed', 1);
  for (const name of ['a', 'b', 'c', 'd']) vault.putSecret('secret', `many/${name}`, { value: `value-${name}` });
  vault.putSecret('kv1', 'legacy', { token: 'v1-value' });
  vault.putSecret('team/kv', 'svc', { key: 'team-value' });
  vault.putPolicy('app', {
    'secret/data/app/*': ['read'],
    'secret/data/many/*': ['read'],
    'secret/data/app/forbidden': ['deny'],
    'kv1/*': ['read'],
    'team/kv/data/+': ['read'],
    'team/old/svc': ['read'],
    'database/creds/app': ['read'],
  });
  appToken = vault.issueToken({ policies: ['app'] });
});

afterAll(() => vault.close());

afterEach(() => {
  vault.requests.length = 0;
  vault.intercept = undefined;
  vault.unseal();
});

/** Resolves references in one fresh run and closes it, as main() does. */
async function resolveIn(
  env: Record<string, string>,
  refs: ReturnType<typeof vaultRef>[],
): Promise<{ outcomes: Outcome[]; lines: string[] }> {
  const { ctx, lines } = makeContext(env);
  const instance = vaultProvider.create(ctx);
  try {
    return { outcomes: await instance.resolve(refs), lines };
  } finally {
    await instance.close();
  }
}

const tokenEnv = (): Record<string, string> => ({ VAULT_ADDR: vault.url, VAULT_TOKEN: appToken });

function valueOf(outcome: Outcome | undefined): unknown {
  if (!outcome || !isFetched(outcome))
    throw new Error(
      `expected a value, got ${outcome instanceof ProviderError ? `${outcome.kind}: ${outcome.message}` : 'nothing'}`,
    );
  return JSON.parse(outcome.value.reveal());
}

function errorOf(outcome: Outcome | undefined): ProviderError {
  if (!(outcome instanceof ProviderError)) throw new Error('expected an error');
  return outcome;
}

describe('vaultProvider.resolve', () => {
  it('reads a KV v2 secret by its logical path and reports its version', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/db')]);
    expect(valueOf(outcomes[0])).toEqual({ password: 'pw-two', user: 'app' });
    expect(outcomes[0] && isFetched(outcomes[0]) ? outcomes[0].version : undefined).toBe('2');
    expect(vault.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET sys/internal/ui/mounts/secret/app/db',
      'GET secret/data/app/db',
    ]);
  });

  it('hands numbers on as Vault stored their text, and __proto__ as a plain key (KV v1 and v2)', async () => {
    // Vault keeps a number's JSON text (json.Number); the fake writes raw JSON numbers verbatim.
    const data = { big: jsonNumber('9007199254740993'), f: jsonNumber('1.10'), huge: jsonNumber('1e400') };
    const text = '{"big":9007199254740993,"f":1.10,"huge":1e400,"__proto__":"p"}';
    vault.putSecret('secret', 'app/numbers', { ...data, ['__proto__']: 'p' });
    vault.putSecret('kv1', 'numbers', { ...data, ['__proto__']: 'p' });
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/numbers'), vaultRef('kv1/numbers')]);
    expect(outcomes.map((o) => (o && isFetched(o) ? o.value.reveal() : o))).toEqual([text, text]);
  });

  it('reads an older KV v2 version when ?version= pins it', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/db', '1')]);
    expect(valueOf(outcomes[0])).toEqual({ password: 'pw-one', user: 'app' });
    expect(vault.requests.at(-1)?.query).toEqual({ version: '1' });
  });

  it('reads a KV v1 secret as its data map, without a data/ prefix', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('kv1/legacy')]);
    expect(valueOf(outcomes[0])).toEqual({ token: 'v1-value' });
    expect(vault.requests.at(-1)?.path).toBe('kv1/legacy');
  });

  it('finds a mount whose path has several segments', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('team/kv/svc')]);
    expect(valueOf(outcomes[0])).toEqual({ key: 'team-value' });
    expect(vault.requests.at(-1)?.path).toBe('team/kv/data/svc');
  });

  it("asks for each mount's KV version once however many references share it", async () => {
    const refs = ['a', 'b', 'c', 'd'].map((n) => vaultRef(`secret/many/${n}`));
    const { outcomes } = await resolveIn(tokenEnv(), [...refs, vaultRef('kv1/legacy'), vaultRef('secret/app/db')]);
    expect(outcomes.map((o) => isFetched(o))).toEqual([true, true, true, true, true, true]);
    const preflights = vault.requests.filter((r) => r.path.startsWith('sys/internal/ui/mounts/'));
    expect(preflights).toHaveLength(2);
    expect(valueOf(outcomes[2])).toEqual({ value: 'value-c' });
  });

  it('tells apart two mounts that share a first segment', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('team/kv/svc'), vaultRef('team/old/svc')]);
    expect(valueOf(outcomes[0])).toEqual({ key: 'team-value' });
    expect(valueOf(outcomes[1])).toEqual({ key: 'old-team-value' });
    expect(vault.requests.filter((r) => r.path.startsWith('sys/internal/ui/mounts/'))).toHaveLength(2);
  });

  it('reads every path as it is when Vault has no mount endpoint (404), asking once', async () => {
    vault.intercept = (r) =>
      r.path.startsWith('sys/internal/ui/mounts/') ? { status: 404, text: '{"errors":[]}' } : undefined;
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('kv1/legacy')]);
    expect(valueOf(outcomes[0])).toEqual({ token: 'v1-value' });
    const second = await resolveIn(tokenEnv(), [vaultRef('kv1/legacy'), vaultRef('kv1/other')]);
    expect(second.outcomes.map((o) => isFetched(o))).toEqual([true, true]);
    expect(vault.requests.map((r) => r.path)).toEqual([
      'sys/internal/ui/mounts/kv1/legacy',
      'kv1/legacy',
      'sys/internal/ui/mounts/kv1/legacy',
      'kv1/legacy',
      'kv1/other',
    ]);
  });

  describe.each([404, 403])('when the mount lookup answers %i (an old Vault, a proxy filtering sys/)', (status) => {
    const refuseLookup = () => {
      vault.intercept = (r) =>
        r.path.startsWith('sys/internal/ui/mounts/') ? { status, text: '{"errors":[]}' } : undefined;
    };

    it("reads KV v2 as KV v2 on Vault's warning, logs the warning at debug level and learns the mount", async () => {
      refuseLookup();
      const root = vault.issueToken({ policies: ['root'] });
      const { outcomes, lines } = await resolveIn({ VAULT_ADDR: vault.url, VAULT_TOKEN: root }, [
        vaultRef('secret/app/db'),
      ]);
      expect(valueOf(outcomes[0])).toEqual({ password: 'pw-two', user: 'app' });
      expect(vault.requests.map((r) => `${r.status} ${r.path}`)).toEqual([
        `${status} sys/internal/ui/mounts/secret/app/db`,
        '404 secret/app/db',
        '200 secret/data/app/db',
      ]);
      expect(lines.join('\n')).toMatch(/Invalid path for a versioned K\/V secrets engine/);
      vault.requests.length = 0;
      const again = await resolveIn({ VAULT_ADDR: vault.url, VAULT_TOKEN: root }, [
        vaultRef('team/kv/svc'),
        vaultRef('secret/app/missing'),
      ]);
      expect(valueOf(again.outcomes[0])).toEqual({ key: 'team-value' });
      // A secret that is not there is NotFound, found at the right mount.
      expect(errorOf(again.outcomes[1]).kind).toBe('NotFound');
      expect(vault.requests.map((r) => r.path)).toContain('team/kv/data/svc');
      expect(vault.requests.map((r) => r.path)).toContain('secret/data/app/missing');
    });

    it('reads KV v2 when the policy names data/ paths only (the path as written is refused)', async () => {
      refuseLookup();
      const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/db'), vaultRef('secret/app/db', '0')]);
      expect(valueOf(outcomes[0])).toEqual({ password: 'pw-two', user: 'app' });
      expect(valueOf(outcomes[1])).toEqual({ password: 'pw-two', user: 'app' });
    });

    it('still reads KV v1 and dynamic paths as they are, and is Denied where the token reaches nothing', async () => {
      refuseLookup();
      const { outcomes } = await resolveIn(tokenEnv(), [
        vaultRef('kv1/legacy'),
        vaultRef('database/creds/app'),
        vaultRef('secret/app/forbidden'),
      ]);
      expect(valueOf(outcomes[0])).toEqual({ token: 'v1-value' });
      expect(valueOf(outcomes[1])).toHaveProperty('password');
      expect(errorOf(outcomes[2]).kind).toBe('Denied');
    });
  });

  it.each(['token/', 'auth/token/'])(
    'reads any logical path, such as auth/token/lookup-self (mount named %s)',
    async (named) => {
      vault.intercept = (r) =>
        r.path.startsWith('sys/internal/ui/mounts/auth/')
          ? {
              status: 200,
              text: JSON.stringify({ data: { path: named, type: 'token', options: null }, warnings: null }),
            }
          : undefined;
      const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('auth/token/lookup-self')]);
      expect(valueOf(outcomes[0])).toMatchObject({ policies: ['app', 'default'] });
      expect(vault.requests.at(-1)?.path).toBe('auth/token/lookup-self');
    },
  );

  it('reads a path with a space written as %20, and refuses a malformed escape', async () => {
    vault.putSecret('secret', 'app/my app', { value: 'spaced' });
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/my%20app'), vaultRef('secret/app/100%')]);
    expect(valueOf(outcomes[0])).toEqual({ value: 'spaced' });
    expect(vault.requests.map((r) => r.path)).toContain('secret/data/app/my app');
    expect(errorOf(outcomes[1])).toMatchObject({ kind: 'Invalid', message: expect.stringMatching(/%25/) });
  });

  it('reads a dynamic secret path and returns its data map', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('database/creds/app')]);
    expect(Object.keys(valueOf(outcomes[0]) as object).sort()).toEqual(['password', 'username']);
    expect(vault.requests.at(-1)?.path).toBe('database/creds/app');
  });

  it('sends the token and the namespace on every request', async () => {
    const nsToken = vault.issueToken({ policies: ['ns-app'], namespace: 'team-a' });
    vault.mountKv('secret', 2, 'team-a');
    vault.putSecret('secret', 'app', { password: 'ns-value' }, 'team-a');
    vault.putPolicy('ns-app', { 'secret/data/app': ['read'] }, 'team-a');
    const { outcomes } = await resolveIn({ VAULT_ADDR: vault.url, VAULT_TOKEN: nsToken, VAULT_NAMESPACE: 'team-a' }, [
      vaultRef('secret/app'),
    ]);
    expect(valueOf(outcomes[0])).toEqual({ password: 'ns-value' });
    expect(vault.requests.every((r) => r.namespace === 'team-a' && r.token === nsToken)).toBe(true);
  });

  it('is refused when the token belongs to another namespace', async () => {
    const { outcomes } = await resolveIn({ ...tokenEnv(), VAULT_NAMESPACE: 'team-a' }, [vaultRef('secret/app')]);
    expect(errorOf(outcomes[0]).kind).toBe('Denied');
  });
});

describe('vaultProvider error mapping', () => {
  it('is NotFound for a path with no secret', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/missing'), vaultRef('kv1/missing')]);
    expect(errorOf(outcomes[0]).kind).toBe('NotFound');
    expect(errorOf(outcomes[1]).kind).toBe('NotFound');
  });

  it('says to drop data/ when a KV v2 path was written with it', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/data/app/db')]);
    const error = errorOf(outcomes[0]);
    expect(error.kind).toBe('Denied');
    expect(error.message).toContain('write vault://secret/app/db (without data/');
  });

  it.each([
    ['app/deleted', 'was deleted'],
    ['app/destroyed', 'was destroyed'],
  ])('is NotFound for a KV v2 version that %s', async (path, words) => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef(`secret/${path}`)]);
    const error = errorOf(outcomes[0]);
    expect(error.kind).toBe('NotFound');
    expect(error.message).toContain(words);
  });

  it('is Denied naming the path and the capability when the policy does not grant read', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/forbidden'), vaultRef('secret/other/x')]);
    const denied = errorOf(outcomes[0]);
    expect(denied.kind).toBe('Denied');
    expect(denied.message).toContain("'read' on secret/data/app/forbidden");
    expect(errorOf(outcomes[1]).kind).toBe('Denied');
  });

  it('is Denied when the token reaches nothing under the mount, or no mount is there', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('nomount/x')]);
    const error = errorOf(outcomes[0]);
    expect(error.kind).toBe('Denied');
    expect(error.message).toContain("'read' on nomount/x");
  });

  it.each([
    [403, 'Denied'],
    [401, 'Denied'],
    [502, 'Unavailable'],
    [429, 'Unavailable'],
  ])('classifies a %i whose body is a proxy page, not JSON, by its status (%s)', async (status, kind) => {
    vault.intercept = (r) =>
      r.path === 'secret/data/app/db' ? { status, text: '<html><body>Forbidden by proxy</body></html>' } : undefined;
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/db')]);
    expect(errorOf(outcomes[0]).kind).toBe(kind);
  });

  it('is Denied for a revoked or unknown token', async () => {
    const { outcomes } = await resolveIn({ VAULT_ADDR: vault.url, VAULT_TOKEN: 'hvs.not-a-token' }, [
      vaultRef('secret/app/db'),
    ]);
    expect(errorOf(outcomes[0]).kind).toBe('Denied');
    expect(errorOf(outcomes[0]).message).toMatch(/^the Vault token is not valid: expired, revoked or out of uses/);
  });

  it('says nothing of the token when the token is valid and only the path is refused', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/forbidden')]);
    expect(errorOf(outcomes[0]).message).not.toMatch(/token is not valid/);
    expect(vault.requests.filter((r) => r.path === 'auth/token/lookup-self')).toHaveLength(1);
  });

  it('is Invalid for ?version= on a KV v1 mount, and for a version that is not a number', async () => {
    const { outcomes } = await resolveIn(tokenEnv(), [
      vaultRef('kv1/legacy', '2'),
      vaultRef('secret/app/db', 'latest'),
    ]);
    expect(errorOf(outcomes[0]).kind).toBe('Invalid');
    expect(errorOf(outcomes[0]).message).toContain('KV version 2');
    expect(errorOf(outcomes[1]).kind).toBe('Invalid');
  });

  it('is Unavailable while Vault is sealed', async () => {
    vault.seal();
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/db'), vaultRef('secret/many/a')]);
    expect(outcomes.map((o) => errorOf(o).kind)).toEqual(['Unavailable', 'Unavailable']);
    expect(errorOf(outcomes[0]).message).toContain('sealed');
    // Both references shared the one mount lookup that failed.
    expect(vault.requests).toHaveLength(1);
  });

  it('is Unavailable when nothing listens at VAULT_ADDR', async () => {
    const port = await freePort();
    const { outcomes } = await resolveIn({ VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: appToken }, [
      vaultRef('secret/app/db'),
    ]);
    expect(errorOf(outcomes[0]).kind).toBe('Unavailable');
    expect(errorOf(outcomes[0]).message).toContain('ECONNREFUSED');
  });

  it.each([
    ['a 5xx from a proxy', 502, '<html>bad gateway</html>', 'Unavailable'],
    ['a 2xx that is not JSON', 200, '<html>login page</html>', 'Invalid'],
    ['a 2xx JSON body without data', 200, '{"hello":"world"}', 'Invalid'],
    ['a 2xx JSON array', 200, '[1,2]', 'Invalid'],
    ['a 429 rate limit', 429, '{"errors":["rate limit quota exceeded"]}', 'Unavailable'],
    [
      'a standby without an active node',
      500,
      '{"errors":["local node not active but active cluster node not found"]}',
      'Unavailable',
    ],
  ])('maps %s to its class', async (_what, status, text, kind) => {
    vault.intercept = (r) => (r.path === 'secret/data/app/db' ? { status, text } : undefined);
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/db')]);
    expect(errorOf(outcomes[0]).kind).toBe(kind);
  });

  it('is Invalid when VAULT_ADDR is missing or not a URL', async () => {
    const envs: Record<string, string>[] = [
      { VAULT_TOKEN: appToken },
      { VAULT_ADDR: 'vault:8200', VAULT_TOKEN: appToken },
    ];
    for (const env of envs) {
      const { ctx } = makeContext(env);
      const error = await vaultProvider
        .create(ctx)
        .resolve([vaultRef('secret/app/db')])
        .catch((e: unknown) => e);
      expect((error as ProviderError).kind).toBe('Invalid');
      expect((error as ProviderError).message).toContain('VAULT_ADDR');
    }
  });

  it("follows a standby node's redirect to the active node", async () => {
    const active = vault.url;
    vault.intercept = (r) =>
      r.path === 'secret/data/app/db' && vault.requests.filter((q) => q.path === r.path).length === 1
        ? { status: 307, text: '', headers: { Location: `${active}/v1/secret/data/app/db` } }
        : undefined;
    const { outcomes } = await resolveIn(tokenEnv(), [vaultRef('secret/app/db')]);
    expect(valueOf(outcomes[0])).toEqual({ password: 'pw-two', user: 'app' });
    expect(vault.requests.filter((r) => r.path === 'secret/data/app/db')).toHaveLength(2);
  });
});

describe('vaultProvider logging', () => {
  it('never writes a value or the token at debug level', async () => {
    const { outcomes, lines } = await resolveIn(tokenEnv(), [
      vaultRef('secret/app/db'),
      vaultRef('secret/app/forbidden'),
      vaultRef('kv1/legacy'),
    ]);
    expect(outcomes).toHaveLength(3);
    const text =
      lines.join('') + outcomes.map((o) => (o instanceof ProviderError ? o.message : String(o.value))).join('');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of ['pw-two', 'v1-value', appToken]) expect(text).not.toContain(secret);
  });
});

describe("the Vault instance's mapGeneric", () => {
  it('maps secret://NAME to the secret mount, or to SECRETS_EXEC_VAULT_MOUNT', () => {
    expect(vaultProvider.create(makeContext({}).ctx).mapGeneric('app/db').path).toBe('secret/app/db');
    expect(vaultProvider.create(makeContext({ SECRETS_EXEC_VAULT_MOUNT: '/team/kv/' }).ctx).mapGeneric('db')).toEqual({
      scheme: 'vault',
      path: 'team/kv/db',
      optional: false,
      params: {},
    });
  });

  it.each(['../sys/x', 'a//b', 'a/./b'])('refuses the name %s as Invalid', (name) => {
    expect(() => vaultProvider.create(makeContext({}).ctx).mapGeneric(name)).toThrow(
      expect.objectContaining({ kind: 'Invalid' }),
    );
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
