// resolveSecrets through whole in-process runs against the fake Vault: the run's provider instances are
// closed however resolution ends, so a token obtained by login is revoked on failure as on success.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/main.js';
import { startFakeVault, type FakeVault } from '../fakes/vault.js';

const ROLE_ID = 'role-id-commands';
let vault: FakeVault;

beforeAll(async () => {
  vault = await startFakeVault();
  vault.mountKv('secret', 2);
  vault.putSecret('secret', 'app/db', { password: 'commands-test-value' });
  vault.putPolicy('app', { 'secret/data/app/*': ['read'] });
  vault.enableAppRole({ role: 'app', roleId: ROLE_ID, policies: ['app'] });
});
afterAll(() => vault.close());

function io(): { io: Io; err: string[] } {
  const err: string[] = [];
  return {
    err,
    io: {
      readFile: async () => Promise.reject(Object.assign(new Error('no files here'), { code: 'ENOENT' })),
      now: Date.now,
      cwd: '/',
      stdout: () => undefined,
      stderr: (t) => err.push(t),
      version: 'test',
      argLimit: 2 * 1024 * 1024,
    },
  };
}

async function check(variables: Record<string, string>) {
  const env = {
    VAULT_ADDR: vault.url,
    VAULT_ROLE_ID: ROLE_ID,
    VAULT_SECRET_ID: vault.issueSecretId('app'),
    ...variables,
  };
  const run = io();
  const result = await main(['check'], env, run.io);
  const token = vault.loginTokens('approle').at(-1) as string;
  const revoked = vault.requests.filter((r) => r.path === 'auth/token/revoke-self').map((r) => r.token);
  return { result, token, revoked, err: run.err.join('') };
}

describe('resolveSecrets', () => {
  it('revokes the login token when every reference resolved', async () => {
    const { result, token, revoked } = await check({ DB: 'vault://secret/app/db#password' });
    expect(result).toEqual({ action: 'exit', status: 0 });
    expect(revoked).toContain(token);
    expect(vault.isTokenLive(token)).toBe(false);
  });

  it('revokes the login token when resolution fails and the run exits 125', async () => {
    const { result, token, revoked, err } = await check({ DB: 'vault://secret/app/missing' });
    expect(result).toEqual({ action: 'exit', status: 125 });
    expect(err).toMatch(/DB: vault:\/\/secret\/app\/missing via vault: NotFound/);
    expect(revoked).toContain(token);
    expect(vault.isTokenLive(token)).toBe(false);
  });
});
