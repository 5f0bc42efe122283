// The hybrid chain (README "Detection and the chain") end to end: Vault (VAULT_ADDR) → the detected cloud → local
// store, for `secret://` references. The cloud is detected through the loopback metadata fake; tiers
// whose provider this build has are exercised against loopback stand-ins (the AWS fake, a refused Vault
// address), and a detected cloud this build lacks must stop the chain with "not available in this build".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsTestEnv as awsEnv, startAwsFake, type AwsFake } from '../fakes/aws.js';
import { startMetadataFake, type MetadataFake, type MetadataFakeOptions } from '../fakes/metadata.js';
import { closeAfterEachTest } from '../support/per-test.js';
import { FIXTURES, runBinary } from '../support/run-binary.js';

const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-chain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, 'store.json');
writeFileSync(store, JSON.stringify({ 'db-password': 'value-from-local-db', 'api-key': 'value-from-local-api' }));
const printEnv = `${FIXTURES}/print-env.sh`;
const SECRET_VALUES = /value-from-(local|aws)/;

const track = closeAfterEachTest();
const metadata = async (options: MetadataFakeOptions): Promise<MetadataFake> => track(await startMetadataFake(options));
const awsFake = async (): Promise<AwsFake> => track(await startAwsFake());

// An address where nothing listens: the port was just free, so a connection is refused at once.
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** `check --log-format json` rows by variable. */
const checkRows = (stdout: string): Record<string, { provider: string; status: string }> =>
  Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { variable: string; provider: string; status: string })
      .map((r) => [r.variable, r]),
  );
const fallbacks = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => l.includes('chain.fall_through') || l.includes('falling back to local'));

describe('the secret:// chain', () => {
  it('fails closed when nothing can serve secret://, saying everything it checked', async () => {
    const fake = await metadata({ mode: 'refused' });
    const result = await runBinary(['--', printEnv], {
      env: { SECRETS_EXEC_METADATA_URL: fake.url, DB: 'secret://db-password' },
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'error: DB: secret://db-password via none: Invalid: ' +
        'no provider found for secret://: checked VAULT_ADDR (not set)',
    );
    expect(result.stderr).toContain(
      `metadata probes at ${fake.url} (aws: connection refused, gcp: connection refused, ` +
        'oci: connection refused, ibm: connection refused), --local-file (not given)',
    );
  });

  it('serves secret:// from the local store alone when no cloud is found, and check names it', async () => {
    const fake = await metadata({ mode: 'ok-for-everything' });
    const result = await runBinary(['check', '--log-format', 'json', '--local-file', store], {
      env: { SECRETS_EXEC_METADATA_URL: fake.url, DB: 'secret://db-password' },
    });
    expect(result.status).toBe(0);
    expect(checkRows(result.stdout).DB).toMatchObject({ provider: 'local', status: 'ok' });
    expect(fallbacks(result.stderr)).toEqual([]); // the only tier: nothing fell through
    expect(result.stdout + result.stderr).not.toMatch(SECRET_VALUES);
  });

  it('stops a secret:// reference before fetching anything when two clouds are detected, naming both', async () => {
    const fake = await metadata({ clouds: ['gcp', 'ibm'] });
    const result = await runBinary(['--local-file', store, '--', printEnv], {
      env: { SECRETS_EXEC_METADATA_URL: fake.url, DB: 'secret://db-password' },
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        'error: DB: secret:\\/\\/db-password via none: Invalid: more than one cloud detected: ' +
          'gcp \\(GET \\/computeMetadata\\/v1\\/ answered\\) ' +
          'and ibm \\(PUT \\/instance_identity\\/v1\\/token answered\\)',
      ),
    );
    expect(result.stderr).not.toMatch(/local development store/);
  });

  it('refuses an unknown provider in an explicit chain as a usage error listing the known ones', async () => {
    const result = await runBinary(['--provider', 'vault,nope', '--', printEnv], {
      env: { DB: 'secret://db-password' },
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^secrets-exec: error: unknown provider 'nope' \(known: local, vault, aws, gcp, oci, ibm\)$/m,
    );
  });

  it('skips detection for a run without secret:// references and for an explicit --provider', async () => {
    const fake = await metadata({ clouds: ['aws'] });
    const plain = await runBinary(['--local-file', store, '--', printEnv], {
      env: { SECRETS_EXEC_METADATA_URL: fake.url, API: 'local://api-key' },
    });
    expect(plain.status).toBe(0);
    const explicit = await runBinary(['--provider', 'local', '--local-file', store, '--', printEnv], {
      env: { SECRETS_EXEC_METADATA_URL: fake.url, API: 'secret://api-key' },
    });
    expect(explicit.status).toBe(0);
    expect(explicit.stdout).toContain('API=value-from-local-api');
    expect(fake.requests).toEqual([]);
  });

  describe('with AWS detected by IMDSv2 and the local store', () => {
    it('answers from AWS first and falls through to the local store, with a warning, only on NotFound', async () => {
      const [imds, aws] = await Promise.all([metadata({ clouds: ['aws'] }), awsFake()]);
      aws.putSecret('db-password', 'value-from-aws-db');
      const env = {
        ...awsEnv(aws),
        SECRETS_EXEC_METADATA_URL: imds.url,
        DB: 'secret://db-password',
        API: 'secret://api-key',
      };
      const check = await runBinary(['check', '--log-format', 'json', '--local-file', store], { env });
      expect(check.status).toBe(0);
      expect(checkRows(check.stdout)).toMatchObject({ DB: { provider: 'aws' }, API: { provider: 'local' } });
      expect(fallbacks(check.stderr)).toHaveLength(1);
      expect(fallbacks(check.stderr)[0]).toMatch(
        /"level":"warn".*NotFound in aws: falling back to local.*secret:\/\/api-key/,
      );
      expect(check.stdout + check.stderr).not.toMatch(SECRET_VALUES);

      const run = await runBinary(['--local-file', store, '--', printEnv], { env });
      expect(run.stdout).toContain('DB=value-from-aws-db');
      expect(run.stdout).toContain('API=value-from-local-api');
    });

    it('does not fall through with --strict', async () => {
      const [imds, aws] = await Promise.all([metadata({ clouds: ['aws'] }), awsFake()]);
      const result = await runBinary(['--strict', '--local-file', store, '--', printEnv], {
        env: { ...awsEnv(aws), SECRETS_EXEC_METADATA_URL: imds.url, API: 'secret://api-key' },
      });
      expect(result.status).toBe(125);
      expect(result.stderr).toMatch(/error: API: secret:\/\/api-key via aws: NotFound/);
      expect(result.stderr).not.toMatch(/local development store/);
    });
  });

  describe('with Vault unreachable and the local store', () => {
    it('falls through Unavailable to the local store with a warning for each reference', async () => {
      const fake = await metadata({ mode: 'refused' });
      const env = {
        SECRETS_EXEC_METADATA_URL: fake.url,
        VAULT_ADDR: await refusedUrl(),
        VAULT_TOKEN: 'test-token',
        DB: 'secret://db-password',
        API: 'secret://api-key',
      };
      const result = await runBinary(['check', '--local-file', store], { env });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^API\s+secret:\/\/api-key\s+local\s/m);
      expect(result.stdout).toMatch(/^DB\s+secret:\/\/db-password\s+local\s/m);
      expect(fallbacks(result.stderr)).toHaveLength(2);
      for (const line of fallbacks(result.stderr))
        expect(line).toMatch(/warn: Unavailable in vault: falling back to local/);
    });
  });

  describe('with all three tiers', () => {
    it('walks Vault, then AWS, then the local store, in that order', async () => {
      const [imds, aws] = await Promise.all([metadata({ clouds: ['aws'] }), awsFake()]);
      aws.putSecret('db-password', 'value-from-aws-db');
      const env = {
        ...awsEnv(aws),
        SECRETS_EXEC_METADATA_URL: imds.url,
        VAULT_ADDR: await refusedUrl(),
        VAULT_TOKEN: 'test-token',
        DB: 'secret://db-password',
        API: 'secret://api-key',
      };
      const detect = await runBinary(['detect', '--local-file', store], { env });
      expect(detect.stdout.split('\n')[0]).toBe('chain: vault → aws → local');
      const check = await runBinary(['check', '--log-format', 'json', '--log-level', 'debug', '--local-file', store], {
        env,
      });
      expect(check.status).toBe(0);
      expect(checkRows(check.stdout)).toMatchObject({ DB: { provider: 'aws' }, API: { provider: 'local' } });
      const steps = fallbacks(check.stderr).map(
        (l) => JSON.parse(l) as { level: string; msg: string; reference: string },
      );
      expect(steps.filter((s) => s.reference === 'secret://api-key').map((s) => `${s.level} ${s.msg}`)).toEqual([
        'debug Unavailable in vault: trying aws',
        'warn NotFound in aws: falling back to local (development store)',
      ]);
      expect(check.stdout + check.stderr).not.toMatch(SECRET_VALUES);
    });
  });
});
