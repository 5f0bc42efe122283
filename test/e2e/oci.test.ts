// End-to-end runs of the built executable against the loopback OCI fake, which verifies every request's
// signature: values reach the program, each error class stops it (exit 125, nothing started, no value
// on stderr at debug level), secret:// goes to OCI when a resource principal is detected, an Ansible
// Vault password comes from oci-vault://, and Oracle's SDK prints nothing of its own.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultFront, type FaultAction } from '../fakes/fault-front.js';
import { generateInstanceIdentity } from '../fakes/oci/instance-certs.js';
import { startProxymuxFake } from '../fakes/oci/proxymux.js';
import { startOciFake, VAULT, type OciFake } from '../fakes/oci/secrets.js';
import { apiKeyEnv, instancePrincipalEnv, makeOciKeys, resourcePrincipalEnv } from '../fakes/oci/test-env.js';
import type { OciTestKeys } from '../fakes/oci/test-env.js';
import { generateTlsFiles } from '../fakes/vault-tls.js';
import { FIXTURES, runBinary, type RunResult, envOf } from '../support/run-binary.js';

const printEnv = join(FIXTURES, 'print-env.sh');

const VALUE = 'oci-e2e-S3CR3T-value';
const JSON_VALUE = { user: 'app', password: 'oci-e2e-json-PASSWORD' };
const OLD_VALUE = 'oci-e2e-OLD-value';
let fake: OciFake;
let keys: OciTestKeys;
let plainId: string;
let jsonId: string;

beforeAll(async () => {
  fake = await startOciFake();
  keys = makeOciKeys(fake);
  fake.putSecret(VAULT, 'plain', OLD_VALUE);
  plainId = fake.putSecret(VAULT, 'plain', VALUE);
  jsonId = fake.putSecret(VAULT, 'json', JSON_VALUE);
  fake.putSecret(VAULT, 'binary', Buffer.from([0xff, 0xfe, 0xfd]));
  fake.serveInstance(generateInstanceIdentity());
});
afterAll(async () => {
  await fake.close();
  keys.remove();
});
afterEach(() => fake.reset());

function run(args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  return runBinary(args, { env });
}

// Every line on stderr is one of ours: nothing printed by a library gets through.
function expectOnlyOurLines(result: RunResult): void {
  for (const line of result.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^secrets-exec: /);
}

describe('secrets-exec with OCI Vault', () => {
  it('puts a secret by OCID, a #key by name and a version into the environment, and scrubs the API key', async () => {
    const env: Record<string, string> = {
      ...apiKeyEnv(fake, keys),
      A: `oci-vault://${plainId}`,
      B: `oci-vault://${VAULT}/json#password`,
      C: `oci-vault://${plainId}?version=1`,
    };
    const result = await run(['--', printEnv], env);
    expect(result.status).toBe(0);
    const child = envOf(result.stdout);
    expect(child).toMatchObject({ A: VALUE, B: JSON_VALUE.password, C: OLD_VALUE, OCI_CLI_USER: env.OCI_CLI_USER });
    expect(child).not.toHaveProperty('OCI_CLI_KEY_CONTENT');
    expect(result.stderr).toMatch(/info: resolved 3 secrets from oci in \d+ ms/);
    expect(fake.requests.length).toBe(3);
    expect(fake.requests.every((r) => r.auth === 'ok')).toBe(true);
  });

  it('leaves an ?optional missing secret unset and loads every key with --load', async () => {
    const env = { ...apiKeyEnv(fake, keys), GONE: `oci-vault://${VAULT}/missing?optional` };
    const result = await run(['--load', `oci-vault://${jsonId}?upcase`, '--', printEnv], env);
    expect(result.status).toBe(0);
    const child = envOf(result.stdout);
    expect(child).toMatchObject({ USER: 'app', PASSWORD: JSON_VALUE.password });
    expect(child).not.toHaveProperty('GONE');
  });

  it('retries a throttled request, then succeeds', async () => {
    fake.inject('throttle', 1);
    const result = await run(['--', printEnv], { ...apiKeyEnv(fake, keys), A: `oci-vault://${plainId}` });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ A: VALUE });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  // [case, fake setup, references, the error line]; PLAIN stands for the plain secret's OCID.
  const REF = 'A: oci-vault:\\/\\/\\S+';
  it.each([
    [
      'a missing secret',
      {},
      { A: `oci-vault://${VAULT}/missing` },
      'NotFound: GetSecretBundleByName: not found, or this principal may not read it \\(policy: `read secret-bundles`',
    ],
    [
      'a refused signature',
      { inject: 'unauthenticated' },
      { A: 'oci-vault://PLAIN' },
      "Denied: GetSecretBundle: OCI refused the request's signature \\(NotAuthenticated\\) signed with api_key",
    ],
    ['a 500 after the retries', { inject: 'internal' }, { A: 'oci-vault://PLAIN' }, 'Unavailable: .* 500'],
    ['an answer after the deadline', { latencyMs: 3_000 }, { A: 'oci-vault://PLAIN' }, 'Timeout: '],
    [
      'a value that is not UTF-8',
      {},
      { A: `oci-vault://${VAULT}/binary` },
      "Invalid: GetSecretBundleByName: the secret's content is not UTF-8 text",
    ],
    ['an unknown stage', {}, { A: 'oci-vault://PLAIN?stage=OLDEST' }, 'Invalid: \\?stage=OLDEST: an OCI stage is one'],
  ] as const)('exits 125 on %s, starts nothing and shows no value at debug level', async (_, setup, refs, message) => {
    if ('inject' in setup) fake.inject(setup.inject);
    if ('latencyMs' in setup) fake.latencyMs = setup.latencyMs;
    const env = { ...apiKeyEnv(fake, keys), OK: `oci-vault://${jsonId}#password` };
    for (const [name, value] of Object.entries(refs)) Object.assign(env, { [name]: value.replace('PLAIN', plainId) });
    const result = await run(['--timeout', '2s', '--log-level', 'debug', '--', 'sh', '-c', 'echo CHILD STARTED'], env);
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`${REF} via oci: ${message}`));
    for (const secret of [VALUE, OLD_VALUE, JSON_VALUE.password]) expect(result.stderr).not.toContain(secret);
    expectOnlyOurLines(result);
  });

  it('shows the version number and stages in check, and no value', async () => {
    const env = { ...apiKeyEnv(fake, keys), A: `oci-vault://${plainId}`, OLD: `oci-vault://${plainId}?stage=PREVIOUS` };
    const result = await run(['check', '--log-format', 'json'], env);
    expect(result.status).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.variable, r.version])).toEqual([
      ['A', '2 (CURRENT, LATEST)'],
      ['OLD', '1 (PREVIOUS)'],
    ]);
    for (const secret of [VALUE, OLD_VALUE]) expect(result.stdout).not.toContain(secret);
  });
});

describe('secrets-exec on OCI platforms', () => {
  it('resolves secret://NAME in the OCI vault when a resource principal is detected; scrubs RPST and key', async () => {
    const env: Record<string, string> = {
      ...resourcePrincipalEnv(fake, keys),
      SECRETS_EXEC_OCI_VAULT_ID: VAULT,
      DB: 'secret://json#password',
      PLAIN: 'secret://plain',
    };
    const result = await run(['--log-level', 'debug', '--', printEnv], env);
    expect(result.status).toBe(0);
    const child = envOf(result.stdout);
    expect(child).toMatchObject({ DB: JSON_VALUE.password, PLAIN: VALUE, OCI_RESOURCE_PRINCIPAL_VERSION: '2.2' });
    expect(child).not.toHaveProperty('OCI_RESOURCE_PRINCIPAL_RPST');
    expect(child).not.toHaveProperty('OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM');
    expect(fake.requests.map((r) => [r.path, r.principal])).toEqual([
      ['/20190301/secretbundles/actions/getByName', 'resource'],
      ['/20190301/secretbundles/actions/getByName', 'resource'],
    ]);
    expect(result.stderr).not.toContain(env.OCI_RESOURCE_PRINCIPAL_RPST);
    const detect = await run(['detect'], env);
    expect(detect.stdout).toMatch(/^chain: oci$/m);
    expect(detect.stdout).toMatch(/^oci +OCI_RESOURCE_PRINCIPAL_VERSION +yes/m);
  });

  it('fails closed with a clear error when OCI is the chosen tier but SECRETS_EXEC_OCI_VAULT_ID is unset', async () => {
    const env = { ...resourcePrincipalEnv(fake, keys), DB: 'secret://plain' };
    const result = await run(['--', 'sh', '-c', 'echo CHILD STARTED'], env);
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/DB: secret:\/\/plain via oci: Invalid: .*needs SECRETS_EXEC_OCI_VAULT_ID/);
    expect(fake.requests).toEqual([]);
  });

  it('detects a compute instance by its metadata and resolves secret:// with its instance principal', async () => {
    // No auth mode given: the instance principal is what is left on an instance without keys.
    const env = { ...instancePrincipalEnv(fake), SECRETS_EXEC_OCI_AUTH: '', SECRETS_EXEC_OCI_VAULT_ID: VAULT };
    const run1 = { ...env, A: 'secret://plain' };
    const result = await run(['--', printEnv], run1);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ A: VALUE });
    const byName = '/20190301/secretbundles/actions/getByName';
    expect(fake.requests.map((r) => [r.path, r.principal])).toEqual([[byName, 'instance']]);
    const detect = await run(['detect'], run1);
    expect(detect.stdout).toMatch(/^chain: oci$/m);
    expect(detect.stdout).toMatch(/^oci +probe GET \/opc\/v2\/instance\/ +yes/m);
  });

  it("signs with an instance principal, and none of the SDK's own console output reaches stderr", async () => {
    const env = { ...instancePrincipalEnv(fake), A: `oci-vault://${plainId}` };
    const result = await run(['--log-level', 'debug', '--', printEnv], env);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ A: VALUE });
    expect(fake.requests.map((r) => r.principal)).toEqual(['instance']);
    expect(result.stderr).toMatch(/console\.suppressed|signed with instance_principal/);
    expect(result.stderr).not.toMatch(/circuit breaker|DeprecationWarning|punycode/i);
    expectOnlyOurLines(result);
  });

  it('signs with an OKE workload identity obtained from the proxymux over TLS', async () => {
    const tls = generateTlsFiles();
    const proxymux = await startProxymuxFake({ tls, identity: fake.identity, serviceAccountToken: 'sa-token-e2e' });
    try {
      const tokenFile = join(keys.dir, 'sa-token');
      writeFileSync(tokenFile, 'sa-token-e2e');
      const env = {
        ...apiKeyEnv(fake, keys),
        SECRETS_EXEC_OCI_AUTH: 'oke_workload_identity',
        KUBERNETES_SERVICE_HOST: proxymux.host,
        KUBERNETES_SERVICE_PORT_PROXYMUX: proxymux.port,
        SECRETS_EXEC_OCI_KUBERNETES_TOKEN_FILE: tokenFile,
        SECRETS_EXEC_OCI_KUBERNETES_CA_FILE: tls.caCert,
        A: `oci-vault://${plainId}`,
      };
      const result = await run(['--log-level', 'debug', '--', printEnv], env);
      expect(result.status).toBe(0);
      expect(envOf(result.stdout)).toMatchObject({ A: VALUE });
      expect(fake.requests.map((r) => r.principal)).toEqual(['workload']);
      expect(result.stderr).not.toContain('sa-token-e2e');
      expectOnlyOurLines(result);
    } finally {
      await proxymux.close();
      tls.remove();
    }
  });

  it('decrypts an Ansible Vault file with a password from oci-vault://', async () => {
    const dir = join(FIXTURES, 'ansible');
    const password = readFileSync(join(dir, 'passwords', 'main.txt'), 'utf8').trim();
    const id = fake.putSecret(VAULT, 'ansible-password', `${password}\n`);
    const file = join(dir, 'vault', 'app-1.1.yml');
    const passwordFrom = ['--ansible-vault-password', `oci-vault://${id}`];
    const args = ['--ansible-vault', file, ...passwordFrom, '--log-level', 'debug', '--', printEnv];
    const result = await run(args, apiKeyEnv(fake, keys));
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ db_user: 'app', db_password: 's3cr3t-db-password' });
    expect(result.stderr).not.toContain(password);
    expect(result.stderr).not.toContain('s3cr3t-db-password');
  });
});

// Oracle's federation client reads the auth service's answer with fetch, which reads whatever comes: the
// answer is capped like every other, and a bad one is Invalid without a word of its body in the message.
describe("the instance principal's federation answer", () => {
  const marker = 'FEDERATION-BODY-MARKER-7d1c';
  it.each<[string, FaultAction, RegExp]>([
    ['larger than 1 MiB', { kind: 'oversized', marker, bytes: 3 * 1024 * 1024 }, /larger than 1048576 bytes/],
    ['an HTML page', { kind: 'wrong-content-type', marker }, /not a session token/],
    ['JSON cut short', { kind: 'malformed', marker }, /not a session token/],
    [
      'JSON without a token',
      { kind: 'answer', status: 200, headers: { 'content-type': 'application/json' }, body: `{"m":"${marker}"}` },
      /holds no session token/,
    ],
  ])('is Invalid when it is %s, and nothing of it is printed', async (_what, action, message) => {
    const front = await startFaultFront({
      target: fake.url,
      rules: [{ match: (req) => req.url?.startsWith('/v1/x509') === true, action }],
    });
    try {
      const env = {
        ...instancePrincipalEnv(fake),
        SECRETS_EXEC_OCI_FEDERATION_ENDPOINT: front.url,
        A: `oci-vault://${plainId}`,
      };
      const result = await run(['--log-level', 'debug', '--', printEnv], env);
      expect(result.status).toBe(125);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/A: oci-vault:\/\/\S+ via oci: Invalid: /);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain(marker);
      expect(front.matched()).toBeGreaterThan(0);
    } finally {
      await front.close();
    }
  });
});
