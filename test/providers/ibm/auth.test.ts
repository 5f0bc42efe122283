// The IBM provider's authentication, each through ibm-cloud-sdk-core's own authenticator against the loopback
// fakes: API key (SECRETS_MANAGER_APIKEY or IBM_CLOUD_APIKEY), trusted profile with a compute-resource token
// file (container), trusted profile from the VPC instance metadata service (vpc), and a bearer token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultFront } from '../../fakes/fault-front.js';
import { IBM_TEST, ibmTestEnv, startIbmFakes, type IbmFakes } from '../../fakes/ibm/index.js';
import { expectFailure, failureOf, resolveIn, valueOf } from './support.js';

let fakes: IbmFakes;
let ref: string;
const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-ibm-auth-'));
const crTokenFile = join(dir, 'token');
// Kubernetes writes projected tokens without a trailing newline, and the core sends the file as it is.
writeFileSync(crTokenFile, IBM_TEST.crToken);
const CR_GRANT = 'urn:ibm:params:oauth:grant-type:cr-token';

beforeAll(async () => {
  fakes = await startIbmFakes();
  const { id } = fakes.sm.putSecret({ type: 'arbitrary', name: 'auth-test', fields: { payload: 'auth-VALUE' } });
  ref = `ibm-sm://${id}`;
});
afterAll(async () => {
  await fakes.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => fakes.reset());

const base = (): Record<string, string> => ({
  SECRETS_MANAGER_URL: fakes.sm.url,
  SECRETS_MANAGER_AUTH_URL: fakes.iam.url,
});

describe('API key (auth type iam)', () => {
  it('takes IBM_CLOUD_APIKEY when SECRETS_MANAGER_APIKEY is not set', async () => {
    const { outcomes } = await resolveIn({ ...base(), IBM_CLOUD_APIKEY: IBM_TEST.apikey }, [ref]);
    expect(valueOf(outcomes[0])).toBe('auth-VALUE');
    expect(fakes.sm.requests[0]?.subject).toBe(IBM_TEST.serviceId);
  });

  it('prefers SECRETS_MANAGER_APIKEY over IBM_CLOUD_APIKEY', async () => {
    const { outcomes } = await resolveIn({ ...ibmTestEnv(fakes), IBM_CLOUD_APIKEY: 'some-other-key' }, [ref]);
    expect(valueOf(outcomes[0])).toBe('auth-VALUE');
  });

  it('is Denied for an unknown key, naming auth type, variable and IAM error code, never the key', async () => {
    const { outcomes, lines } = await resolveIn({ ...base(), SECRETS_MANAGER_APIKEY: 'wrong-key-VALUE-123' }, [ref]);
    expectFailure(
      outcomes[0],
      'Denied',
      'no IAM token (auth type iam (API key), credential from SECRETS_MANAGER_APIKEY): ' +
        'HTTP 400 BXNIM0415E: "Provided API key could not be found."',
    );
    expect(failureOf(outcomes[0]).message + lines.join('')).not.toContain('wrong-key-VALUE-123');
    expect(fakes.sm.requests).toEqual([]);
  });

  it('is Unavailable when IAM answers 500 (retried by the engine), and works once IAM recovers', async () => {
    fakes.iam.failNext(500);
    const first = await resolveIn(ibmTestEnv(fakes), [ref]);
    expectFailure(first.outcomes[0], 'Unavailable', /token service answered HTTP 500/);
    const second = await resolveIn(ibmTestEnv(fakes), [ref]);
    expect(valueOf(second.outcomes[0])).toBe('auth-VALUE');
  });

  it.each([
    ['an answer cut mid-body', { kind: 'reset-mid-body' }, 'Unavailable', /answer was cut short/],
    ['JSON cut off', { kind: 'malformed', marker: 'IAM-BODY-TEXT' }, 'Invalid', /answer holds none/],
    ['an HTML page', { kind: 'wrong-content-type', marker: 'IAM-BODY-TEXT' }, 'Invalid', /answer holds none/],
    [
      'a 9 MiB answer',
      { kind: 'oversized', marker: 'IAM-BODY-TEXT', bytes: 9 << 20 },
      'Invalid',
      /answer is larger than 1048576 bytes/,
    ],
  ] as const)('classifies %s from IAM, never quoting the body', async (_what, action, kind, message) => {
    const front = await startFaultFront({ target: fakes.iam.url, rules: [{ match: () => true, action }] });
    try {
      const { outcomes, lines } = await resolveIn({ ...ibmTestEnv(fakes), SECRETS_MANAGER_AUTH_URL: front.url }, [ref]);
      expectFailure(outcomes[0], kind, message);
      expect(failureOf(outcomes[0]).message + lines.join('')).not.toMatch(/IAM-BODY-TEXT|SyntaxError/);
      expect(fakes.sm.requests).toEqual([]);
    } finally {
      await front.close();
    }
  });

  it("is throttling when IAM answers 429 (retried until the deadline), like Secrets Manager's 429", async () => {
    fakes.iam.failNext(429);
    const { outcomes } = await resolveIn(ibmTestEnv(fakes), [ref]);
    expectFailure(outcomes[0], 'Unavailable', /token service answered HTTP 429/);
    expect(outcomes[0]).toMatchObject({ throttled: true });
  });

  it('is Unavailable when nothing listens at the IAM address', async () => {
    const env = { ...ibmTestEnv(fakes), SECRETS_MANAGER_AUTH_URL: 'http://127.0.0.1:1' };
    const { outcomes } = await resolveIn(env, [ref]);
    expectFailure(outcomes[0], 'Unavailable', /cannot get an IAM token \(auth type iam.*ECONNREFUSED/);
  });
});

describe('trusted profile with a compute-resource token (auth type container)', () => {
  const containerEnv = (extra: Record<string, string>): Record<string, string> => ({
    ...base(),
    SECRETS_MANAGER_AUTH_TYPE: 'container',
    SECRETS_MANAGER_CR_TOKEN_FILENAME: crTokenFile,
    ...extra,
  });
  const byId = { SECRETS_MANAGER_IAM_PROFILE_ID: IBM_TEST.profile.id };

  it.each([
    ['profile id', byId],
    ['profile name', { SECRETS_MANAGER_IAM_PROFILE_NAME: IBM_TEST.profile.name }],
  ])('exchanges the token file for an IAM token of the trusted profile (%s)', async (_, extra) => {
    const { outcomes } = await resolveIn(containerEnv(extra), [ref]);
    expect(valueOf(outcomes[0])).toBe('auth-VALUE');
    expect(fakes.iam.requests).toEqual([{ grantType: CR_GRANT, subject: IBM_TEST.profile.id, status: 200 }]);
    expect(fakes.sm.requests[0]?.subject).toBe(IBM_TEST.profile.id);
  });

  it('is the default auth type when no API key is given', async () => {
    const env = containerEnv(byId);
    delete env.SECRETS_MANAGER_AUTH_TYPE;
    const { outcomes } = await resolveIn(env, [ref]);
    expect(valueOf(outcomes[0])).toBe('auth-VALUE');
  });

  it('is Denied naming the auth type when the profile does not trust the compute resource', async () => {
    const other = join(dir, 'other-token');
    writeFileSync(other, 'a-token-iam-never-issued');
    const { outcomes } = await resolveIn(containerEnv({ ...byId, SECRETS_MANAGER_CR_TOKEN_FILENAME: other }), [ref]);
    expectFailure(outcomes[0], 'Denied', /auth type container .*HTTP 400 BXNIM0438E/);
  });

  it('is Denied naming the auth type when the token file cannot be read', async () => {
    const missing = join(dir, 'missing');
    const { outcomes } = await resolveIn(containerEnv({ ...byId, SECRETS_MANAGER_CR_TOKEN_FILENAME: missing }), [ref]);
    expectFailure(outcomes[0], 'Denied', /auth type container/);
  });

  it('is Invalid, saying what to set, without a trusted profile', async () => {
    const { outcomes } = await resolveIn(containerEnv({}), [ref]);
    const hint = /auth type container: .*SECRETS_MANAGER_IAM_PROFILE_NAME or SECRETS_MANAGER_IAM_PROFILE_ID/;
    expectFailure(outcomes[0], 'Invalid', hint);
    expect(fakes.iam.requests).toEqual([]);
  });
});

describe('trusted profile of a VPC instance (auth type vpc)', () => {
  const vpcEnv = (extra: Record<string, string>): Record<string, string> => ({
    SECRETS_MANAGER_URL: fakes.sm.url,
    SECRETS_MANAGER_AUTH_TYPE: 'vpc',
    ...extra,
  });

  it('gets an instance identity token, then an IAM token for the profile, from the metadata service', async () => {
    const env = vpcEnv({
      SECRETS_MANAGER_AUTH_TYPE: 'VPC',
      SECRETS_MANAGER_AUTH_URL: fakes.vpc.url,
      SECRETS_MANAGER_IAM_PROFILE_CRN: IBM_TEST.profile.crn,
    });
    const { outcomes } = await resolveIn(env, [ref]);
    expect(valueOf(outcomes[0])).toBe('auth-VALUE');
    expect(fakes.vpc.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'PUT /instance_identity/v1/token 200',
      'POST /instance_identity/v1/iam_token 200',
    ]);
    expect(fakes.sm.requests[0]?.subject).toBe(IBM_TEST.profile.id);
  });

  it('finds the metadata service at SECRETS_EXEC_METADATA_URL when no auth URL is set', async () => {
    const { outcomes } = await resolveIn(vpcEnv({ SECRETS_EXEC_METADATA_URL: fakes.vpc.url }), [ref]);
    expect(valueOf(outcomes[0])).toBe('auth-VALUE');
  });

  it('is Denied for a profile not linked to the instance', async () => {
    const env = vpcEnv({
      SECRETS_MANAGER_AUTH_URL: fakes.vpc.url,
      SECRETS_MANAGER_IAM_PROFILE_ID: 'Profile-not-linked',
    });
    const { outcomes } = await resolveIn(env, [ref]);
    expectFailure(outcomes[0], 'Denied', /auth type vpc .*HTTP 400/);
  });
});

describe('bearer token (auth type bearerToken)', () => {
  it("sends the given token, and Secrets Manager's 401 for a forged or expired one is Denied", async () => {
    const good = fakes.issuer.issue(IBM_TEST.serviceId, 'urn:ibm:params:oauth:grant-type:apikey');
    const expired = fakes.issuer.issue(IBM_TEST.serviceId, 'urn:ibm:params:oauth:grant-type:apikey', -60);
    const env = (token: string): Record<string, string> => ({
      SECRETS_MANAGER_URL: fakes.sm.url,
      SECRETS_MANAGER_AUTH_TYPE: 'bearerToken',
      SECRETS_MANAGER_BEARER_TOKEN: token,
    });
    expect(valueOf((await resolveIn(env(good), [ref])).outcomes[0])).toBe('auth-VALUE');
    for (const token of [expired, `${good.slice(0, -4)}AAAA`]) {
      const { outcomes } = await resolveIn(env(token), [ref]);
      expectFailure(outcomes[0], 'Denied', /rejected the IAM access token \(HTTP 401\)/);
      expect(failureOf(outcomes[0]).message).not.toContain(token);
    }
    expect(fakes.sm.requests.map((r) => r.auth)).toEqual(['ok', 'expired', 'bad signature']);
    expect(fakes.iam.requests).toEqual([]);
  });
});
