// The five ways of getting a Vault token, against the fake Vault that checks each one, and what close()
// does with a token secrets-exec logged in for.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../src/errors/errors.js';
import { vaultProvider } from '../../../src/providers/vault/vault.js';
import { buildAwsLoginData } from '../../../src/providers/vault/aws-login.js';
import { isFetched, type Outcome } from '../../../src/resolve/types.js';
import { makeContext, vaultRef } from '../../support/vault-context.js';
import { createJwtIssuer, startFakeVault, type FakeVault } from '../../fakes/vault.js';

const ROLE_ID = 'role-id-1f2e3d';
const AWS = {
  accessKeyId: 'AKIDVAULTTEST',
  secretAccessKey: 'aws-secret-for-vault-test',
  sessionToken: 'aws-session-for-vault-test',
};
const AWS_ARN = 'arn:aws:iam::123456789012:role/app-role';

let vault: FakeVault;
let dir: string;
const issuer = createJwtIssuer();
const otherIssuer = createJwtIssuer();

beforeAll(async () => {
  vault = await startFakeVault();
  dir = mkdtempSync(join(tmpdir(), 'vault-auth-'));
  vault.mountKv('secret', 2);
  vault.mountDatabase('database', ['app']);
  vault.putSecret('secret', 'app/db', { password: 'auth-test-value' });
  vault.putPolicy('app', { 'secret/data/app/*': ['read'], 'database/creds/app': ['read'] });
  vault.enableAppRole({ role: 'app', roleId: ROLE_ID, policies: ['app'] });
  vault.enableAppRole({ mount: 'approle-team', role: 'team', roleId: 'team-role-id', policies: ['app'] });
  vault.enableKubernetes({
    role: 'app',
    publicKeyPem: issuer.publicKeyPem,
    serviceAccounts: ['app-sa'],
    namespaces: ['prod'],
    policies: ['app'],
  });
  vault.enableKubernetes({
    mount: 'k8s-prod',
    role: 'app',
    publicKeyPem: issuer.publicKeyPem,
    serviceAccounts: ['app-sa'],
    namespaces: ['prod'],
    policies: ['app'],
  });
  vault.enableJwt({
    role: 'ci',
    publicKeyPem: issuer.publicKeyPem,
    audiences: ['vault'],
    policies: ['app'],
    defaultRole: true,
  });
  vault.enableAws({
    role: 'app-role',
    arn: AWS_ARN,
    credentials: AWS,
    serverId: 'vault.example.com',
    policies: ['app'],
  });
});

afterAll(async () => {
  await vault.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vault.requests.length = 0;
  vi.unstubAllEnvs();
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${text}\n`);
  return path;
}

/** One run: resolve secret/app/db, then close() as main() does before exec. */
async function run(
  env: Record<string, string>,
  options: { keepToken?: boolean; path?: string } = {},
): Promise<{ outcome: Outcome; lines: string[] }> {
  const { ctx, lines } = makeContext({ VAULT_ADDR: vault.url, ...env }, options);
  const instance = vaultProvider.create(ctx);
  let outcome: Outcome;
  try {
    outcome = (await instance.resolve([vaultRef(options.path ?? 'secret/app/db')]))[0] as Outcome;
  } catch (error) {
    outcome = error instanceof ProviderError ? error : vaultProvider.classify(error);
  }
  await instance.close();
  return { outcome, lines };
}

function expectValue(outcome: Outcome): void {
  if (!isFetched(outcome)) throw new Error(`expected a value, got ${outcome.kind}: ${outcome.message}`);
  expect(JSON.parse(outcome.value.reveal())).toEqual({ password: 'auth-test-value' });
}

const k8sJwt = (claims: Record<string, unknown> = {}): string =>
  issuer.sign({
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': 'prod',
    'kubernetes.io/serviceaccount/service-account.name': 'app-sa',
    exp: Math.floor(Date.now() / 1000) + 600,
    ...claims,
  });

describe('token auth', () => {
  it('reads the token from VAULT_TOKEN_FILE and never revokes a token it was given', async () => {
    const token = vault.issueToken({ policies: ['app'] });
    const { outcome } = await run({ VAULT_TOKEN_FILE: file('token', token) });
    expectValue(outcome);
    expect(vault.requests.some((r) => r.path === 'auth/token/revoke-self')).toBe(false);
    expect(vault.isTokenLive(token)).toBe(true);
  });
});

describe('AppRole auth', () => {
  it('logs in with role id and secret id, then revokes the token in close()', async () => {
    const secretId = vault.issueSecretId('app');
    const { outcome } = await run({
      SECRETS_EXEC_VAULT_AUTH: 'approle',
      VAULT_ROLE_ID: ROLE_ID,
      VAULT_SECRET_ID: secretId,
    });
    expectValue(outcome);
    const login = vault.requests.find((r) => r.path === 'auth/approle/login');
    expect(login?.body).toEqual({ role_id: ROLE_ID, secret_id: secretId });
    const token = vault.loginTokens('approle').at(-1) as string;
    expect(vault.requests.filter((r) => r.path === 'auth/token/revoke-self').map((r) => r.token)).toEqual([token]);
    expect(vault.isTokenLive(token)).toBe(false);
  });

  it('reads role id and secret id from _FILE variables and picks AppRole without SECRETS_EXEC_VAULT_AUTH', async () => {
    const { outcome } = await run({
      VAULT_ROLE_ID_FILE: file('role-id', ROLE_ID),
      VAULT_SECRET_ID_FILE: file('secret-id', vault.issueSecretId('app')),
    });
    expectValue(outcome);
  });

  it('logs in at the mount SECRETS_EXEC_VAULT_AUTH_MOUNT names', async () => {
    const secretId = vault.issueSecretId('team', { mount: 'approle-team' });
    const { outcome } = await run({
      VAULT_ROLE_ID: 'team-role-id',
      VAULT_SECRET_ID: secretId,
      SECRETS_EXEC_VAULT_AUTH_MOUNT: 'approle-team',
    });
    expectValue(outcome);
    expect(vault.requests.some((r) => r.path === 'auth/approle-team/login')).toBe(true);
  });

  it('unwraps a response-wrapped secret id once, after checking where it was created', async () => {
    const wrapping = vault.wrapSecretId('app');
    const env = { VAULT_ROLE_ID: ROLE_ID, VAULT_WRAPPED_SECRET_ID_FILE: file('wrapped', wrapping) };
    expectValue((await run(env)).outcome);
    expect(vault.requests.slice(0, 3).map((r) => r.path)).toEqual([
      'sys/wrapping/lookup',
      'sys/wrapping/unwrap',
      'auth/approle/login',
    ]);
    expect(vault.requests[1]?.token).toBe(wrapping);
    // A wrapping token works once: a second use (someone else got there first) is refused.
    const again = (await run(env)).outcome as ProviderError;
    expect(again.kind).toBe('Denied');
    expect(again.message).not.toContain(wrapping);
  });

  it('refuses a wrapped secret id that was not created by an AppRole secret-id endpoint', async () => {
    const foreign = vault.wrap('sys/wrapping/wrap', { secret_id: vault.issueSecretId('app') });
    const { outcome } = await run({ VAULT_ROLE_ID: ROLE_ID, VAULT_WRAPPED_SECRET_ID: foreign });
    expect((outcome as ProviderError).kind).toBe('Denied');
    expect((outcome as ProviderError).message).toContain('creation path: sys/wrapping/wrap');
    expect(vault.requests.some((r) => r.path === 'sys/wrapping/unwrap')).toBe(false);
  });

  it('is Denied for a wrong secret id, and never names it', async () => {
    const { outcome, lines } = await run({ VAULT_ROLE_ID: ROLE_ID, VAULT_SECRET_ID: 'wrong-secret-id-123' });
    expect((outcome as ProviderError).kind).toBe('Denied');
    expect((outcome as ProviderError).message).toContain('invalid role or secret ID');
    expect((outcome as ProviderError).message + lines.join('')).not.toContain('wrong-secret-id-123');
  });
});

describe('Kubernetes auth', () => {
  it('logs in with the service-account token file and the role', async () => {
    const jwt = k8sJwt();
    const { outcome } = await run({
      SECRETS_EXEC_VAULT_AUTH: 'kubernetes',
      SECRETS_EXEC_VAULT_ROLE: 'app',
      SECRETS_EXEC_VAULT_JWT_FILE: file('sa-token', jwt),
    });
    expectValue(outcome);
    expect(vault.requests.find((r) => r.path === 'auth/kubernetes/login')?.body).toEqual({ role: 'app', jwt });
    expect(vault.isTokenLive(vault.loginTokens('kubernetes').at(-1) as string)).toBe(false);
  });

  it('is Denied for a service account the role does not bind, or a token signed by another key', async () => {
    const wrongSa = await run({
      SECRETS_EXEC_VAULT_AUTH: 'kubernetes',
      SECRETS_EXEC_VAULT_ROLE: 'app',
      SECRETS_EXEC_VAULT_JWT_FILE: file(
        'sa-other',
        k8sJwt({ 'kubernetes.io/serviceaccount/service-account.name': 'other' }),
      ),
    });
    expect((wrongSa.outcome as ProviderError).kind).toBe('Denied');
    const forged = otherIssuer.sign({
      'kubernetes.io/serviceaccount/namespace': 'prod',
      'kubernetes.io/serviceaccount/service-account.name': 'app-sa',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const wrongKey = await run({
      SECRETS_EXEC_VAULT_AUTH: 'kubernetes',
      SECRETS_EXEC_VAULT_ROLE: 'app',
      SECRETS_EXEC_VAULT_JWT_FILE: file('sa-forged', forged),
    });
    expect((wrongKey.outcome as ProviderError).kind).toBe('Denied');
  });

  it('logs in at SECRETS_EXEC_VAULT_KUBERNETES_MOUNT, which wins over SECRETS_EXEC_VAULT_AUTH_MOUNT', async () => {
    const env = {
      SECRETS_EXEC_VAULT_AUTH: 'kubernetes',
      SECRETS_EXEC_VAULT_ROLE: 'app',
      SECRETS_EXEC_VAULT_JWT_FILE: file('sa-token-2', k8sJwt()),
    };
    expectValue(
      (
        await run({
          ...env,
          SECRETS_EXEC_VAULT_KUBERNETES_MOUNT: 'k8s-prod',
          SECRETS_EXEC_VAULT_AUTH_MOUNT: 'elsewhere',
        })
      ).outcome,
    );
    expect(vault.requests.filter((r) => r.path.endsWith('/login')).map((r) => r.path)).toEqual(['auth/k8s-prod/login']);
  });

  it('needs a role, and reads the default token path when none is given', async () => {
    expect(((await run({ SECRETS_EXEC_VAULT_AUTH: 'kubernetes' })).outcome as ProviderError).message).toContain(
      'SECRETS_EXEC_VAULT_ROLE',
    );
    const { outcome } = await run({ SECRETS_EXEC_VAULT_AUTH: 'kubernetes', SECRETS_EXEC_VAULT_ROLE: 'app' });
    expect((outcome as ProviderError).kind).toBe('Invalid');
    expect((outcome as ProviderError).message).toContain('/var/run/secrets/kubernetes.io/serviceaccount/token');
  });
});

describe('JWT auth', () => {
  it('logs in with a workload identity token file, using the default role when none is named', async () => {
    const jwt = issuer.sign({ sub: 'repo:app', aud: 'vault', exp: Math.floor(Date.now() / 1000) + 600 });
    const { outcome } = await run({ SECRETS_EXEC_VAULT_AUTH: 'jwt', SECRETS_EXEC_VAULT_JWT_FILE: file('jwt', jwt) });
    expectValue(outcome);
    expect(vault.requests.find((r) => r.path === 'auth/jwt/login')?.body).toEqual({ jwt });
  });

  it('is Denied for an expired token or a wrong audience', async () => {
    for (const claims of [
      { aud: 'vault', exp: Math.floor(Date.now() / 1000) - 60 },
      { aud: 'other', exp: Math.floor(Date.now() / 1000) + 600 },
    ]) {
      const { outcome } = await run({
        SECRETS_EXEC_VAULT_AUTH: 'jwt',
        SECRETS_EXEC_VAULT_ROLE: 'ci',
        SECRETS_EXEC_VAULT_JWT_FILE: file('jwt-bad', issuer.sign({ sub: 'x', ...claims })),
      });
      expect((outcome as ProviderError).kind).toBe('Denied');
    }
  });
});

describe('AWS IAM auth', () => {
  it("signs sts:GetCallerIdentity with the default chain's credentials and the server id header", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', AWS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', AWS.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', AWS.sessionToken);
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const { outcome } = await run({
      SECRETS_EXEC_VAULT_AUTH: 'aws',
      SECRETS_EXEC_VAULT_AWS_SERVER_ID: 'vault.example.com',
    });
    expectValue(outcome);
    const body = vault.requests.find((r) => r.path === 'auth/aws/login')?.body as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual([
      'iam_http_request_method',
      'iam_request_body',
      'iam_request_headers',
      'iam_request_url',
    ]);
    expect(Buffer.from(body.iam_request_url ?? '', 'base64').toString()).toBe('https://sts.amazonaws.com/');
    const headers = JSON.parse(Buffer.from(body.iam_request_headers ?? '', 'base64').toString()) as Record<
      string,
      string[]
    >;
    expect(headers['X-Vault-Aws-Iam-Server-Id']).toEqual(['vault.example.com']);
    expect(headers.Authorization?.[0]).toMatch(/SignedHeaders=.*x-vault-aws-iam-server-id/);
    expect(vault.isTokenLive(vault.loginTokens('aws').at(-1) as string)).toBe(false);
  });

  it('is refused by Vault without the server id header the auth mount requires', async () => {
    const data = await buildAwsLoginData({ env: {}, credentials: async () => AWS });
    const { ctx } = makeContext({});
    const answer = await fetch(`${vault.url}/v1/auth/aws/login`, {
      method: 'POST',
      body: JSON.stringify({ ...data, role: 'app-role' }),
      signal: ctx.signal,
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(await answer.json())).toContain('X-Vault-AWS-IAM-Server-ID');
  });

  it('is refused by Vault when the request was signed with another secret key', async () => {
    const data = await buildAwsLoginData({
      env: { SECRETS_EXEC_VAULT_AWS_SERVER_ID: 'vault.example.com' },
      credentials: async () => ({ ...AWS, secretAccessKey: 'not-the-key' }),
    });
    const answer = await fetch(`${vault.url}/v1/auth/aws/login`, { method: 'POST', body: JSON.stringify(data) });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(await answer.json())).toContain('SignatureDoesNotMatch');
  });

  it('signs for a regional STS endpoint when SECRETS_EXEC_VAULT_AWS_REGION names one', async () => {
    const data = await buildAwsLoginData({
      env: { SECRETS_EXEC_VAULT_AWS_REGION: 'eu-west-1' },
      credentials: async () => AWS,
    });
    expect(Buffer.from(data.iam_request_url ?? '', 'base64').toString()).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(Buffer.from(data.iam_request_headers ?? '', 'base64').toString()).toContain('/eu-west-1/sts/aws4_request');
  });
});

describe('close()', () => {
  it('keeps the login token with --vault-keep-token', async () => {
    const { outcome } = await run(
      { VAULT_ROLE_ID: ROLE_ID, VAULT_SECRET_ID: vault.issueSecretId('app') },
      { keepToken: true },
    );
    expectValue(outcome);
    expect(vault.isTokenLive(vault.loginTokens('approle').at(-1) as string)).toBe(true);
    expect(vault.requests.some((r) => r.path === 'auth/token/revoke-self')).toBe(false);
  });

  it("keeps the login token, with a warning, when revoking it would revoke a dynamic secret's lease", async () => {
    const { outcome, lines } = await run(
      { VAULT_ROLE_ID: ROLE_ID, VAULT_SECRET_ID: vault.issueSecretId('app') },
      { path: 'database/creds/app' },
    );
    expect(isFetched(outcome)).toBe(true);
    expect(vault.isLeaseLive(vault.leaseIds().at(-1) as string)).toBe(true);
    expect(lines.join('')).toMatch(/warn: kept the Vault token .*database\/creds\/app/);
    // Why: Vault revokes a token's leases with it, which would end the credentials the program is about to use.
    const token = vault.loginTokens('approle').at(-1) as string;
    await fetch(`${vault.url}/v1/auth/token/revoke-self`, { method: 'POST', headers: { 'X-Vault-Token': token } });
    expect(vault.isLeaseLive(vault.leaseIds().at(-1) as string)).toBe(false);
  });

  it('is chosen by SECRETS_EXEC_VAULT_AUTH, and a missing or unknown method is Invalid', async () => {
    expect(((await run({})).outcome as ProviderError).message).toContain('no Vault credentials');
    expect(((await run({ SECRETS_EXEC_VAULT_AUTH: 'ldap' })).outcome as ProviderError).message).toContain(
      "'ldap' is not one of",
    );
  });
});
