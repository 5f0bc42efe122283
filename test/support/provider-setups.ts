// One running fake per provider, each holding one secret that a reference in REF names, for tests that
// must hold for every provider (the process boundary, leaks). Every setup also gives a local store, so
// that a warning is logged on every run ("using the local development store"): invariants are checked
// on the path where secrets-exec has made requests and written log lines, not only on the easy one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsTestEnv, startAwsFake } from '../fakes/aws.js';
import { startForwardProxy } from '../fakes/forward-proxy.js';
import { SA_EMAIL, startGoogleFakes, TEST_PROJECT } from '../fakes/gcp/google.js';
import { ibmTestEnv, startIbmFakes } from '../fakes/ibm/index.js';
import { startOciFake, VAULT as OCI_VAULT } from '../fakes/oci/secrets.js';
import { apiKeyEnv, makeOciKeys } from '../fakes/oci/test-env.js';
import { startFakeVault } from '../fakes/vault.js';

export interface RunningSetup {
  /** The variables a run needs, REF included. */
  readonly env: Record<string, string>;
  /** What REF resolves to. */
  readonly value: string;
  /** Variables that hold credentials only secrets-exec needs: they must reach neither the program nor
   * the supervisor's /proc/PID/environ. */
  readonly credentials: readonly string[];
  /** For the fault matrix (test/e2e/fault-matrix.test.ts). */
  readonly faults?: SetupFaults;
  close(): Promise<void>;
}

/** What the fault matrix needs of a store beside REF. */
export interface SetupFaults {
  /** A reference the store answers "not found" to. */
  readonly missing: string;
  /** A reference to a secret that exists but the credentials may not read (absent: the store has no ACL). */
  readonly denied?: string;
  /** The variable pointing secrets-exec at the store's secrets endpoint, where a fault front can go. */
  readonly endpoint?: string;
  /** The variable pointing it at the login or token endpoint (for a key file: the file, with token_uri). */
  readonly login?: { readonly variable: string; readonly inKeyFile?: boolean };
}

export interface ProviderSetup {
  readonly name: string;
  start(): Promise<RunningSetup>;
}

function localStore(): { env: Record<string, string>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'setup-local-'));
  const file = join(dir, 'store.json');
  writeFileSync(file, JSON.stringify({ warn: 'local-warning-value-3b1e', db: { password: 'local-db-password-77aa' } }));
  return {
    env: { SECRETS_EXEC_LOCAL_FILE: file, WARN_REF: 'local://warn' },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const PROVIDER_SETUPS: readonly ProviderSetup[] = [
  {
    name: 'local',
    async start() {
      const local = localStore();
      return {
        env: { ...local.env, REF: 'local://db#password' },
        value: 'local-db-password-77aa',
        credentials: [],
        faults: { missing: 'local://nothing-here' },
        close: async () => local.remove(),
      };
    },
  },
  {
    name: 'vault',
    async start() {
      const local = localStore();
      const vault = await startFakeVault();
      vault.mountKv('secret', 2);
      vault.putSecret('secret', 'app/db', { password: 'vault-db-password-5c2d' });
      vault.putSecret('secret', 'other/db', { password: 'vault-other-password-0e4b' });
      vault.putPolicy('app', { 'secret/data/app/*': ['read'] });
      vault.enableAppRole({ role: 'app', roleId: 'boundary-role', policies: ['app'] });
      // An AppRole login: the credentials are secrets-exec's alone, and a token is obtained (and revoked).
      const env = {
        ...local.env,
        VAULT_ADDR: vault.url,
        VAULT_ROLE_ID: 'boundary-role',
        VAULT_SECRET_ID: vault.issueSecretId('app'),
        REF: 'vault://secret/app/db#password',
      };
      const close = async (): Promise<void> => {
        local.remove();
        await vault.close();
      };
      // The policy grants app/* only: other/db exists but is denied.
      const faults = { missing: 'vault://secret/app/nothing#password', denied: 'vault://secret/other/db#password' };
      const credentials = ['VAULT_ROLE_ID', 'VAULT_SECRET_ID'];
      return {
        env,
        value: 'vault-db-password-5c2d',
        credentials,
        faults: { ...faults, endpoint: 'VAULT_ADDR', login: { variable: 'VAULT_ADDR' } },
        close,
      };
    },
  },
  {
    name: 'aws',
    async start() {
      const local = localStore();
      const fake = await startAwsFake();
      fake.putSecret('app/db', 'aws-db-password-19fe');
      fake.putSecret('app/other', 'aws-other-password-61c0');
      fake.deny('app/other');
      const close = async (): Promise<void> => {
        local.remove();
        await fake.close();
      };
      // AWS credentials are not scrubbed (the program may use AWS too), so none is listed here.
      return {
        env: { ...local.env, ...awsTestEnv(fake), REF: 'aws-sm://app/db' },
        value: 'aws-db-password-19fe',
        credentials: [],
        faults: { missing: 'aws-sm://app/nothing', denied: 'aws-sm://app/other', endpoint: 'AWS_ENDPOINT_URL' },
        close,
      };
    },
  },
  {
    name: 'ibm',
    async start() {
      const local = localStore();
      const fakes = await startIbmFakes();
      const { id } = fakes.sm.putSecret({
        type: 'arbitrary',
        name: 'db-password',
        fields: { payload: 'ibm-db-password-8e3a' },
      });
      const other = fakes.sm.putSecret({ type: 'arbitrary', name: 'other', fields: { payload: 'ibm-other-6f20' } });
      fakes.sm.deny(other.id);
      const close = async (): Promise<void> => {
        local.remove();
        await fakes.close();
      };
      const env = { ...local.env, ...ibmTestEnv(fakes), REF: `ibm-sm://${id}` };
      const credentials = ['SECRETS_MANAGER_APIKEY', 'IBM_CLOUD_APIKEY'].filter((name) => name in env);
      const faults = {
        missing: 'ibm-sm://0b5b0d9e-0000-4000-8000-00000000dead',
        denied: `ibm-sm://${other.id}`,
        endpoint: 'SECRETS_MANAGER_URL',
        login: { variable: 'SECRETS_MANAGER_AUTH_URL' },
      };
      return { env, value: 'ibm-db-password-8e3a', credentials, faults, close };
    },
  },
  {
    name: 'gcp',
    async start() {
      const local = localStore();
      const fakes = await startGoogleFakes();
      fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/db-password`, 'gcp-db-password-4d7c');
      fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/other`, 'gcp-other-password-27d9');
      fakes.sm.deny(`projects/${TEST_PROJECT}/secrets/other`, SA_EMAIL);
      const close = async (): Promise<void> => {
        local.remove();
        await fakes.close();
      };
      // Google credentials are not scrubbed (the program may use Google APIs too).
      return {
        env: { ...local.env, ...fakes.keyFileEnv(), REF: 'gcp-sm://db-password' },
        value: 'gcp-db-password-4d7c',
        credentials: [],
        faults: {
          missing: 'gcp-sm://nothing-here',
          denied: 'gcp-sm://other',
          endpoint: 'SECRETS_EXEC_GCP_ENDPOINT',
          login: { variable: 'GOOGLE_APPLICATION_CREDENTIALS', inKeyFile: true },
        },
        close,
      };
    },
  },
  {
    name: 'oci',
    async start() {
      const local = localStore();
      const fake = await startOciFake();
      const keys = makeOciKeys(fake);
      const id = fake.putSecret(OCI_VAULT, 'db-password', 'oci-db-password-a61b');
      const other = fake.putSecret(OCI_VAULT, 'other', 'oci-other-password-3c85');
      fake.deny(other);
      const close = async (): Promise<void> => {
        local.remove();
        keys.remove();
        await fake.close();
      };
      // The API key given as a value (OCI_CLI_KEY_CONTENT) exists only for secrets-exec.
      const env = { ...local.env, ...apiKeyEnv(fake, keys), REF: `oci-vault://${id}` };
      // OCI answers a secret the caller may not read exactly as a missing one (404 NotAuthorizedOrNotFound).
      const faults = {
        missing: 'oci-vault://ocid1.vaultsecret.oc1.iad.amaaaaaanothinghere',
        denied: `oci-vault://${other}`,
        endpoint: 'SECRETS_EXEC_OCI_ENDPOINT',
      };
      return { env, value: 'oci-db-password-a61b', credentials: ['OCI_CLI_KEY_CONTENT'], faults, close };
    },
  },
];

/** AWS Parameter Store, for the fault matrix only (the invariants above hold for it through the aws setup). */
export const AWS_SSM_SETUP: ProviderSetup = {
  name: 'aws-ssm',
  async start() {
    const fake = await startAwsFake();
    fake.putParameter('/app/db', 'ssm-db-password-0d93', { type: 'SecureString' });
    fake.putParameter('/app/other', 'ssm-other-password-b7e2', { type: 'SecureString' });
    fake.deny('/app/other');
    return {
      env: { ...awsTestEnv(fake), REF: 'aws-ssm:///app/db' },
      value: 'ssm-db-password-0d93',
      credentials: [],
      faults: { missing: 'aws-ssm:///app/nothing', denied: 'aws-ssm:///app/other', endpoint: 'AWS_ENDPOINT_URL' },
      close: () => fake.close(),
    };
  },
};

/**
 * Every networked setup again with its requests through a loopback forward proxy (HTTPS_PROXY, HTTP_PROXY,
 * NO_PROXY empty): the process invariants must also hold after proxied requests, which make agents and
 * tunnels of their own. Closing fails when the proxy carried nothing, so a setup that silently went direct
 * cannot pass for a proxied one. The metadata address is moved off the stores' port, which is always direct.
 */
export const PROXIED_SETUPS: readonly ProviderSetup[] = PROVIDER_SETUPS.filter((s) => s.name !== 'local').map(
  (setup) => ({
    name: `${setup.name} through a proxy`,
    async start() {
      const running = await setup.start();
      const proxy = await startForwardProxy();
      const env = {
        ...running.env,
        SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:1',
        HTTPS_PROXY: proxy.url,
        HTTP_PROXY: proxy.url,
        NO_PROXY: '',
      };
      const close = async (): Promise<void> => {
        const served = proxy.served().length;
        await Promise.all([proxy.close(), running.close()]);
        if (served === 0) throw new Error(`${setup.name} through a proxy: the proxy carried no request`);
      };
      return { ...running, env, close };
    },
  }),
);

/** What the process invariants are checked after: every provider, and every networked one through a proxy. */
export const INVARIANT_SETUPS: readonly ProviderSetup[] = [...PROVIDER_SETUPS, ...PROXIED_SETUPS];
