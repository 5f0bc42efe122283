// The IBM provider reading every secret type, versions and names from the fake Secrets Manager v2, with an
// API key exchanged at the fake IAM (every request's bearer token is verified by the fake).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IBM_TEST, ibmTestEnv, startIbmFakes, type IbmFakes } from '../../fakes/ibm/index.js';
import { expectFailure, failureOf, resolveIn, valueOf } from './support.js';
import { jsonNumber } from '../../../src/formats/exact-json.js';

const USERPASS = { username: 'dbuser', password: 'up-PASSWORD' };
const IAM_KEY = { api_key: 'iam-API-KEY', api_key_id: 'ApiKey-1', service_id: 'ServiceId-1' };
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const IMPORTED = { certificate: PEM, private_key: 'PRIVATE-KEY-PEM', intermediate: 'INTERMEDIATE-PEM' };
const PRIVATE = { certificate: 'PRIV-CERT', private_key: 'PRIV-KEY', issuing_ca: 'CA', ca_chain: ['CA-1', 'CA-2'] };
const SERVICE = {
  apikey: 'svc-APIKEY',
  iam_apikey_id: 'ApiKey-2',
  endpoints: 'https://e',
  cos_hmac_keys: { access_key_id: 'a', secret_access_key: 'b' },
};
let fakes: IbmFakes;
let env: Record<string, string>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  fakes = await startIbmFakes();
  env = ibmTestEnv(fakes);
  const put = (key: string, type: string, name: string, fields: Record<string, unknown>, labels?: string[]): void => {
    ids[key] = fakes.sm.putSecret({ type, name, fields, labels }).id;
  };
  put('arbitrary', 'arbitrary', 'db-password', { payload: 'arbitrary-S3CR3T' });
  put('base64', 'arbitrary', 'blob', { payload: Buffer.from('décodé ✓').toString('base64') }, ['encode:base64']);
  put('badBase64', 'arbitrary', 'bad-blob', { payload: 'not base64 at all!' }, ['encode:base64']);
  put('kv', 'kv', 'app-config', { data: { user: 'app', password: 'kv-PASSWORD', port: 5432 } });
  put('userpass', 'username_password', 'db-login', { ...USERPASS, password_generation_policy: { length: 32 } });
  put('iam', 'iam_credentials', 'ci-key', { ...IAM_KEY, ttl: '1d', reuse_api_key: true });
  put('imported', 'imported_cert', 'tls', { ...IMPORTED, common_name: 'example.com' });
  put('private', 'private_cert', 'internal', PRIVATE);
  put('public', 'public_cert', 'site', { certificate: 'PUB-CERT', private_key: 'PUB-KEY', intermediate: 'PUB-INT' });
  put('service', 'service_credentials', 'cos', { credentials: SERVICE });
  put('pending', 'public_cert', 'pending', { state_description: 'pre_activation' });
  ids.versioned = fakes.sm.putSecret({ type: 'arbitrary', name: 'rotated', fields: { payload: 'version-ONE' } }).id;
  ids.versionTwo = fakes.sm.addVersion(ids.versioned as string, { payload: 'version-TWO' });
  fakes.sm.putSecret({ type: 'kv', name: 'only-kv', fields: { data: { token: 'kv-only-TOKEN' } } });
  fakes.sm.putSecret({ type: 'arbitrary', name: 'team-secret', group: 'team-a', fields: { payload: 'team-VALUE' } });
});
afterAll(() => fakes.close());
afterEach(() => fakes.reset());

describe('reading each secret type by id', () => {
  it.each([
    ['arbitrary', 'arbitrary-S3CR3T'],
    ['base64', 'décodé ✓'],
  ])('gives the %s payload as text', async (key, expected) => {
    const { outcomes } = await resolveIn(env, [`ibm-sm://${ids[key]}`]);
    expect(valueOf(outcomes[0])).toBe(expected);
  });

  it.each([
    ['kv', { user: 'app', password: 'kv-PASSWORD', port: 5432 }],
    ['userpass', USERPASS],
    ['iam', IAM_KEY],
    ['imported', IMPORTED],
    ['private', PRIVATE],
    ['public', { certificate: 'PUB-CERT', private_key: 'PUB-KEY', intermediate: 'PUB-INT' }],
    ['service', SERVICE],
  ])('gives the %s secret as a JSON map', async (key, expected) => {
    const { outcomes } = await resolveIn(env, [`ibm-sm://${ids[key]}`]);
    expect(JSON.parse(valueOf(outcomes[0]))).toEqual(expected);
  });

  it('gives a kv secret with its numbers as IBM stored their text, and __proto__ as a plain key', async () => {
    // The fake writes raw JSON numbers verbatim, as the service keeps the JSON it was given.
    const data = { big: jsonNumber('12345678901234567890'), f: jsonNumber('1.10'), ['__proto__']: 'p' };
    const { id } = fakes.sm.putSecret({ type: 'kv', name: 'numbers', fields: { data } });
    const { outcomes } = await resolveIn(env, [`ibm-sm://${id}`]);
    expect(valueOf(outcomes[0])).toBe('{"big":12345678901234567890,"f":1.10,"__proto__":"p"}');
  });

  it('refuses a payload labelled encode:base64 that is not base64, without quoting it', async () => {
    const { outcomes } = await resolveIn(env, [`ibm-sm://${ids.badBase64}`]);
    expectFailure(outcomes[0], 'Invalid', /labelled encode:base64 but its payload is not base64/);
    expect(failureOf(outcomes[0]).message).not.toContain('not base64 at all!');
  });

  it('is Invalid for a certificate that has not been issued yet, naming the state', async () => {
    const { outcomes } = await resolveIn(env, [`ibm-sm://${ids.pending}`]);
    expectFailure(outcomes[0], 'Invalid', /no 'certificate'.*pre_activation/);
  });

  it('authenticates once for a batch and sends every read with a token the fake IAM issued', async () => {
    const refs = ['arbitrary', 'kv', 'userpass', 'iam', 'service'].map((k) => `ibm-sm://${ids[k]}`);
    const { outcomes } = await resolveIn(env, refs);
    expect(outcomes.map((o) => 'value' in o)).toEqual([true, true, true, true, true]);
    const grantType = 'urn:ibm:params:oauth:grant-type:apikey';
    expect(fakes.iam.requests).toEqual([{ grantType, subject: IBM_TEST.serviceId, status: 200 }]);
    const reads = fakes.sm.requests.map((r) => [r.op, r.auth, r.subject]);
    expect(reads).toEqual(refs.map(() => ['get_secret', 'ok', IBM_TEST.serviceId]));
  });
});

describe('versions', () => {
  it.each([
    ['previous', 'version-ONE', /\(previous\)$/],
    ['current', 'version-TWO', /\(current\)$/],
  ])('reads ?version=%s and reports the version id', async (version, expected, shown) => {
    const { outcomes } = await resolveIn(env, [`ibm-sm://${ids.versioned}?version=${version}`]);
    expect(valueOf(outcomes[0])).toBe(expected);
    expect((outcomes[0] as { version?: string }).version).toMatch(shown);
    expect(fakes.sm.requests.map((r) => r.op)).toEqual(['get_secret_version', 'get_secret_metadata']);
  });

  it('reads a version by its id, and is NotFound for an unknown one', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const refs = [ids.versionTwo, unknown].map((v) => `ibm-sm://${ids.versioned}?version=${v}`);
    const { outcomes } = await resolveIn(env, refs);
    expect(valueOf(outcomes[0])).toBe('version-TWO');
    expect(failureOf(outcomes[1]).kind).toBe('NotFound');
  });

  it("decodes a base64 version using the secret's labels", async () => {
    const { outcomes } = await resolveIn(env, [`ibm-sm://${ids.base64}?version=current`]);
    expect(valueOf(outcomes[0])).toBe('décodé ✓');
  });

  it('refuses a version that is neither an id nor current/previous before asking', async () => {
    const { outcomes } = await resolveIn(env, [`ibm-sm://${ids.versioned}?version=..%2Fx`]);
    expect(failureOf(outcomes[0]).kind).toBe('Invalid');
    expect(fakes.sm.requests).toEqual([]);
  });
});

describe('reading by group, type and name', () => {
  it('reads a secret by name in the default group and in a named group', async () => {
    const refs = ['ibm-sm://default/username_password/db-login', 'ibm-sm://team-a/arbitrary/team-secret'];
    const { outcomes } = await resolveIn(env, refs);
    expect(JSON.parse(valueOf(outcomes[0]))).toEqual({ username: 'dbuser', password: 'up-PASSWORD' });
    expect(valueOf(outcomes[1])).toBe('team-VALUE');
    expect(fakes.sm.requests.map((r) => r.path).sort()).toEqual([
      '/api/v2/secret_groups/default/secret_types/username_password/secrets/db-login',
      '/api/v2/secret_groups/team-a/secret_types/arbitrary/secrets/team-secret',
    ]);
  });

  it('reads a previous version of a secret found by name', async () => {
    const { outcomes } = await resolveIn(env, ['ibm-sm://default/arbitrary/rotated?version=previous']);
    expect(valueOf(outcomes[0])).toBe('version-ONE');
    expect(fakes.sm.requests.map((r) => r.op)).toEqual(['get_secret_by_name_type', 'get_secret_version']);
  });

  it('falls back to the kv secret of that name with fallback=kv, and says both were missing otherwise', async () => {
    const refs = ['ibm-sm://default/arbitrary/only-kv?fallback=kv', 'ibm-sm://default/arbitrary/nowhere?fallback=kv'];
    const { outcomes } = await resolveIn(env, refs);
    expect(JSON.parse(valueOf(outcomes[0]))).toEqual({ token: 'kv-only-TOKEN' });
    expectFailure(outcomes[1], 'NotFound', 'no arbitrary or kv secret named nowhere in secret group default');
  });

  it('is NotFound for a name of another type, without a fallback', async () => {
    const { outcomes } = await resolveIn(env, ['ibm-sm://default/arbitrary/app-config']);
    expectFailure(outcomes[0], 'NotFound', /^arbitrary secret app-config in secret group default: not found/);
  });
});
