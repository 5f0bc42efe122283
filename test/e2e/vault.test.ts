// The built executable against the fake Vault: every auth method end to end, the login token really
// revoked before exec, a sealed Vault failing closed with 125, TLS with a CA made at test time, and
// neither values nor credentials reaching stderr or the child (docs/process-model.md).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runBinary, type RunResult } from '../support/run-binary.js';
import { generateTlsFiles, type TlsFiles } from '../fakes/vault-tls.js';
import { createJwtIssuer, startFakeVault, type FakeVault } from '../fakes/vault.js';

const DB_PASSWORD = 'e2e-db-password-7c1f';
const API_KEY = 'e2e-api-key-93ab';
// A certificate's base64: over the 2 kB that Go's net/http (Vault's server) sends with a Content-Length, so
// Vault sends it chunked.
const BUNDLE = 'MIIBszCCAVmgAwIBAgIUe2e'.repeat(300);
const ROLE_ID = 'e2e-role-id';
const AWS = { accessKeyId: 'AKIDE2EVAULT', secretAccessKey: 'e2e-aws-secret-key', sessionToken: 'e2e-aws-session' };
const PRINT_ENV = ['--', '/bin/sh', join(FIXTURES, 'print-env.sh')];

let vault: FakeVault;
let tlsVault: FakeVault;
let tls: TlsFiles;
let dir: string;
let appToken: string;
const issuer = createJwtIssuer();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vault-e2e-'));
  tls = generateTlsFiles();
  vault = await startFakeVault();
  tlsVault = await startFakeVault({ tls: { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey) } });
  for (const v of [vault, tlsVault]) {
    v.mountKv('secret', 2);
    v.putSecret('secret', 'app/db', { password: 'old-password' });
    v.putSecret('secret', 'app/db', { password: DB_PASSWORD, user: 'app' });
    v.putSecret('secret', 'app/api', { key: API_KEY });
    v.putSecret('secret', 'app/bundle', { pem: BUNDLE });
  }
  vault.putSecret('secret', 'app/config', { log_level: 'debug', 'feature-x': 'on' });
  vault.putPolicy('app', { 'secret/data/app/*': ['read'] });
  appToken = vault.issueToken({ policies: ['app'] });
  vault.enableAppRole({ role: 'app', roleId: ROLE_ID, policies: ['app'] });
  vault.enableKubernetes({
    role: 'app',
    publicKeyPem: issuer.publicKeyPem,
    serviceAccounts: ['app-sa'],
    namespaces: ['prod'],
    policies: ['app'],
  });
  vault.enableJwt({ role: 'ci', publicKeyPem: issuer.publicKeyPem, audiences: ['vault'], policies: ['app'] });
  vault.enableAws({
    role: 'app-role',
    arn: 'arn:aws:iam::123456789012:role/app-role',
    credentials: AWS,
    policies: ['app'],
  });
});

afterAll(async () => {
  await Promise.all([vault.close(), tlsVault.close()]);
  tls.remove();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vault.unseal();
  vault.requests.length = 0;
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${text}\n`);
  return path;
}

function childEnv(result: RunResult): Map<string, string> {
  return new Map(
    result.stdout
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** Asks the fake Vault about a token the way any client would (auth/token/lookup-self). */
async function lookupStatus(token: string): Promise<number> {
  return (await fetch(`${vault.url}/v1/auth/token/lookup-self`, { headers: { 'X-Vault-Token': token } })).status;
}

const refs = { DB_PASSWORD: 'vault://secret/app/db#password', API_KEY: 'secret://app/api#key' };

describe('secrets-exec with Vault', () => {
  it('resolves vault:// and secret:// with VAULT_TOKEN, and scrubs VAULT_TOKEN from the child', async () => {
    const result = await runBinary(PRINT_ENV, { env: { VAULT_ADDR: vault.url, VAULT_TOKEN: appToken, ...refs } });
    expect(result.stderr).toMatch(/resolved 2 secrets from vault/);
    expect(result.status).toBe(0);
    const env = childEnv(result);
    expect(env.get('DB_PASSWORD')).toBe(DB_PASSWORD);
    expect(env.get('API_KEY')).toBe(API_KEY);
    expect(env.get('VAULT_ADDR')).toBe(vault.url);
    expect(env.has('VAULT_TOKEN')).toBe(false);
    expect(vault.isTokenLive(appToken)).toBe(true);
  });

  const methods: Array<[string, () => Record<string, string>, string]> = [
    [
      'AppRole with _FILE variables',
      () => ({
        VAULT_ROLE_ID_FILE: file('role-id', ROLE_ID),
        VAULT_SECRET_ID_FILE: file('secret-id', vault.issueSecretId('app')),
      }),
      'approle',
    ],
    [
      'AppRole with a response-wrapped secret id',
      () => ({
        SECRETS_EXEC_VAULT_AUTH: 'approle',
        VAULT_ROLE_ID: ROLE_ID,
        VAULT_WRAPPED_SECRET_ID: vault.wrapSecretId('app'),
      }),
      'approle',
    ],
    [
      'Kubernetes',
      () => ({
        SECRETS_EXEC_VAULT_AUTH: 'kubernetes',
        SECRETS_EXEC_VAULT_ROLE: 'app',
        SECRETS_EXEC_VAULT_JWT_FILE: file(
          'sa-token',
          issuer.sign({
            'kubernetes.io': { namespace: 'prod', serviceaccount: { name: 'app-sa' } },
            exp: Math.floor(Date.now() / 1000) + 600,
          }),
        ),
      }),
      'kubernetes',
    ],
    [
      'JWT',
      () => ({
        SECRETS_EXEC_VAULT_AUTH: 'jwt',
        SECRETS_EXEC_VAULT_ROLE: 'ci',
        SECRETS_EXEC_VAULT_JWT_FILE: file(
          'jwt',
          issuer.sign({ sub: 'ci', aud: 'vault', exp: Math.floor(Date.now() / 1000) + 600 }),
        ),
      }),
      'jwt',
    ],
    [
      'AWS IAM',
      () => ({
        SECRETS_EXEC_VAULT_AUTH: 'aws',
        AWS_ACCESS_KEY_ID: AWS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey,
        AWS_SESSION_TOKEN: AWS.sessionToken,
      }),
      'aws',
    ],
  ];

  it.each(methods)('logs in with %s, and the token is revoked before exec', async (_name, env, via) => {
    const result = await runBinary(PRINT_ENV, { env: { VAULT_ADDR: vault.url, ...env(), ...refs } });
    expect(result.stderr).toMatch(/^secrets-exec: info: resolved 2 secrets from vault in \d+ ms\n$/);
    expect(result.status).toBe(0);
    expect(childEnv(result).get('DB_PASSWORD')).toBe(DB_PASSWORD);
    const token = vault.loginTokens(via).at(-1) as string;
    expect(vault.requests.filter((r) => r.path === 'auth/token/revoke-self').map((r) => r.token)).toEqual([token]);
    expect(await lookupStatus(token)).toBe(403);
  });

  it('keeps the login token with --vault-keep-token, and scrubs role and secret ids from the child', async () => {
    const result = await runBinary(['--vault-keep-token', ...PRINT_ENV], {
      env: { VAULT_ADDR: vault.url, VAULT_ROLE_ID: ROLE_ID, VAULT_SECRET_ID: vault.issueSecretId('app'), ...refs },
    });
    expect(result.status).toBe(0);
    expect(await lookupStatus(vault.loginTokens('approle').at(-1) as string)).toBe(200);
    const env = childEnv(result);
    expect([...env.keys()].filter((k) => k.startsWith('VAULT_') && k !== 'VAULT_ADDR')).toEqual([]);
  });

  it('fails closed with 125 and Unavailable while Vault is sealed, after retrying', async () => {
    vault.seal();
    const result = await runBinary(PRINT_ENV, { env: { VAULT_ADDR: vault.url, VAULT_TOKEN: appToken, ...refs } });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /DB_PASSWORD: vault:\/\/secret\/app\/db#password via vault: Unavailable: .*Vault is sealed/,
    );
    // One mount lookup per attempt: the central retry policy's four attempts, then 125.
    expect(vault.requests.map((r) => r.path)).toEqual(Array(4).fill('sys/internal/ui/mounts/secret/app/db'));
  });

  it('fails closed with 125 and Denied naming the path and the capability', async () => {
    const result = await runBinary(PRINT_ENV, {
      env: {
        VAULT_ADDR: vault.url,
        VAULT_TOKEN: vault.issueToken({ policies: [] }),
        DB_PASSWORD: 'vault://secret/app/db#password',
      },
    });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/Denied: read secret\/app\/db: permission denied/);
    expect(result.stderr).toMatch(/if the mount is KV version 2, 'read' on secret\/data\/app\/db/);
  });

  it('never writes a value or a credential to stderr at --log-level debug', async () => {
    const secretId = vault.issueSecretId('app');
    const result = await runBinary(['--log-level', 'debug', ...PRINT_ENV], {
      env: { VAULT_ADDR: vault.url, VAULT_ROLE_ID: ROLE_ID, VAULT_SECRET_ID: secretId, ...refs },
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('logged in to Vault with approle');
    const loginToken = vault.loginTokens('approle').at(-1) as string;
    for (const secret of [DB_PASSWORD, API_KEY, ROLE_ID, secretId, loginToken])
      expect(result.stderr).not.toContain(secret);
  });

  it('shows the KV v2 version in check, and no value', async () => {
    const result = await runBinary(['check', '--log-format', 'json'], {
      env: {
        VAULT_ADDR: vault.url,
        VAULT_TOKEN: appToken,
        DB_PASSWORD: 'vault://secret/app/db#password',
        OLD: 'vault://secret/app/db?version=1#password',
      },
    });
    expect(result.status).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.variable, r.version])).toEqual([
      ['DB_PASSWORD', '2'],
      ['OLD', '1'],
    ]);
    expect(result.stdout).not.toContain(DB_PASSWORD);
    expect(result.stdout).not.toContain('old-password');
  });

  it('loads every key of a Vault path with --load', async () => {
    const result = await runBinary(['--load', 'vault://secret/app/config?upcase', ...PRINT_ENV], {
      env: { VAULT_ADDR: vault.url, VAULT_TOKEN: appToken },
    });
    expect(result.status).toBe(0);
    const env = childEnv(result);
    expect(env.get('LOG_LEVEL')).toBe('debug');
    expect(env.get('FEATURE_X')).toBe('on');
  });
});

describe('secrets-exec with Vault over TLS', () => {
  const env = (): Record<string, string> => ({
    VAULT_ADDR: tlsVault.url,
    VAULT_TOKEN: tlsVault.rootToken,
    DB_PASSWORD: 'vault://secret/app/db#password',
  });

  it('fails with a clear TLS error that says to set VAULT_CACERT when the CA is not given', async () => {
    const result = await runBinary(PRINT_ENV, { env: env() });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(
      /TLS: the certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted .*set VAULT_CACERT/,
    );
  });

  it('succeeds with VAULT_CACERT naming the CA generated for the test, for a small and a chunked answer', async () => {
    const bundle = { BUNDLE: 'vault://secret/app/bundle#pem' };
    const result = await runBinary(PRINT_ENV, { env: { ...env(), ...bundle, VAULT_CACERT: tls.caCert } });
    expect(result.status).toBe(0);
    expect(childEnv(result).get('DB_PASSWORD')).toBe(DB_PASSWORD);
    expect(childEnv(result).get('BUNDLE')).toBe(BUNDLE);
  });
});
