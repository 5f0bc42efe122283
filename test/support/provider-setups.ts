// One running fake per provider, each holding one secret that a reference in REF names, for tests that
// must hold for every provider (the process boundary, leaks). Every setup also gives a local store, so
// that a warning is logged on every run ("using the local development store"): invariants are checked
// on the path where secrets-exec has made requests and written log lines, not only on the easy one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsTestEnv, startAwsFake } from '../fakes/aws.js';
import { startGoogleFakes, TEST_PROJECT } from '../fakes/gcp/google.js';
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
  close(): Promise<void>;
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
      return { env, value: 'vault-db-password-5c2d', credentials: ['VAULT_ROLE_ID', 'VAULT_SECRET_ID'], close };
    },
  },
  {
    name: 'aws',
    async start() {
      const local = localStore();
      const fake = await startAwsFake();
      fake.putSecret('app/db', 'aws-db-password-19fe');
      const close = async (): Promise<void> => {
        local.remove();
        await fake.close();
      };
      // AWS credentials are not scrubbed (the program may use AWS too), so none is listed here.
      return {
        env: { ...local.env, ...awsTestEnv(fake), REF: 'aws-sm://app/db' },
        value: 'aws-db-password-19fe',
        credentials: [],
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
      const close = async (): Promise<void> => {
        local.remove();
        await fakes.close();
      };
      const env = { ...local.env, ...ibmTestEnv(fakes), REF: `ibm-sm://${id}` };
      const credentials = ['SECRETS_MANAGER_APIKEY', 'IBM_CLOUD_APIKEY'].filter((name) => name in env);
      return { env, value: 'ibm-db-password-8e3a', credentials, close };
    },
  },
  {
    name: 'gcp',
    async start() {
      const local = localStore();
      const fakes = await startGoogleFakes();
      fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/db-password`, 'gcp-db-password-4d7c');
      const close = async (): Promise<void> => {
        local.remove();
        await fakes.close();
      };
      // Google credentials are not scrubbed (the program may use Google APIs too).
      return {
        env: { ...local.env, ...fakes.keyFileEnv(), REF: 'gcp-sm://db-password' },
        value: 'gcp-db-password-4d7c',
        credentials: [],
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
      const close = async (): Promise<void> => {
        local.remove();
        keys.remove();
        await fake.close();
      };
      // The API key given as a value (OCI_CLI_KEY_CONTENT) exists only for secrets-exec.
      const env = { ...local.env, ...apiKeyEnv(fake, keys), REF: `oci-vault://${id}` };
      return { env, value: 'oci-db-password-a61b', credentials: ['OCI_CLI_KEY_CONTENT'], close };
    },
  },
];
