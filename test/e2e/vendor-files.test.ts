// Files a vendor library opens by itself from a path in the environment (issue 14, bounded inputs): the
// AWS SDK's shared config and credentials files and token files (for the aws provider and for Vault's AWS
// IAM login), Google's external-account token file, IBM's compute-resource token. Each one naming a
// device that never ends, a file over the cap, or a pipe fails at once with exit 125 and a line naming
// the variable and the file; the same setups with a good file resolve, against the fakes.
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsFake, type AwsFake } from '../fakes/aws.js';
import { startGoogleFakes, TEST_PROJECT, type GoogleFakes } from '../fakes/gcp/google.js';
import { IBM_TEST, ibmTestEnv, startIbmFakes, type IbmFakes } from '../fakes/ibm/index.js';
import { startOciFake, VAULT, type OciFake } from '../fakes/oci/secrets.js';
import { apiKeyEnv, makeOciKeys, type OciTestKeys } from '../fakes/oci/test-env.js';
import { startFakeVault, type FakeVault } from '../fakes/vault.js';
import { FIXTURES, runBinary, type RunResult } from '../support/run-binary.js';

const printEnv = `${FIXTURES}/print-env.sh`;
const TOO_LARGE = /larger than 4 MiB, more than secrets-exec reads from any file/;
let dir: string;
let big: string;
let fifo: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'secrets-exec-vendor-files-'));
  // 5 MiB and sparse: nothing is written but the size.
  big = join(dir, 'big');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 5 * 1024 * 1024);
  closeSync(fd);
  fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectRefused(result: RunResult, message: RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.status).toBe(125);
  expect(result.stdout).toBe('');
}

describe('the AWS SDK reads no file without a cap', () => {
  let fake: AwsFake;
  beforeAll(async () => {
    fake = await startAwsFake();
    fake.putSecret('app/db', 'vendor-files-aws-value');
  });
  afterAll(() => fake.close());
  const run = (env: Record<string, string>): Promise<RunResult> =>
    runBinary(['--', printEnv], { env: { ...awsTestEnv(fake), DB: 'aws-sm://app/db', ...env }, timeoutMs: 15_000 });

  it.each([
    ['AWS_CONFIG_FILE', '/dev/zero', TOO_LARGE],
    ['AWS_SHARED_CREDENTIALS_FILE', '/dev/zero', TOO_LARGE],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', '/dev/zero', TOO_LARGE],
    ['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', '/dev/urandom', TOO_LARGE],
    ['AWS_CONFIG_FILE', 'big', TOO_LARGE],
    ['AWS_CONFIG_FILE', 'fifo', /a pipe or socket, which the vendor library reads itself/],
  ])('%s=%s fails at once, naming the variable and the file', async (variable, file, message) => {
    const path = file.startsWith('/') ? file : join(dir, file);
    const extra: Record<string, string> =
      variable === 'AWS_WEB_IDENTITY_TOKEN_FILE' ? { AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/r' } : {};
    const before = fake.requests.length;
    const result = await run({ [variable]: path, ...extra });
    expectRefused(result, new RegExp(`DB: aws-sm://app/db via aws: Invalid: ${variable} ${path}: `));
    expect(result.stderr).toMatch(message);
    expect(fake.requests.length).toBe(before);
  });

  it('reads a small config file, and /dev/null (the usual way to give no file), as before', async () => {
    const config = join(dir, 'aws-config');
    writeFileSync(config, '[default]\nregion = us-east-1\n');
    for (const path of [config, '/dev/null']) {
      const result = await run({ AWS_CONFIG_FILE: path, AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
      expect(result.stderr).toMatch(/^secrets-exec: info: resolved 1 secret from aws in \d+ ms\n$/);
      expect(result.stdout).toContain('DB=vendor-files-aws-value');
      expect(result.status).toBe(0);
    }
  });
});

describe("Vault's AWS IAM login checks the SDK's files too", () => {
  let vault: FakeVault;
  beforeAll(async () => {
    vault = await startFakeVault();
  });
  afterAll(() => vault.close());

  it('AWS_CONFIG_FILE=/dev/zero fails at once, before any login', async () => {
    const result = await runBinary(['--', printEnv], {
      env: {
        VAULT_ADDR: vault.url,
        SECRETS_EXEC_VAULT_AUTH: 'aws',
        AWS_ACCESS_KEY_ID: 'AKIDVENDORFILES',
        AWS_SECRET_ACCESS_KEY: 'vendor-files-secret-key',
        AWS_CONFIG_FILE: '/dev/zero',
        DB: 'vault://secret/app#password',
      },
      timeoutMs: 15_000,
    });
    expectRefused(result, /AWS_CONFIG_FILE \/dev\/zero: larger than 4 MiB/);
    expect(vault.requests.filter((r) => r.path.startsWith('auth/aws'))).toEqual([]);
  });
});

describe('google-auth-library reads no external-account token file without a cap', () => {
  let fakes: GoogleFakes;
  beforeAll(async () => {
    fakes = await startGoogleFakes();
    fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/db`, 'vendor-files-gcp-value');
  });
  afterAll(() => fakes.close());
  const run = (credentials: string): Promise<RunResult> =>
    runBinary(['--', printEnv], {
      env: {
        GOOGLE_APPLICATION_CREDENTIALS: credentials,
        GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
        SECRETS_EXEC_GCP_ENDPOINT: fakes.sm.url,
        DB: 'gcp-sm://db',
      },
      timeoutMs: 15_000,
    });
  // The fakes' external_account file, with its credential_source.file replaced.
  const withTokenFile = (path: string, impersonating = false): string => {
    const account = {
      type: 'external_account',
      audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/x',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: fakes.oauth.stsUrl,
      credential_source: { file: path },
    };
    const json = impersonating
      ? {
          type: 'impersonated_service_account',
          service_account_impersonation_url: 'http://127.0.0.1:1/x',
          source_credentials: account,
        }
      : account;
    const file = join(dir, `external-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(json));
    return file;
  };

  it.each([
    ['/dev/zero', TOO_LARGE],
    ['big', TOO_LARGE],
    ['fifo', /a pipe or socket/],
  ])('credential_source.file %s fails at once, naming where it is written', async (file, message) => {
    const path = file.startsWith('/') ? file : join(dir, file);
    const credentials = withTokenFile(path);
    const result = await run(credentials);
    expectRefused(result, new RegExp(`credential_source\\.file of GOOGLE_APPLICATION_CREDENTIALS ${path}: `));
    expect(result.stderr).toMatch(message);
    expect(fakes.oauth.requests).toHaveLength(0);
  });

  it("is checked inside an impersonated_service_account's source_credentials too", async () => {
    const result = await run(withTokenFile('/dev/zero', true));
    expectRefused(result, /source_credentials\.credential_source\.file of GOOGLE_APPLICATION_CREDENTIALS \/dev\/zero/);
  });

  it("reads the fakes' own external_account token file as before", async () => {
    const result = await run(fakes.externalAccountFile);
    expect(result.stdout).toContain('DB=vendor-files-gcp-value');
    expect(result.status).toBe(0);
  });
});

describe("the IBM core's container authenticator reads no token file without a cap", () => {
  let fakes: IbmFakes;
  beforeAll(async () => {
    fakes = await startIbmFakes();
  });
  afterAll(() => fakes.close());
  const run = (tokenFile: string): Promise<RunResult> => {
    const { SECRETS_MANAGER_APIKEY: _, ...env } = ibmTestEnv(fakes);
    return runBinary(['--', printEnv], {
      env: {
        ...env,
        SECRETS_MANAGER_AUTH_TYPE: 'container',
        SECRETS_MANAGER_IAM_PROFILE_ID: IBM_TEST.profile.id,
        SECRETS_MANAGER_CR_TOKEN_FILENAME: tokenFile,
        DB: 'ibm-sm://default/arbitrary/nope',
      },
      timeoutMs: 15_000,
    });
  };

  it.each([
    ['/dev/zero', TOO_LARGE],
    ['big', TOO_LARGE],
    ['fifo', /a pipe or socket/],
  ])('SECRETS_MANAGER_CR_TOKEN_FILENAME=%s fails at once', async (file, message) => {
    const path = file.startsWith('/') ? file : join(dir, file);
    const result = await run(path);
    expectRefused(result, new RegExp(`SECRETS_MANAGER_CR_TOKEN_FILENAME ${path}: `));
    expect(result.stderr).toMatch(message);
    expect(fakes.iam.requests).toHaveLength(0);
  });

  it('reads a good token file and logs in with it (the secret is then simply not found)', async () => {
    const token = join(dir, 'cr-token');
    writeFileSync(token, IBM_TEST.crToken);
    const result = await run(token);
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/NotFound/);
    expect(fakes.iam.requests.length).toBeGreaterThan(0);
  });
});

describe('oci-common reads no configuration file without a cap', () => {
  let fake: OciFake;
  let keys: OciTestKeys;
  let id: string;
  beforeAll(async () => {
    fake = await startOciFake();
    keys = makeOciKeys(fake);
    id = fake.putSecret(VAULT, 'db', 'vendor-files-oci-value');
  });
  afterAll(async () => {
    keys.remove();
    await fake.close();
  });
  const run = (env: Record<string, string>): Promise<RunResult> =>
    runBinary(['--', printEnv], {
      env: { ...apiKeyEnv(fake, keys), DB: `oci-vault://${id}`, ...env },
      timeoutMs: 15_000,
    });

  it.each([
    ['/dev/zero', TOO_LARGE],
    ['big', TOO_LARGE],
    ['fifo', /a pipe or socket/],
  ])('OCI_DEVELOPER_TOOL_CONFIGURATION_FILE_PATH=%s fails at once, before any request', async (file, message) => {
    const path = file.startsWith('/') ? file : join(dir, file);
    const before = fake.requests.length;
    const result = await run({ OCI_DEVELOPER_TOOL_CONFIGURATION_FILE_PATH: path });
    expectRefused(result, new RegExp(`OCI_DEVELOPER_TOOL_CONFIGURATION_FILE_PATH ${path}: `));
    expect(result.stderr).toMatch(message);
    expect(fake.requests.length).toBe(before);
  });

  it('reads a small developer tool configuration, and none, as before', async () => {
    const config = join(dir, 'developer-tool-configuration.json');
    writeFileSync(config, '{}');
    for (const env of [{ OCI_DEVELOPER_TOOL_CONFIGURATION_FILE_PATH: config }, {}] as Record<string, string>[]) {
      const result = await run(env);
      expect(result.stdout).toContain('DB=vendor-files-oci-value');
      expect(result.status).toBe(0);
    }
  });
});
