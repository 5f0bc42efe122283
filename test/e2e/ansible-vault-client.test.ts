// secrets-exec as Ansible's vault password client, end to end with the real ansible-vault and
// ansible-playbook (Debian's ansible-core): the host that runs Ansible keeps no password file; the
// password comes from a store through the same settings as --ansible-vault-password LABEL=REF.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVault, type FakeVault } from '../fakes/vault.js';
import { BASE_ENV, BINARY, FIXTURES, runBinary } from '../support/run-binary.js';

const ANSIBLE = join(FIXTURES, 'ansible');
const STORE = join(ANSIBLE, 'store.yaml');
const DEV = 'dev-secret-1c2b';
const PROD = 'prod-Secret-9f3a';
let dir: string;
let client: string;
let vault: FakeVault;
let vaultToken: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vault-client-'));
  client = join(dir, 'secrets-exec-vault-client');
  symlinkSync(BINARY, client);
  vault = await startFakeVault();
  vault.mountKv('secret', 2);
  vault.putSecret('secret', 'ansible', { prod: `${PROD}\n` });
  vault.putPolicy('ansible', { 'secret/data/ansible': ['read'] });
  vaultToken = vault.issueToken({ policies: ['ansible'] });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await vault.close();
});

interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

// Runs an Ansible command with a clean environment of its own (HOME and temp folders in `dir`).
function ansible(command: string, args: readonly string[], env: Record<string, string>): Promise<Ran> {
  const ansibleEnv = { ...BASE_ENV, HOME: dir, ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'), ANSIBLE_NOCOLOR: '1', ...env };
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd: ANSIBLE, env: ansibleEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: typeof error?.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr });
    });
  });
}

const fromLocalStore = {
  SECRETS_EXEC_LOCAL_FILE: STORE,
  SECRETS_EXEC_ANSIBLE_VAULT_PASSWORD: 'dev=local://vault-ids#dev,prod=local://vault-ids#prod',
};

describe('the vault password client protocol', () => {
  it('prints exactly the password for the vault id and a newline, nothing else on stdout', async () => {
    const result = await runBinary(['--vault-id', 'dev'], { command: [client], env: fromLocalStore });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${DEV}\n`);
  });

  it('is also the subcommand ansible-vault-client', async () => {
    const result = await runBinary(['ansible-vault-client', '--vault-id', 'prod'], { env: fromLocalStore });
    expect(result.stdout).toBe(`${PROD}\n`);
  });

  it('without --vault-id prints the password given without a label', async () => {
    const env = { SECRETS_EXEC_LOCAL_FILE: STORE, SECRETS_EXEC_ANSIBLE_VAULT_PASSWORD: 'local://vault-password' };
    const result = await runBinary([], { command: [client], env });
    expect(result.stdout).toBe('correct horse battery staple\n');
  });

  it('answers an unknown vault id with status 2 (Ansible\'s "no secret for this vault-id") and no output', async () => {
    const result = await runBinary(['--vault-id', 'staging'], { command: [client], env: fromLocalStore });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no vault password for vault id 'staging' \(configured: dev, prod\)/);
  });

  it('fails closed with one line, no stdout and no value when the store cannot answer', async () => {
    const env = {
      VAULT_ADDR: 'http://127.0.0.1:1',
      VAULT_TOKEN: vaultToken,
      SECRETS_EXEC_ANSIBLE_VAULT_PASSWORD: 'prod=vault://secret/ansible#prod',
    };
    const result = await runBinary(['--vault-id', 'prod'], {
      command: [client],
      env: { ...env, SECRETS_EXEC_TIMEOUT: '2s' },
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/vault id prod: vault:\/\/secret\/ansible#prod via vault: Unavailable/);
  });
});

describe('with the real ansible-vault', () => {
  it('decrypts a file whose password comes from the local store', async () => {
    const result = await ansible(
      'ansible-vault',
      ['view', '--vault-id', `dev@${client}`, 'vault/app-dev-1.2.yml'],
      fromLocalStore,
    );
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.stdout).toContain('db_password: s3cr3t-db-password');
  });

  it('decrypts a file whose password comes from a (loopback fake) Vault', async () => {
    const env = {
      VAULT_ADDR: vault.url,
      VAULT_TOKEN: vaultToken,
      SECRETS_EXEC_ANSIBLE_VAULT_PASSWORD: 'prod=vault://secret/ansible#prod',
    };
    const result = await ansible(
      'ansible-vault',
      ['view', '--vault-id', `prod@${client}`, 'vault/app-prod-1.2.yml'],
      env,
    );
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.stdout).toContain('db_password: s3cr3t-db-password');
    expect(vault.requests.some((r) => r.path === 'secret/data/ansible')).toBe(true);
  });

  it('serves two vault ids in one run', async () => {
    const args = ['view', '--vault-id', `dev@${client}`, '--vault-id', `prod@${client}`, 'vault/app-prod-1.2.yml'];
    const result = await ansible('ansible-vault', args, fromLocalStore);
    expect(result.stdout).toContain('db_password: s3cr3t-db-password');
  });

  it('makes ansible-vault fail with our message for a wrong label', async () => {
    const result = await ansible(
      'ansible-vault',
      ['view', '--vault-id', `qa@${client}`, 'vault/app-dev-1.2.yml'],
      fromLocalStore,
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/did not find a secret for vault-id=qa/);
    expect(result.stderr).toMatch(/no vault password for vault id 'qa'/);
  });

  it('makes ansible-vault fail with our message when the store is unreachable', async () => {
    const env = {
      VAULT_ADDR: 'http://127.0.0.1:1',
      VAULT_TOKEN: vaultToken,
      SECRETS_EXEC_TIMEOUT: '2s',
      SECRETS_EXEC_ANSIBLE_VAULT_PASSWORD: 'prod=vault://secret/ansible#prod',
    };
    const result = await ansible(
      'ansible-vault',
      ['view', '--vault-id', `prod@${client}`, 'vault/app-prod-1.2.yml'],
      env,
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/returned non-zero \(125\)/);
    expect(result.stderr).toMatch(/Unavailable/);
  });

  it('lets ansible-playbook read inline !vault variables with vault_identity_list in ansible.cfg', async () => {
    const playbook = join(dir, 'play.yml');
    writeFileSync(
      playbook,
      [
        '- hosts: localhost',
        '  connection: local',
        '  gather_facts: false',
        '  vars_files:',
        `    - ${join(ANSIBLE, 'inline', 'labels.yml')}`,
        '  tasks:',
        '    - debug:',
        '        msg: "prod={{ prod_token }} dev={{ dev_token }}"',
        '',
      ].join('\n'),
    );
    const cfg = join(dir, 'ansible.cfg');
    writeFileSync(cfg, `[defaults]\nvault_identity_list = dev@${client}, prod@${client}\n`);
    const result = await ansible('ansible-playbook', ['-i', 'localhost,', playbook], {
      ...fromLocalStore,
      ANSIBLE_CONFIG: cfg,
    });
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.stdout).toContain('prod=prod-token-value dev=dev-token-value');
  });
});
