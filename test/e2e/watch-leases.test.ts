// --watch with a dynamic secret of the fake Vault (database/creds/ROLE): the value is held between polls
// (no new credentials, no restart) while its lease is renewed at two thirds of its TTL; near the max TTL
// it is read again and the program restarted with the new credentials. The AppRole login's token is
// renewed (renew-self) meanwhile and revoked when secrets-exec exits.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVault, type FakeVault } from '../fakes/vault.js';
import { FIXTURES } from '../support/run-binary.js';
import { startWatching } from '../support/watching.js';

let vault: FakeVault;

beforeAll(async () => {
  vault = await startFakeVault();
  vault.mountDatabase('database', ['app']);
  vault.putPolicy('db', { 'database/creds/app': ['read'] });
  vault.enableAppRole({ role: 'app', roleId: 'lease-role', policies: ['db'] });
});
afterAll(() => vault.close());

describe('--watch with Vault leases', () => {
  it('renews the lease and the token, re-reads near the max TTL and restarts, revokes the token at exit', async () => {
    vault.leaseTtl = { ttl: 3, maxTtl: 8 };
    vault.loginTtl = { ttl: 3, maxTtl: 60 };
    const run = startWatching(
      ['--watch', '1s', '--log-level', 'debug', '--', '/bin/sh', join(FIXTURES, 'watch-db-program.sh')],
      {
        VAULT_ADDR: vault.url,
        VAULT_ROLE_ID: 'lease-role',
        VAULT_SECRET_ID: vault.issueSecretId('app'),
        DB_USER: 'vault://database/creds/app#username',
      },
    );
    const [, firstPid, firstUser] = await run.waitFor(/start (\d+) (\S+)/);
    // Polls every second meanwhile: the held value does not change, so the program is not restarted.
    const since = Date.now();
    while ((vault.leaseRenewals < 2 || vault.tokenRenewals < 1) && Date.now() - since < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(run.stdout.match(/start/g)).toHaveLength(1);
    expect(vault.leaseRenewals).toBeGreaterThanOrEqual(2);
    expect(vault.tokenRenewals).toBeGreaterThanOrEqual(1);
    expect(vault.leaseIds()).toHaveLength(1);
    // The max TTL (8 s) nears: read again, new credentials, restart.
    const [, , , secondPid, secondUser] = await run.waitFor(/start (\d+) (\S+)\n[\s\S]*start (\d+) (\S+)/, 10_000);
    expect(secondPid).not.toBe(firstPid);
    expect(secondUser).not.toBe(firstUser);
    expect(run.stdout).toContain(`term ${firstPid}`);
    expect(run.stderr).toMatch(/nears its max TTL/);
    expect(vault.leaseIds()).toHaveLength(2);
    const [login] = vault.loginTokens('approle');
    expect(vault.loginTokens('approle')).toHaveLength(1);
    run.signal('SIGTERM');
    expect(await run.done).toBe(0);
    expect(vault.isTokenLive(login as string)).toBe(false);
    for (const id of vault.leaseIds()) expect(vault.isLeaseLive(id)).toBe(false);
  }, 30_000);
});
