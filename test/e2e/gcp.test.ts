// End-to-end runs of the built executable against the loopback Google fakes (issue #11): ADC with a
// service-account key (the OAuth fake verifies the RS256 assertion), the metadata server, an
// external_account (STS) and the emulator mode; every error class with exit 125 and no child; secret://
// through the chain with Google detected; an Ansible Vault password from gcp-sm://; check output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SA_EMAIL, startGoogleFakes, TEST_PROJECT, WIF_PRINCIPAL, type GoogleFakes } from '../fakes/gcp/google.js';
import { FIXTURES, runBinary, type RunResult, envOf } from '../support/run-binary.js';

const P = TEST_PROJECT;
const printEnv = `${FIXTURES}/print-env.sh`;
const VALUE = 'gcp-e2e-S3CR3T-value';
const JSON_VALUE = { user: 'app', password: 'gcp-e2e-json-PASSWORD' };
let fakes: GoogleFakes;

beforeEach(async () => {
  fakes = await startGoogleFakes();
  fakes.sm.addVersion(`projects/${P}/secrets/db`, VALUE);
  fakes.sm.addVersion(`projects/${P}/secrets/json`, JSON.stringify(JSON_VALUE));
});
afterEach(() => fakes.close());

// Runs secrets-exec with the key file and the fake's endpoint, plus `env`.
function run(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runBinary(args, { env: { ...fakes.keyFileEnv(), ...env } });
}

describe('secrets-exec with Google Secret Manager and a service-account key', () => {
  it("puts a value, a #key of a JSON secret and a regional secret into the program's environment", async () => {
    fakes.sm.addVersion(`projects/${P}/locations/europe-west1/secrets/r`, 'regional-e2e-value');
    const result = await run(['--', printEnv], {
      DB: `gcp-sm://${P}/db`,
      PASS: 'gcp-sm://json#password',
      R: `gcp-sm://projects/${P}/locations/europe-west1/secrets/r`,
    });
    expect(result.stderr).toMatch(/info: resolved 3 secrets from gcp in \d+ ms/);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ DB: VALUE, PASS: JSON_VALUE.password, R: 'regional-e2e-value' });
    expect(fakes.oauth.requests).toEqual([
      expect.objectContaining({ path: '/token', status: 200, outcome: `issued to ${SA_EMAIL}` }),
    ]);
    expect(fakes.sm.requests.map((r) => r.identity)).toEqual([SA_EMAIL, SA_EMAIL, SA_EMAIL]);
  });

  it('loads every key of a JSON secret with --load, and leaves an ?optional missing one unset', async () => {
    const result = await run(['--load', 'gcp-sm://json?upcase', '--', printEnv], { GONE: 'gcp-sm://gone?optional' });
    expect(result.status).toBe(0);
    const env = envOf(result.stdout);
    expect(env).toMatchObject({ USER: 'app', PASSWORD: JSON_VALUE.password });
    expect(env.GONE).toBeUndefined();
  });

  it('shows the version in check, and no value', async () => {
    fakes.sm.addVersion(`projects/${P}/secrets/db`, 'check-VALUE-xyz');
    const result = await run(['check'], { V: 'gcp-sm://db' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/V\s.*gcp-sm:\/\/db.*gcp.*\b2\b/);
    expect(result.stdout).not.toContain('check-VALUE-xyz');
  });

  it('retries a throttled request and then succeeds', async () => {
    fakes.sm.inject('throttle', 1);
    const result = await run(['--', printEnv], { DB: 'gcp-sm://db' });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout).DB).toBe(VALUE);
    expect(fakes.sm.requests.map((r) => r.status)).toEqual([429, 200]);
  });
});

describe('secrets-exec fails closed on every error class', () => {
  const cases: Array<[string, () => void, string[], RegExp]> = [
    [
      'NotFound for a missing secret',
      () => undefined,
      [],
      /X: gcp-sm:\/\/x via gcp: NotFound: no secret version projects\/se-test-project\/secrets\/x\/versions\/latest/,
    ],
    [
      'NotFound for a disabled version',
      () => void fakes.sm.addVersion(`projects/${P}/secrets/x`, 'gcp-e2e-DISABLED-value', 'DISABLED'),
      [],
      /NotFound: version projects\/se-test-project\/secrets\/x\/versions\/latest is DISABLED/,
    ],
    [
      'Denied when IAM refuses',
      () => {
        fakes.sm.addVersion(`projects/${P}/secrets/x`, 'gcp-e2e-DENIED-value');
        fakes.sm.deny(`projects/${P}/secrets/x`, SA_EMAIL);
      },
      [],
      /Denied: permission denied: .* needs secretmanager\.versions\.access on projects\/se-test-project\/secrets\/x/,
    ],
    [
      'Denied when the token endpoint refuses the key',
      () => fakes.oauth.disableKey(SA_EMAIL),
      [],
      /Denied: credentials rejected: no access token for GOOGLE_APPLICATION_CREDENTIALS/,
    ],
    [
      'Unavailable after the retries on 500',
      () => {
        fakes.sm.addVersion(`projects/${P}/secrets/x`, 'v');
        fakes.sm.inject('internal');
      },
      [],
      /Unavailable: Secret Manager answered 500 INTERNAL/,
    ],
    [
      'Timeout when no answer comes before --timeout',
      () => {
        fakes.sm.slow = true;
      },
      ['--timeout', '500ms'],
      /X: gcp-sm:\/\/x via gcp: Timeout: /,
    ],
    [
      'Invalid when the CRC32C does not match',
      () => {
        fakes.sm.addVersion(`projects/${P}/secrets/x`, 'gcp-e2e-CORRUPT-value');
        fakes.sm.corruptChecksum(`projects/${P}/secrets/x`, 1);
      },
      [],
      /Invalid: the payload of .* fails its CRC32C check/,
    ],
  ];
  it.each(cases)('%s: exit 125, no program, no value at --log-level debug', async (_, arrange, extra, message) => {
    arrange();
    const result = await run([...extra, '--log-level', 'debug', '--', printEnv], {
      X: 'gcp-sm://x',
      DB: 'gcp-sm://db',
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    for (const secret of [
      VALUE,
      'gcp-e2e-DISABLED-value',
      'gcp-e2e-DENIED-value',
      'gcp-e2e-CORRUPT-value',
      'PRIVATE KEY',
      ...fakes.authority.issued.map((t) => t.token),
    ]) {
      expect(result.stderr).not.toContain(secret);
    }
  });
});

describe('secrets-exec with other ADC sources', () => {
  it('gets a token from the metadata server (Metadata-Flavor: Google) and its project id', async () => {
    const result = await runBinary(['--', printEnv], {
      env: {
        METADATA_SERVER_DETECTION: 'ping-only',
        GCE_METADATA_HOST: fakes.metadata.host,
        SECRETS_EXEC_GCP_ENDPOINT: fakes.sm.url,
        DB: 'gcp-sm://db',
      },
    });
    expect(result.stderr).not.toMatch(/error/);
    expect(envOf(result.stdout).DB).toBe(VALUE);
    expect(fakes.metadata.requests.every((r) => r.flavor && r.status === 200)).toBe(true);
    expect(fakes.sm.requests[0]?.identity).toMatch(/-compute@developer\.gserviceaccount\.com$/);
  });

  it('asks the metadata server nothing when the credentials are explicit, even where it answers', async () => {
    const result = await run(['--', printEnv], {
      METADATA_SERVER_DETECTION: 'ping-only',
      GCE_METADATA_HOST: fakes.metadata.host,
      DB: 'gcp-sm://db',
    });
    expect(envOf(result.stdout).DB).toBe(VALUE);
    expect(fakes.metadata.requests).toEqual([]);
  });

  it('exchanges a workload identity federation subject token at STS (external_account)', async () => {
    const result = await runBinary(['--', printEnv], {
      env: {
        GOOGLE_APPLICATION_CREDENTIALS: fakes.externalAccountFile,
        GOOGLE_CLOUD_PROJECT: P,
        SECRETS_EXEC_GCP_ENDPOINT: fakes.sm.url,
        DB: 'gcp-sm://db',
      },
    });
    expect(envOf(result.stdout).DB).toBe(VALUE);
    expect(fakes.sm.requests[0]?.identity).toBe(WIF_PRINCIPAL);
  });

  it('talks to SECRET_MANAGER_EMULATOR_HOST without credentials, with a warning', async () => {
    fakes.sm.emulator = true;
    const result = await runBinary(['--', printEnv], {
      env: { SECRET_MANAGER_EMULATOR_HOST: fakes.sm.host, GOOGLE_CLOUD_PROJECT: P, DB: 'gcp-sm://db' },
    });
    expect(envOf(result.stdout).DB).toBe(VALUE);
    expect(result.stderr).toMatch(/warn: SECRET_MANAGER_EMULATOR_HOST is set/);
    expect(fakes.sm.requests.map((r) => r.auth)).toEqual(['missing']);
    expect(fakes.oauth.requests).toHaveLength(0);
  });

  it('says where ADC looked when there are no credentials', async () => {
    const result = await runBinary(['--', printEnv], {
      env: { SECRETS_EXEC_GCP_ENDPOINT: fakes.sm.url, DB: `gcp-sm://${P}/db` },
    });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(
      /Denied: no Google credentials: Application Default Credentials looked at GOOGLE_APPLICATION_CREDENTIALS/,
    );
    expect(fakes.sm.requests).toHaveLength(0);
  });
});

describe('secret:// and Ansible Vault through Google', () => {
  it('resolves secret://NAME in Google when a Cloud Run job is detected', async () => {
    const check = await run(['check', '--log-format', 'json'], {
      CLOUD_RUN_JOB: 'nightly',
      DB: 'secret://db',
      PASS: 'secret://json#password',
    });
    expect(check.status).toBe(0);
    const rows = check.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { variable: string; provider: string });
    expect(rows.map((r) => [r.variable, r.provider]).sort()).toEqual([
      ['DB', 'gcp'],
      ['PASS', 'gcp'],
    ]);
    const result = await run(['--', printEnv], { CLOUD_RUN_JOB: 'nightly', DB: 'secret://db' });
    expect(envOf(result.stdout).DB).toBe(VALUE);
    expect(fakes.sm.requests.at(-1)?.path).toBe(`/v1/projects/${P}/secrets/db/versions/latest:access`);
  });

  it('refuses secret:// names Google cannot hold, saying why', async () => {
    const result = await run(['--', printEnv], { CLOUD_RUN_JOB: 'nightly', DB: 'secret://app/db' });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(
      /Invalid: 'app\/db' cannot be a Google secret name: Google secret names hold only letters, digits, _ and -/,
    );
  });

  it('decrypts an Ansible Vault file with a password from gcp-sm://', async () => {
    const dir = join(FIXTURES, 'ansible');
    const password = readFileSync(join(dir, 'passwords', 'main.txt'), 'utf8');
    fakes.sm.addVersion(`projects/${P}/secrets/ansible-password`, password);
    const result = await run([
      '--ansible-vault',
      join(dir, 'vault', 'app-1.1.yml'),
      '--ansible-vault-password',
      'gcp-sm://ansible-password',
      '--log-level',
      'debug',
      '--',
      printEnv,
    ]);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ db_password: 's3cr3t-db-password' });
    expect(result.stderr).not.toContain(password.trim());
    expect(result.stderr).not.toContain('s3cr3t-db-password');
  });
});
