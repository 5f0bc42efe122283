// End-to-end runs of the built executable against the loopback IBM fakes (IAM issues signed JWTs, Secrets
// Manager verifies every bearer token), with explicit test credentials and no metadata service.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IBM_TEST, ibmTestEnv, startIbmFakes, type IbmFakes } from '../fakes/ibm/index.js';
import { startMetadataFake } from '../fakes/metadata.js';
import { FIXTURES, runBinary, type RunResult, envOf } from '../support/run-binary.js';

const printEnv = `${FIXTURES}/print-env.sh`;
const DEBUG = ['--log-level', 'debug'];

const VALUE = 'ibm-e2e-S3CR3T-value';
const KV = { user: 'app', password: 'ibm-e2e-kv-PASSWORD' };
const DENIED_VALUE = 'ibm-e2e-DENIED-value';
const SECRETS = [VALUE, KV.password, DENIED_VALUE, IBM_TEST.apikey];
const MISSING_ID = '00000000-0000-4000-8000-00000000dead';
const ANSIBLE = join(FIXTURES, 'ansible');
const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-ibm-e2e-'));
let fakes: IbmFakes;
const ids: Record<string, string> = {};
const ref = (key: string): string => `ibm-sm://${ids[key]}`;

beforeAll(async () => {
  fakes = await startIbmFakes();
  const put = (key: string, type: string, name: string, fields: Record<string, unknown>): void => {
    ids[key] = fakes.sm.putSecret({ type, name, fields }).id;
  };
  put('value', 'arbitrary', 'db-password', { payload: VALUE });
  put('kv', 'kv', 'app-config', { data: KV });
  put('denied', 'arbitrary', 'denied', { payload: DENIED_VALUE });
  fakes.sm.deny(ids.denied as string);
  const ansiblePassword = readFileSync(join(ANSIBLE, 'passwords', 'main.txt'), 'utf8');
  put('ansible', 'arbitrary', 'ansible-vault-password', { payload: ansiblePassword });
});
afterAll(async () => {
  await fakes.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => fakes.reset());

function run(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runBinary(args, { env: { ...ibmTestEnv(fakes), ...env } });
}

// A failed run: exit 125, nothing started, the error line names variable, reference, provider and kind, and
// no value (nor the API key) appears at debug level.
function expectFailed(result: RunResult, pattern: RegExp): void {
  expect(result.status).toBe(125);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(pattern);
  for (const secret of SECRETS) expect(result.stderr).not.toContain(secret);
}

describe('secrets-exec with IBM Secrets Manager', () => {
  it("puts a secret by id, a #key of a kv secret and a secret by name into the program's environment", async () => {
    const env = { DB: ref('value'), PASS: `${ref('kv')}#password`, BY_NAME: 'ibm-sm://default/kv/app-config#/user' };
    const result = await run(['--', printEnv], env);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ DB: VALUE, PASS: KV.password, BY_NAME: 'app' });
    expect(result.stderr).toMatch(/info: resolved 3 secrets from ibm in \d+ ms/);
    expect(fakes.iam.requests).toHaveLength(1);
    expect(fakes.sm.requests.every((r) => r.auth === 'ok' && r.subject === IBM_TEST.serviceId)).toBe(true);
  });

  it('loads every key of a kv secret with --load, and leaves an ?optional missing secret unset', async () => {
    const result = await run(['--load', `${ref('kv')}?upcase`, '--', printEnv], {
      GONE: 'ibm-sm://default/arbitrary/missing?optional',
    });
    expect(result.status).toBe(0);
    const env = envOf(result.stdout);
    expect(env).toMatchObject({ USER: 'app', PASSWORD: KV.password });
    expect(env.GONE).toBeUndefined();
  });

  it("removes SECRETS_MANAGER_APIKEY and IBM_CLOUD_APIKEY from the program's environment unless kept", async () => {
    const env = { DB: ref('value'), IBM_CLOUD_APIKEY: 'cli-key-value' };
    const scrubbed = envOf((await run(['--', printEnv], env)).stdout);
    expect(scrubbed.DB).toBe(VALUE);
    expect(scrubbed.SECRETS_MANAGER_APIKEY).toBeUndefined();
    expect(scrubbed.IBM_CLOUD_APIKEY).toBeUndefined();
    const kept = envOf((await run(['--keep-env', 'IBM_CLOUD_APIKEY', '--', printEnv], env)).stdout);
    expect(kept).toMatchObject({ IBM_CLOUD_APIKEY: 'cli-key-value', SECRETS_MANAGER_URL: fakes.sm.url });
    expect(kept.SECRETS_MANAGER_APIKEY).toBeUndefined();
  });

  it('retries a throttled read and then succeeds', async () => {
    fakes.sm.inject({ status: 429, times: 1 });
    const result = await run(['--', printEnv], { DB: ref('value') });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ DB: VALUE });
    expect(fakes.sm.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('exits 125 for a missing secret (NotFound)', async () => {
    const result = await run([...DEBUG, '--', printEnv], { GONE: `ibm-sm://${MISSING_ID}`, DB: ref('value') });
    const line = `^secrets-exec: error: GONE: ibm-sm://${MISSING_ID} via ibm: NotFound: secret ${MISSING_ID}: not`;
    expectFailed(result, new RegExp(line, 'm'));
  });

  it('exits 125 for a refused secret (Denied), naming the IAM action', async () => {
    const result = await run([...DEBUG, '--', printEnv], { DENIED: ref('denied') });
    expectFailed(result, /DENIED: ibm-sm:\/\/\S+ via ibm: Denied: .*IAM action secrets-manager\.secret\.read/);
  });

  it('exits 125 when IAM refuses the API key (Denied), naming the auth type and never the key', async () => {
    const env = { DB: ref('value'), SECRETS_MANAGER_APIKEY: 'ibm-e2e-WRONG-key' };
    const result = await run([...DEBUG, '--', printEnv], env);
    expectFailed(result, /DB: ibm-sm:\/\/\S+ via ibm: Denied: no IAM token \(auth type iam \(API key\).*BXNIM0415E/);
    expect(result.stderr).not.toContain('ibm-e2e-WRONG-key');
    expect(fakes.sm.requests).toEqual([]);
  });

  // The core asks IAM for gzip; the executable inflates the answer (node:zlib is then loaded on demand).
  it('reads a secret when IAM gzips its token answer, and names the refusal when it gzips an error', async () => {
    fakes.iam.gzip = true;
    const result = await run(['--', printEnv], { DB: ref('value') });
    expect(result.stderr).not.toMatch(/error/);
    expect(envOf(result.stdout)).toMatchObject({ DB: VALUE });
    expect(fakes.iam.requests.map((r) => [r.status, r.encoding])).toEqual([[200, 'gzip']]);
    const refused = await run([...DEBUG, '--', printEnv], {
      DB: ref('value'),
      SECRETS_MANAGER_APIKEY: 'ibm-e2e-WRONG',
    });
    expectFailed(refused, /DB: ibm-sm:\/\/\S+ via ibm: Denied: no IAM token \(auth type iam \(API key\).*BXNIM0415E/);
    expect(fakes.iam.requests.map((r) => [r.status, r.encoding])).toEqual([
      [200, 'gzip'],
      [400, 'gzip'],
    ]);
  });

  it('exits 125 after the retries when Secrets Manager answers 500 (Unavailable)', async () => {
    fakes.sm.inject({ status: 500 });
    const result = await run([...DEBUG, '--', printEnv], { DB: ref('value') });
    expectFailed(result, /DB: ibm-sm:\/\/\S+ via ibm: Unavailable: .*HTTP 500/);
    expect(fakes.sm.requests.length).toBe(4); // the central retry policy's attempts
  });

  it('exits 125 when Secrets Manager answers after the --timeout deadline (Timeout)', async () => {
    fakes.sm.latencyMs = 3_000;
    const result = await run(['--timeout', '500ms', ...DEBUG, '--', printEnv], { DB: ref('value') });
    expectFailed(result, /DB: ibm-sm:\/\/\S+ via ibm: Timeout: /);
  });

  it('exits 125 without any request when the instance URL is missing (Invalid)', async () => {
    const env = { SECRETS_MANAGER_APIKEY: IBM_TEST.apikey, DB: ref('value') };
    const result = await runBinary([...DEBUG, '--', printEnv], { env });
    expectFailed(result, /DB: ibm-sm:\/\/\S+ via ibm: Invalid: no Secrets Manager instance: set SECRETS_MANAGER_URL/);
    expect(fakes.iam.requests.length + fakes.sm.requests.length).toBe(0);
  });

  it('never writes a value to stderr at debug level, even when DEBUG asks the SDK core for HTTP bodies', async () => {
    const env = { DB: ref('value'), KV: ref('kv'), DEBUG: '*', NODE_DEBUG: 'axios' };
    const result = await run([...DEBUG, '--log-format', 'json', '--', printEnv], env);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/Secrets Manager client ready/);
    for (const secret of SECRETS) expect(result.stderr).not.toContain(secret);
    expect(result.stderr).not.toMatch(/access_token|Bearer/);
  });

  it('shows check rows without values, and the version with ?version=', async () => {
    const fields = { payload: 'ibm-check-VALUE-1' };
    const { id } = fakes.sm.putSecret({ type: 'arbitrary', name: 'versioned', fields });
    const second = fakes.sm.addVersion(id, { payload: 'ibm-check-VALUE-2' });
    const result = await run(['check'], { V: `ibm-sm://${id}?version=current` });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${second} (current)`);
    expect(result.stdout).not.toMatch(/ibm-check-VALUE/);
  });
});

describe('secret:// with IBM Cloud detected', () => {
  it("reads the arbitrary secret NAME, then the kv one, in the default group (Code Engine's CE_APP)", async () => {
    const env = { CE_APP: 'my-app', DB: 'secret://db-password', PASS: 'secret://app-config#password' };
    const result = await run(['--', printEnv], env);
    expect(result.stderr).not.toMatch(/error/);
    expect(envOf(result.stdout)).toMatchObject({ DB: VALUE, PASS: KV.password });
    expect(fakes.sm.requests.map((r) => r.path).sort()).toEqual([
      '/api/v2/secret_groups/default/secret_types/arbitrary/secrets/app-config',
      '/api/v2/secret_groups/default/secret_types/arbitrary/secrets/db-password',
      '/api/v2/secret_groups/default/secret_types/kv/secrets/app-config',
    ]);
  });

  it('is detected by the VPC metadata probe and falls through to the local store on NotFound', async () => {
    const imds = await startMetadataFake({ clouds: ['ibm'] });
    const store = join(dir, 'store.json');
    writeFileSync(store, JSON.stringify({ 'only-local': 'value-from-local' }));
    try {
      const env = { SECRETS_EXEC_METADATA_URL: imds.url, DB: 'secret://db-password', LOCAL: 'secret://only-local' };
      const result = await run(['check', '--log-format', 'json', '--local-file', store], env);
      expect(result.status).toBe(0);
      const rows = result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { variable: string; provider: string });
      expect(Object.fromEntries(rows.map((r) => [r.variable, r.provider]))).toEqual({ DB: 'ibm', LOCAL: 'local' });
      expect(result.stderr).toMatch(/NotFound in ibm: falling back to local/);
    } finally {
      await imds.close();
    }
  });

  it('takes the group from SECRETS_EXEC_IBM_SECRET_GROUP', async () => {
    const fields = { payload: 'team-b-value' };
    fakes.sm.putSecret({ type: 'arbitrary', name: 'db-password', group: 'team-b', fields });
    const env = { SECRETS_EXEC_IBM_SECRET_GROUP: 'team-b', DB: 'secret://db-password' };
    const result = await run(['--provider', 'ibm', '--', printEnv], env);
    expect(envOf(result.stdout)).toMatchObject({ DB: 'team-b-value' });
  });
});

describe('an Ansible Vault password from IBM Secrets Manager', () => {
  it('decrypts a vault file with the password read from ibm-sm://', async () => {
    const password = readFileSync(join(ANSIBLE, 'passwords', 'main.txt'), 'utf8').trim();
    const vaultFile = join(ANSIBLE, 'vault', 'app-1.1.yml');
    const args = ['--ansible-vault', vaultFile, '--ansible-vault-password', ref('ansible'), ...DEBUG, '--', printEnv];
    const result = await run(args);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ db_user: 'app', db_password: 's3cr3t-db-password' });
    expect(result.stderr).not.toContain(password);
    expect(result.stderr).not.toContain('s3cr3t-db-password');
  });
});
