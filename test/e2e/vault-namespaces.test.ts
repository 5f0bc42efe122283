// Vault Enterprise namespaces (issue 18): VAULT_NAMESPACE is the run's namespace (the login and every
// MOUNT/PATH are in it), and ?namespace=CHILD reads one reference in a namespace under it with the same
// token, as Vault joins X-Vault-Namespace and a namespace path prefix. Against the fake Vault, which keeps
// mounts, policies and tokens per namespace, lets a token reach the namespaces under its own (its policies
// naming their paths with the child's relative path in front), and resolves a namespace path prefix.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVault, type FakeVault } from '../fakes/vault.js';
import { FIXTURES, runBinary, type RunResult } from '../support/run-binary.js';

const PRINT_ENV = ['--', '/bin/sh', join(FIXTURES, 'print-env.sh')];
const ROOT_VALUE = 'ns-e2e-root-value';
const TEAM_VALUE = 'ns-e2e-team-a-value';
const APP_VALUE = 'ns-e2e-team-a-app-value';
let vault: FakeVault;
let rootToken: string;
let teamToken: string;

beforeAll(async () => {
  vault = await startFakeVault();
  vault.mountKv('secret', 2);
  vault.putSecret('secret', 'app/db', { password: ROOT_VALUE });
  vault.mountKv('secret', 2, 'team-a');
  vault.putSecret('secret', 'app/db', { password: TEAM_VALUE }, 'team-a');
  vault.mountKv('kv', 1, 'team-a/app');
  vault.putSecret('kv', 'db', { password: APP_VALUE }, 'team-a/app');
  // A root-namespace token whose policy reaches one path of its own and one in team-a.
  vault.putPolicy('reader', { 'secret/data/app/*': ['read'], 'team-a/secret/data/app/*': ['read'] });
  rootToken = vault.issueToken({ policies: ['reader'] });
  // A team-a token whose policy reaches team-a/app's kv mount.
  vault.putPolicy('team', { 'secret/data/app/*': ['read'], 'app/kv/*': ['read'] }, 'team-a');
  teamToken = vault.issueToken({ policies: ['team'], namespace: 'team-a' });
});
afterAll(() => vault.close());
afterEach(() => {
  vault.requests.length = 0;
});

const run = (env: Record<string, string>): Promise<RunResult> =>
  runBinary(PRINT_ENV, { env: { VAULT_ADDR: vault.url, ...env } });

describe('Vault namespaces', () => {
  it('reads ?namespace=team-a in that namespace, and a plain reference in the root, with one token', async () => {
    const result = await run({
      VAULT_TOKEN: rootToken,
      ROOT: 'vault://secret/app/db#password',
      TEAM: 'vault://secret/app/db?namespace=team-a#password',
    });
    expect(result.stderr).toMatch(/resolved 2 secrets from vault/);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`ROOT=${ROOT_VALUE}`);
    expect(result.stdout).toContain(`TEAM=${TEAM_VALUE}`);
    const reads = vault.requests.filter((r) => r.path === 'secret/data/app/db');
    expect(reads.map((r) => r.headers['x-vault-namespace'] ?? '(none)').sort()).toEqual(['(none)', 'team-a']);
  });

  it('joins ?namespace= to VAULT_NAMESPACE (team-a + app = team-a/app)', async () => {
    const result = await run({
      VAULT_TOKEN: teamToken,
      VAULT_NAMESPACE: 'team-a',
      TEAM: 'vault://secret/app/db#password',
      APP: 'vault://kv/db?namespace=app#password',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`TEAM=${TEAM_VALUE}`);
    expect(result.stdout).toContain(`APP=${APP_VALUE}`);
    const app = vault.requests.find((r) => r.path === 'kv/db');
    expect(app?.headers['x-vault-namespace']).toBe('team-a/app');
  });

  it('cannot reach above VAULT_NAMESPACE: a team-a token is denied in the root namespace', async () => {
    const result = await run({ VAULT_TOKEN: teamToken, ROOT: 'vault://secret/app/db#password' });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/ROOT: vault:\/\/secret\/app\/db#password via vault: Denied/);
    expect(result.stderr).not.toContain(ROOT_VALUE);
  });

  it('sends a namespace written in the path as part of the path, never as a namespace of its own', async () => {
    // vault://team-a/secret/app/db: nothing tells the namespace from the mount, so secrets-exec sends the
    // path as written, in the run's namespace; Vault's own path-prefix routing finds team-a, after the
    // mount lookup (which sees the whole path) was refused and the KV v2 fallback tried each split.
    const result = await run({ VAULT_TOKEN: rootToken, X: 'vault://team-a/secret/app/db#password' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`X=${TEAM_VALUE}`);
    expect(vault.requests.every((r) => r.headers['x-vault-namespace'] === undefined)).toBe(true);
    expect(vault.requests.map((r) => [r.sentPath, r.status])).toEqual([
      ['sys/internal/ui/mounts/team-a/secret/app/db', 403],
      ['team-a/secret/app/db', 403],
      ['team-a/data/secret/app/db', 403],
      ['team-a/secret/data/app/db', 200],
    ]);
  });

  it('refuses a malformed ?namespace= before anything is asked', async () => {
    const result = await run({ VAULT_TOKEN: rootToken, X: 'vault://secret/app/db?namespace=../up' });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/\?namespace= must be a Vault namespace path such as team-a/);
    expect(vault.requests).toHaveLength(0);
  });
});
