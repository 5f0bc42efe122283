// The example image (examples/container/Dockerfile) run as a container runtime runs it, without one:
// its root assembled from the built executable, PID 1 of fresh PID, mount and network namespaces,
// chrooted, as the image's non-root user. The references of its app.env resolve from a fake Vault that
// listens on a unix socket inside the root (a fresh network namespace has no route to a loopback
// fake), logging in with a Kubernetes service-account token mounted where Kubernetes mounts it.
import { rmSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtIssuer, startFakeVault, type FakeVault } from '../fakes/vault.js';
import { assembleImageRoot, runImage } from '../support/image-root.js';

const DB_USER = 'image-db-user';
const DB_PASSWORD = 'image-db-password-0c9e41';
const API_KEY = 'image-api-key-7d2f';
const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const issuer = createJwtIssuer();
let root = '';
let vault: FakeVault;

/** Mounts a service-account token for `account` where the kubelet would. */
function mountServiceAccountToken(account: string): void {
  const exp = Math.floor(Date.now() / 1000) + 600;
  const claims = { 'kubernetes.io': { namespace: 'prod', serviceaccount: { name: account } }, exp };
  writeFileSync(join(root, SA_TOKEN), issuer.sign(claims), { mode: 0o644 });
}

/** What a pod spec would add to the image's ENV for Vault with Kubernetes auth. */
const podEnv = {
  VAULT_ADDR: 'unix:///run/vault/vault.sock',
  SECRETS_EXEC_VAULT_AUTH: 'kubernetes',
  SECRETS_EXEC_VAULT_ROLE: 'example-app',
  STOP_STATUS: '3',
};

beforeAll(async () => {
  root = assembleImageRoot();
  mkdirSync(join(root, 'run', 'vault'), { recursive: true, mode: 0o755 });
  mkdirSync(join(root, SA_TOKEN, '..'), { recursive: true, mode: 0o755 });
  vault = await startFakeVault({ socketPath: join(root, 'run', 'vault', 'vault.sock') });
  // The image's user must be able to connect (a socket needs write permission to connect to).
  chmodSync(join(root, 'run', 'vault', 'vault.sock'), 0o666);
  vault.mountKv('secret', 2);
  vault.putSecret('secret', 'example-app-db', { username: DB_USER, password: DB_PASSWORD });
  vault.putSecret('secret', 'example-app-api', { key: API_KEY });
  vault.putPolicy('example-app', { 'secret/data/example-app-*': ['read'] });
  const { publicKeyPem } = issuer;
  const binding = { serviceAccounts: ['example-app'], namespaces: ['prod'], policies: ['example-app'] };
  vault.enableKubernetes({ role: 'example-app', publicKeyPem, ...binding });
});

afterAll(async () => {
  await vault?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the example image', () => {
  it('gives the program its values as PID 1, non-root, and it exits with its own status on TERM', async () => {
    mountServiceAccountToken('example-app');
    const run = await runImage(root, podEnv);
    expect(run.stderr).toMatch(/resolved 3 secrets from vault in \d+ ms/);
    expect(run.program).toBeDefined();
    const env = run.program?.environ;
    const values = ['DB_USER', 'DB_PASSWORD', 'API_KEY'].map((name) => env?.get(name));
    expect(values).toEqual([DB_USER, DB_PASSWORD, API_KEY]);
    expect([...(env?.keys() ?? [])].filter((name) => name.startsWith('SECRETS_EXEC_'))).toEqual([]);
    // secrets-exec replaced itself with the program: same process, PID 1 inside, the image's user.
    expect(run.program?.cmdline).toEqual(['/bin/sh', '/usr/local/bin/app']);
    expect(run.program?.status).toMatch(/^NSpid:\s+\d+\s+1$/m);
    expect(run.program?.status).toMatch(/^Uid:\s+10001\s+10001\s+10001\s+10001$/m);
    expect(run.program?.status).toMatch(/^Gid:\s+10001\s+10001\s+10001\s+10001$/m);
    expect(run.program?.status).toMatch(/^Groups:\s*$/m);
    expect(run.stdout).toBe(
      `DB_USER: set, ${DB_USER.length} characters\nDB_PASSWORD: set, ${DB_PASSWORD.length} characters\n` +
        `API_KEY: set, ${API_KEY.length} characters\npid 1: ready\nstopping on TERM\n`,
    );
    expect([run.status, run.signal]).toEqual([3, null]);
    // The token the login obtained was revoked before the exec.
    const [token] = vault.loginTokens('kubernetes').slice(-1);
    expect(vault.isTokenLive(token ?? '')).toBe(false);
    for (const value of [DB_PASSWORD, API_KEY]) expect(run.stdout + run.stderr).not.toContain(value);
  });

  it('fails closed with 125 and starts nothing when the service account is not bound to the role', async () => {
    mountServiceAccountToken('another-app');
    const run = await runImage(root, podEnv);
    expect(run.status).toBe(125);
    expect(run.program).toBeUndefined();
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/DB_PASSWORD: secret:\/\/example-app-db#password via vault: Denied/);
  });
});
