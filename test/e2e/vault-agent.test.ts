// VAULT_AGENT_ADDR (issue 18): a local Vault Agent or Vault Proxy, given priority over VAULT_ADDR as the vault
// CLI gives it. With no credential of its own, secrets-exec sends no token and the agent adds its auto-auth
// token (use_auto_auth_token); a token given is forwarded as it is. Runs the built executable against the
// fake Vault behind a loopback agent.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVaultAgent, type FakeVaultAgent } from '../fakes/vault-agent.js';
import { startFakeVault, type FakeVault } from '../fakes/vault.js';
import { FIXTURES, runBinary } from '../support/run-binary.js';

const PRINT_ENV = ['--', '/bin/sh', join(FIXTURES, 'print-env.sh')];
const PASSWORD = 'agent-e2e-password-51d0';
let vault: FakeVault;
let agent: FakeVaultAgent;
let strictAgent: FakeVaultAgent;
let autoAuthToken: string;

beforeAll(async () => {
  vault = await startFakeVault();
  vault.mountKv('secret', 2);
  vault.putSecret('secret', 'app/db', { password: PASSWORD });
  vault.putPolicy('app', { 'secret/data/app/*': ['read'] });
  autoAuthToken = vault.issueToken({ policies: ['app'] });
  agent = await startFakeVaultAgent({ vaultUrl: vault.url, autoAuthToken, useAutoAuthToken: true });
  strictAgent = await startFakeVaultAgent({ vaultUrl: vault.url, autoAuthToken, useAutoAuthToken: false });
});
afterAll(() => Promise.all([vault.close(), agent.close(), strictAgent.close()]));
afterEach(() => {
  vault.requests.length = 0;
  agent.requests.length = 0;
});

describe('VAULT_AGENT_ADDR', () => {
  it("sends no token of its own: the agent's auto-auth token reads the secret, and nothing is revoked", async () => {
    const result = await runBinary(PRINT_ENV, {
      // VAULT_ADDR is set too, to a closed port: VAULT_AGENT_ADDR wins, as in the vault CLI.
      env: { VAULT_AGENT_ADDR: agent.url, VAULT_ADDR: 'http://127.0.0.1:1', DB: 'vault://secret/app/db#password' },
    });
    expect(result.stderr).toMatch(/^secrets-exec: info: resolved 1 secret from vault in \d+ ms\n$/);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`DB=${PASSWORD}`);
    expect(agent.requests.length).toBeGreaterThan(0);
    expect(agent.requests.every((r) => r.clientToken === undefined)).toBe(true);
    expect(vault.requests.map((r) => r.token)).toEqual(vault.requests.map(() => autoAuthToken));
    expect(vault.requests.map((r) => r.path)).not.toContain('auth/token/revoke-self');
  });

  it('reaches the agent directly when HTTP_PROXY is set and NO_PROXY is empty (an agent is always local)', async () => {
    const result = await runBinary(PRINT_ENV, {
      env: {
        VAULT_AGENT_ADDR: agent.url,
        HTTP_PROXY: 'http://127.0.0.1:1',
        NO_PROXY: '',
        DB: 'vault://secret/app/db#password',
      },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`DB=${PASSWORD}`);
    expect(agent.requests.length).toBeGreaterThan(0);
  });

  it('forwards a token that is given (VAULT_TOKEN) as it is', async () => {
    const own = vault.issueToken({ policies: ['app'] });
    const result = await runBinary(PRINT_ENV, {
      env: { VAULT_AGENT_ADDR: agent.url, VAULT_TOKEN: own, DB: 'vault://secret/app/db#password' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`DB=${PASSWORD}`);
    expect(vault.requests.length).toBeGreaterThan(0);
    expect(vault.requests.every((r) => r.token === own)).toBe(true);
  });

  it('is denied, exit 125, when the agent does not add its token (use_auto_auth_token off)', async () => {
    const result = await runBinary(PRINT_ENV, {
      env: { VAULT_AGENT_ADDR: strictAgent.url, DB: 'vault://secret/app/db#password' },
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/DB: vault:\/\/secret\/app\/db#password via vault: Denied/);
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it('puts Vault in the chain by VAULT_AGENT_ADDR alone, as detect shows', async () => {
    const result = await runBinary(['detect'], { env: { VAULT_AGENT_ADDR: agent.url } });
    expect(result.stdout).toMatch(/^chain: vault\n/);
    expect(result.stdout).toMatch(/vault\s+VAULT_AGENT_ADDR\s+yes\s+a Vault Agent or Vault Proxy address is set/);
  });

  it('names VAULT_AGENT_ADDR when it is not a URL', async () => {
    const result = await runBinary(PRINT_ENV, {
      env: { VAULT_AGENT_ADDR: 'localhost:8100', VAULT_TOKEN: 't', DB: 'vault://secret/app/db' },
    });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(
      /VAULT_AGENT_ADDR 'localhost:8100' must start with https:\/\/, http:\/\/ or unix:\/\//,
    );
  });
});
