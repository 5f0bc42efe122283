// End-to-end runs of the built executable against the loopback AWS fake (which verifies every SigV4
// signature), with explicit test credentials, AWS_ENDPOINT_URL at the fake and no metadata service.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AWS_TEST_CREDENTIALS, awsTestEnv, startAwsFake, type AwsFake } from '../fakes/aws.js';
import { FIXTURES, runBinary, type RunResult, envOf } from '../support/run-binary.js';

const printEnv = `${FIXTURES}/print-env.sh`;

const VALUE = 'aws-e2e-S3CR3T-value';
const JSON_VALUE = { user: 'app', password: 'aws-e2e-json-PASSWORD' };
let fake: AwsFake;

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => fake.reset());

// Runs secrets-exec with the fake's endpoint and test credentials, plus `env`.
function run(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runBinary(args, {
    env: { ...awsTestEnv(fake), ...env },
  });
}

describe('secrets-exec with AWS Secrets Manager', () => {
  beforeAll(() => {
    fake.putSecret('app/db', VALUE);
    fake.putSecret('app/json', JSON_VALUE);
    fake.putSecret('app/bin', Buffer.from('binary-✓-value'));
    fake.putSecret('app/denied', 'aws-e2e-DENIED-value');
    fake.deny('app/denied');
    for (let i = 0; i < 100; i++) fake.putSecret(`bulk/s${i}`, `bulk-value-${i}`);
  });

  it("puts a found secret, a #key of a JSON secret and a binary secret into the program's environment", async () => {
    const result = await run(['--', printEnv], {
      DB: 'aws-sm://app/db',
      PASS: 'aws-sm://app/json#password',
      BIN: 'aws-sm://app/bin',
    });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ DB: VALUE, PASS: JSON_VALUE.password, BIN: 'binary-✓-value' });
    expect(result.stderr).toMatch(/info: resolved 3 secrets from aws in \d+ ms/);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.auth === 'ok')).toBe(true);
  });

  it('hands numbers on as their JSON text through #KEY and --load, and loads a constructor key', async () => {
    fake.putSecret('app/numbers', '{"big": 9007199254740993, "ratio": 1.10, "tiny": 1E-7, "constructor": "c"}');
    const result = await run(['--load', 'aws-sm://app/numbers?prefix=N_', '--', printEnv], {
      BIG: 'aws-sm://app/numbers#big',
    });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({
      BIG: '9007199254740993',
      N_big: '9007199254740993',
      N_ratio: '1.10',
      N_tiny: '1E-7',
      N_constructor: 'c',
    });
  });

  it('loads every key of a JSON secret with --load', async () => {
    const result = await run(['--load', 'aws-sm://app/json?upcase', '--', printEnv]);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ USER: 'app', PASSWORD: JSON_VALUE.password });
  });

  it('resolves secret://NAME through Secrets Manager when aws is the chosen provider', async () => {
    const result = await run(['--provider', 'aws', '--', printEnv], {
      DB: 'secret://app/db',
      PASS: 'secret://app/json#password',
    });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ DB: VALUE, PASS: JSON_VALUE.password });
    expect(fake.count('secretsmanager.BatchGetSecretValue')).toBe(1);
  });

  it('accepts a bare secretsmanager ARN value', async () => {
    const arn = fake.putSecret('app/by-arn', 'by-arn-value').arn;
    const result = await run(['--', printEnv], { BY_ARN: arn });
    expect(envOf(result.stdout)).toMatchObject({ BY_ARN: 'by-arn-value' });
  });

  it(
    'exits 125 without starting the program when a secret is missing, ' +
      'naming variable, reference, provider and kind',
    async () => {
      const result = await run(['--', printEnv], { DB: 'aws-sm://app/db', GONE: 'aws-sm://app/gone' });
      expect(result.status).toBe(125);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        new RegExp(
          '^secrets-exec: error: GONE: aws-sm:\\/\\/app\\/gone via aws: NotFound: ' +
            '.*ResourceNotFoundException.*\\[region us-east-1\\]$',
          'm',
        ),
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('exits 125 on a denied secret, naming the missing permission and never the value', async () => {
    const result = await run(['--', printEnv], { DENIED: 'aws-sm://app/denied' });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        'DENIED: aws-sm:\\/\\/app\\/denied via aws: Denied: ' +
          'access denied: the caller lacks the IAM permission secretsmanager:GetSecretValue',
      ),
    );
    expect(result.stderr).not.toContain('aws-e2e-DENIED-value');
  });

  it('retries a throttled request and then succeeds', async () => {
    fake.inject({ mode: 'throttle', times: 1 });
    const result = await run(['--', printEnv], { DB: 'aws-sm://app/db' });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ DB: VALUE });
    expect(fake.requests.map((r) => r.status)).toEqual([400, 200]);
  });

  it('retries throttling until the --timeout deadline, not a fixed few times, then fails closed', async () => {
    fake.inject({ mode: 'throttle' });
    // 5 s: the first five waits (full jitter, up to 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s) fit even at their longest, so
    // the sixth try is certain on a loaded machine too (with 3 s it was not, once).
    const result = await run(['--timeout', '5s', '--', printEnv], { DB: 'aws-sm://app/db' });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/DB: aws-sm:\/\/app\/db via aws: (Unavailable|Timeout)/);
    // Five quick tries would be all an Unavailable that is not throttling gets.
    expect(fake.requests.length).toBeGreaterThan(5);
  });

  it('is Unavailable after the retries when AWS answers 500, and starts nothing', async () => {
    fake.inject({ mode: 'internal' });
    const result = await run(['--', printEnv], { DB: 'aws-sm://app/db' });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/DB: aws-sm:\/\/app\/db via aws: Unavailable: .*InternalServiceError, HTTP 500/);
    expect(fake.requests.length).toBe(4); // the central retry policy's attempts; the SDK itself makes one
  });

  it('is a Timeout when AWS answers after the --timeout deadline', async () => {
    fake.latencyMs = 3_000;
    const result = await run(['--timeout', '300ms', '--', printEnv], { DB: 'aws-sm://app/db' });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/DB: aws-sm:\/\/app\/db via aws: Timeout: /);
  });

  it.each([25, 100])('fetches %i references with ceil(n/20) BatchGetSecretValue calls', async (n) => {
    const env = Object.fromEntries(Array.from({ length: n }, (_, i) => [`BULK_${i}`, `aws-sm://bulk/s${i}`]));
    const result = await run(['--', printEnv], env);
    expect(result.status).toBe(0);
    const got = envOf(result.stdout);
    for (let i = 0; i < n; i++) expect(got[`BULK_${i}`]).toBe(`bulk-value-${i}`);
    expect(fake.count('secretsmanager.BatchGetSecretValue')).toBe(Math.ceil(n / 20));
    expect(fake.count('secretsmanager.GetSecretValue')).toBe(0);
  });

  it('shows VersionId and stage in check, and no value', async () => {
    const { versionId } = fake.putSecret('app/versioned', 'check-VALUE-xyz');
    const result = await run(['check'], { V: 'aws-sm://app/versioned' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${versionId} (AWSCURRENT)`);
    expect(result.stdout).not.toContain('check-VALUE-xyz');
  });

  it('never writes a value to stderr at --log-level debug, in text or JSON', async () => {
    for (const format of ['text', 'json']) {
      const result = await run(['--log-level', 'debug', '--log-format', format, '--', printEnv], {
        DB: 'aws-sm://app/db',
        PASS: 'aws-sm://app/json#password',
        JSON: 'aws-sm://app/json',
        DENIED_OPT: 'aws-sm://app/gone?optional',
      });
      expect(result.status).toBe(0);
      expect(result.stderr).toMatch(/secretsmanager:BatchGetSecretValue/);
      for (const secret of [VALUE, JSON_VALUE.password, AWS_TEST_CREDENTIALS.secretAccessKey])
        expect(result.stderr).not.toContain(secret);
      expect(envOf(result.stdout)).toMatchObject({ DB: VALUE });
    }
  });
});

describe('secrets-exec with AWS SSM Parameter Store', () => {
  it('resolves String and SecureString parameters, by name and by bare ARN', async () => {
    fake.putParameter('/e2e/host', 'db.internal');
    const { arn } = fake.putParameter('/e2e/pass', 'ssm-e2e-PASS', { type: 'SecureString' });
    const result = await run(['--', printEnv], { HOST: 'aws-ssm:///e2e/host', PASS: arn });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ HOST: 'db.internal', PASS: 'ssm-e2e-PASS' });
    expect(fake.requests.map((r) => r.target)).toEqual(['AmazonSSM.GetParameters']);
  });

  it('says an AWS_PROFILE that names no profile is missing, not that there is no region', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-aws-profile-'));
    try {
      writeFileSync(join(dir, 'config'), '[profile other]\nregion = eu-west-1\n');
      const { AWS_REGION: _, ...env } = awsTestEnv(fake);
      const result = await runBinary(['--', printEnv], {
        env: { ...env, AWS_PROFILE: 'missing', AWS_CONFIG_FILE: join(dir, 'config'), HOST: 'aws-ssm:///e2e/host' },
      });
      expect(result.status).toBe(125);
      expect(result.stderr).toContain(
        `HOST: aws-ssm:///e2e/host via aws: Invalid: the AWS profile 'missing' (AWS_PROFILE) is missing: ` +
          `it is in neither ${join(dir, 'config')} nor /nonexistent/aws-credentials (not found)`,
      );
      expect(result.stderr).not.toMatch(/no AWS region/);
      expect(fake.requests).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ AWS_REGION: '' }, 'aws-ssm:///e2e/host', /AWS_REGION is set but empty: set it to a region such as eu-west-1/],
    [{}, 'aws-ssm:///e2e/host?region=us-east-1x', /\?region=: "us-east-1x" is not an AWS region name/],
    [{}, 'aws-sm://app/db?region=..%2Fx', /\?region=: "\.\.\/x" is not an AWS region name/],
    [{ AWS_REGION: 'foo bar' }, 'aws-sm://app/db', /AWS_REGION "foo bar" is not an AWS region name/],
  ])('says what is wrong with the region (%j, %s), asks nothing and starts nothing', async (env, ref, message) => {
    const result = await run(['--', printEnv], { ...env, HOST: ref });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/the AWS SDK failed/);
    expect(fake.requests).toHaveLength(0);
  });

  it("says so when the AWS profile's region is no region name", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-aws-region-'));
    try {
      writeFileSync(join(dir, 'config'), '[default]\nregion = ../x\n');
      const { AWS_REGION: _, ...env } = awsTestEnv(fake);
      const result = await runBinary(['--', printEnv], {
        env: { ...env, AWS_CONFIG_FILE: join(dir, 'config'), HOST: 'aws-ssm:///e2e/host' },
      });
      expect(result.status).toBe(125);
      expect(result.stderr).toMatch(
        /Invalid: the AWS region is not a region name \(check the region of the AWS profile/,
      );
      expect(fake.requests).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 125 for a missing parameter', async () => {
    const result = await run(['--', printEnv], { NOPE: 'aws-ssm:///e2e/nope' });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/NOPE: aws-ssm:\/\/\/e2e\/nope via aws: NotFound: no such parameter/);
  });
});
