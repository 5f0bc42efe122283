// The AWS provider's Secrets Manager side, in-process, with the real SDK against the loopback fake that
// verifies every SigV4 signature: values, batching, versions, regions, and the error mapping of issue #3.
import { describe, expect, it } from 'vitest';
import { isFetched } from '../../../src/resolve/types.js';
import { awsProvider } from '../../../src/providers/aws/aws.js';
import { parseReference } from '../../../src/refs/index.js';
import { ACCOUNT } from '../../fakes/aws.js';
import { awsContext, current, errorOf, resolveRefs, useAwsFake, valueOf } from '../../support/aws.js';

useAwsFake();
const batchBodies = () =>
  current.fake.requests
    .filter((r) => r.target === 'secretsmanager.BatchGetSecretValue')
    .map((r) => (r.body as { SecretIdList: string[] }).SecretIdList);

describe('awsProvider.resolve for aws-sm://', () => {
  it('fetches a text secret, a JSON secret as its raw JSON text and a UTF-8 binary secret', async () => {
    current.fake.putSecret('app/db', 'pa55-word');
    current.fake.putSecret('app/json', { user: 'u', password: 'p' });
    current.fake.putSecret('app/bin', Buffer.from('bytes ✓ utf-8'));
    const [text, json, bin] = await resolveRefs(['aws-sm://app/db', 'aws-sm://app/json', 'aws-sm://app/bin']);
    expect(valueOf(text)).toBe('pa55-word');
    expect(JSON.parse(valueOf(json))).toEqual({ user: 'u', password: 'p' });
    expect(valueOf(bin)).toBe('bytes ✓ utf-8');
    expect(
      current.fake.requests.every((r) => r.auth === 'ok' && r.service === 'secretsmanager' && r.region === 'us-east-1'),
    ).toBe(true);
  });

  it('refuses a binary secret that is not UTF-8, saying that env values are text', async () => {
    current.fake.putSecret('app/blob', Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    const error = errorOf((await resolveRefs(['aws-sm://app/blob']))[0]);
    expect(error.kind).toBe('Invalid');
    expect(error.message).toMatch(/not valid UTF-8.*environment values are text/);
  });

  it('reports the VersionId and stages as the version', async () => {
    const { versionId } = current.fake.putSecret('app/db', 'v1');
    const [outcome] = await resolveRefs(['aws-sm://app/db']);
    expect(outcome && isFetched(outcome) ? outcome.version : undefined).toBe(`${versionId} (AWSCURRENT)`);
  });

  it.each([
    [25, [20, 5]],
    [100, [20, 20, 20, 20, 20]],
  ])('fetches %i secrets with ceil(n/20) BatchGetSecretValue calls made in parallel', async (n, sizes) => {
    for (let i = 0; i < n; i++) current.fake.putSecret(`s${i}`, `value-${i}`);
    current.fake.latencyMs = 200; // long enough that every call of the run is in flight at once
    const outcomes = await resolveRefs(Array.from({ length: n }, (_, i) => `aws-sm://s${i}`));
    expect(outcomes.map(valueOf)).toEqual(Array.from({ length: n }, (_, i) => `value-${i}`));
    expect(
      batchBodies()
        .map((ids) => ids.length)
        .sort((a, b) => b - a),
    ).toEqual(sizes);
    expect(current.fake.count('secretsmanager.GetSecretValue')).toBe(0);
    expect(current.fake.peakInFlight).toBe(sizes.length);
  });

  it('turns ids listed in Errors[] into NotFound for exactly those references', async () => {
    current.fake.putSecret('here', 'v');
    current.fake.putSecret('also-here', 'w');
    const [here, gone, also] = await resolveRefs(['aws-sm://here', 'aws-sm://gone', 'aws-sm://also-here']);
    expect(valueOf(here)).toBe('v');
    expect(valueOf(also)).toBe('w');
    expect(errorOf(gone)).toMatchObject({
      kind: 'NotFound',
      message: expect.stringMatching(/ResourceNotFoundException/),
    });
    expect(current.fake.count('secretsmanager.BatchGetSecretValue')).toBe(1);
  });

  it('uses GetSecretValue for a lone reference', async () => {
    current.fake.putSecret('only', 'v');
    expect(valueOf((await resolveRefs(['aws-sm://only']))[0])).toBe('v');
    expect(current.fake.requests.map((r) => r.target)).toEqual(['secretsmanager.GetSecretValue']);
  });

  it('asks for a stage with VersionStage and for a UUID with VersionId', async () => {
    const first = current.fake.putSecret('rotated', 'old');
    current.fake.putSecret('rotated', 'new');
    current.fake.putSecret('rotated', 'staged', { stages: ['BLUE'] });
    const [previous, byId, custom, latest] = await resolveRefs([
      'aws-sm://rotated?version=AWSPREVIOUS',
      `aws-sm://rotated?version=${first.versionId}`,
      'aws-sm://rotated?version=BLUE',
      'aws-sm://rotated',
    ]);
    expect([previous, byId, custom, latest].map(valueOf)).toEqual(['old', 'old', 'staged', 'new']);
    const gets = current.fake.requests.filter((r) => r.target === 'secretsmanager.GetSecretValue').map((r) => r.body);
    expect(gets).toEqual(
      expect.arrayContaining([
        { SecretId: 'rotated', VersionStage: 'AWSPREVIOUS' },
        { SecretId: 'rotated', VersionId: first.versionId },
        { SecretId: 'rotated', VersionStage: 'BLUE' },
      ]),
    );
  });

  it('reaches a version id that is not a UUID (a 32-64 character ClientRequestToken)', async () => {
    const token = 'release-2026-11-30-build-000000000001';
    current.fake.putSecret('tokened', 'by-token', { versionId: token });
    current.fake.putSecret('tokened', 'newer');
    const [outcome] = await resolveRefs([`aws-sm://tokened?version=${token}`]);
    expect(valueOf(outcome)).toBe('by-token');
    const gets = current.fake.requests.filter((r) => r.target === 'secretsmanager.GetSecretValue').map((r) => r.body);
    expect(gets).toEqual([
      { SecretId: 'tokened', VersionStage: token },
      { SecretId: 'tokened', VersionId: token },
    ]);
  });

  it('says NotFound for a version that does not exist', async () => {
    current.fake.putSecret('app/db', 'v');
    expect(errorOf((await resolveRefs(['aws-sm://app/db?version=NOPE']))[0]).kind).toBe('NotFound');
  });

  it('fetches by full and partial ARN, from the region of the ARN rather than AWS_REGION', async () => {
    const { arn } = current.fake.putSecret('eu/db', 'from-eu', { region: 'eu-west-1' });
    current.fake.putSecret('local', 'from-us');
    const partial = arn.slice(0, -7); // without the '-XXXXXX' suffix AWS adds
    const [full, part, local] = await resolveRefs([`aws-sm://${arn}`, `aws-sm://${partial}`, 'aws-sm://local'], {
      AWS_REGION: 'us-east-1',
    });
    expect([full, part, local].map(valueOf)).toEqual(['from-eu', 'from-eu', 'from-us']);
    const regions = current.fake.requests.map((r) => r.region).sort();
    expect(regions).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('accepts a bare ARN value and a ?region= parameter', async () => {
    const { arn } = current.fake.putSecret('db', 'in-ap', { region: 'ap-south-1' });
    current.fake.putSecret('db', 'in-ca', { region: 'ca-central-1' });
    const [bare, param] = await resolveRefs([arn, 'aws-sm://db?region=ca-central-1']);
    expect([bare, param].map(valueOf)).toEqual(['in-ap', 'in-ca']);
  });

  it('fetches a bare ARN of the aws-cn partition from its region', async () => {
    current.fake.putSecret('cn/db', 'from-cn', { region: 'cn-north-1' });
    const arn = `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:cn/db`;
    expect(valueOf((await resolveRefs([arn]))[0])).toBe('from-cn');
    expect(current.fake.requests.map((r) => r.region)).toEqual(['cn-north-1']);
  });

  it('refuses an ARN whose region differs from ?region=', async () => {
    const arn = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf`;
    const error = errorOf((await resolveRefs([`aws-sm://${arn}?region=us-east-1`]))[0]);
    expect(error.kind).toBe('Invalid');
    expect(error.message).toMatch(/region eu-west-1.*\?region=us-east-1/);
    expect(current.fake.requests).toHaveLength(0);
  });

  it('uses AWS_DEFAULT_REGION when AWS_REGION is not set, and says how to give a region when neither is', async () => {
    current.fake.putSecret('db', 'v', { region: 'sa-east-1' });
    expect(
      valueOf((await resolveRefs(['aws-sm://db'], { AWS_REGION: undefined, AWS_DEFAULT_REGION: 'sa-east-1' }))[0]),
    ).toBe('v');
    const error = errorOf((await resolveRefs(['aws-sm://db'], { AWS_REGION: undefined }))[0]);
    expect(error).toMatchObject({ kind: 'Invalid', message: expect.stringMatching(/no AWS region: set AWS_REGION/) });
  });

  it('prefers AWS_ENDPOINT_URL_SECRETS_MANAGER to AWS_ENDPOINT_URL', async () => {
    current.fake.putSecret('db', 'v');
    const [outcome] = await resolveRefs(['aws-sm://db'], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: current.fake.url,
    });
    expect(valueOf(outcome)).toBe('v');
  });

  it('says which variable holds an endpoint that is not a URL', async () => {
    const error = errorOf((await resolveRefs(['aws-sm://db'], { AWS_ENDPOINT_URL: 'not a url' }))[0]);
    expect(error).toMatchObject({ kind: 'Invalid', message: expect.stringMatching(/AWS_ENDPOINT_URL is not a URL/) });
  });

  it('is Unavailable when nothing listens at the endpoint', async () => {
    const error = errorOf((await resolveRefs(['aws-sm://db'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }))[0]);
    expect(error).toMatchObject({ kind: 'Unavailable', message: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe('awsProvider error mapping for Secrets Manager', () => {
  it('names the missing permission when one secret of a batch is denied, and only that one fails', async () => {
    current.fake.putSecret('open', 'v');
    current.fake.putSecret('closed', 'w');
    current.fake.deny('closed');
    const [open, closed] = await resolveRefs(['aws-sm://open', 'aws-sm://closed']);
    expect(valueOf(open)).toBe('v');
    expect(errorOf(closed)).toMatchObject({
      kind: 'Denied',
      message: expect.stringMatching(/lacks the IAM permission secretsmanager:GetSecretValue/),
    });
  });

  it('falls back to GetSecretValue for the rest of the run when BatchGetSecretValue itself is denied', async () => {
    for (const name of ['a', 'b', 'c']) current.fake.putSecret(name, `v-${name}`);
    current.fake.inject({ target: 'secretsmanager.BatchGetSecretValue', mode: 'deny-action' });
    const instance = awsProvider.create(awsContext());
    const refs = ['a', 'b', 'c'].map((n) => parseReference(`aws-sm://${n}`));
    const first = await instance.resolve(refs);
    const again = await instance.resolve(refs);
    await instance.close();
    expect([...first, ...again].map(valueOf)).toEqual(['v-a', 'v-b', 'v-c', 'v-a', 'v-b', 'v-c']);
    expect(current.fake.count('secretsmanager.BatchGetSecretValue')).toBe(1);
    expect(current.fake.count('secretsmanager.GetSecretValue')).toBe(6);
  });

  it.each(['forbidden-html', 'forbidden-xml'] as const)(
    'takes a 403 whose body is not JSON (%s) as Denied, so the GetSecretValue fallback starts',
    async (mode) => {
      for (const name of ['a', 'b']) current.fake.putSecret(name, `v-${name}`);
      current.fake.inject({ target: 'secretsmanager.BatchGetSecretValue', mode });
      const outcomes = await resolveRefs(['aws-sm://a', 'aws-sm://b']);
      expect(outcomes.map(valueOf)).toEqual(['v-a', 'v-b']);
      expect(current.fake.count('secretsmanager.GetSecretValue')).toBe(2);
      current.fake.inject({ mode, times: 1 });
      const [alone] = await resolveRefs(['aws-sm://a']);
      expect(errorOf(alone)).toMatchObject({ kind: 'Denied', message: expect.stringMatching(/HTTP 403/) });
    },
  );

  it('says kms:Decrypt is needed when the secret cannot be decrypted', async () => {
    current.fake.putSecret('cmk', 'v');
    current.fake.deny('cmk', 'kms');
    const [outcome] = await resolveRefs(['aws-sm://cmk']);
    expect(errorOf(outcome)).toMatchObject({
      kind: 'Denied',
      message: expect.stringMatching(/kms:Decrypt.*DecryptionFailure/),
    });
  });

  it.each([
    ['throttle', 'Unavailable', /ThrottlingException/],
    ['internal', 'Unavailable', /InternalServiceError, HTTP 500/],
    ['malformed', 'Invalid', /not valid JSON/],
    ['expired-token', 'Denied', /session credentials have expired/],
    ['deny-action', 'Denied', /lacks the IAM permission secretsmanager:GetSecretValue/],
  ] as const)('maps an injected %s answer to %s', async (mode, kind, message) => {
    current.fake.putSecret('db', 'v');
    current.fake.inject({ mode });
    const error = errorOf((await resolveRefs(['aws-sm://db']))[0]);
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });

  it('is Denied with a signature message when the secret access key is wrong', async () => {
    await current.fake.close();
    const { startAwsFake } = await import('../../fakes/aws.js');
    current.fake = await startAwsFake({
      credentials: { accessKeyId: 'AKIAFAKEFAKEFAKE0001', secretAccessKey: 'another key' },
    });
    const error = errorOf((await resolveRefs(['aws-sm://db']))[0]);
    expect(error).toMatchObject({ kind: 'Denied', message: expect.stringMatching(/InvalidSignatureException/) });
    expect(current.fake.requests[0]?.auth).toBe('signature does not match');
  });

  it('is Denied with UnrecognizedClientException for an access key AWS does not know', async () => {
    await current.fake.close();
    const { startAwsFake } = await import('../../fakes/aws.js');
    current.fake = await startAwsFake({ credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' } });
    const error = errorOf((await resolveRefs(['aws-sm://db']))[0]);
    expect(error).toMatchObject({
      kind: 'Denied',
      message: expect.stringMatching(/does not recognise the access key.*UnrecognizedClientException/),
    });
  });

  it('is a Timeout when the deadline aborts a slow answer', async () => {
    current.fake.putSecret('db', 'v');
    current.fake.latencyMs = 5_000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const [outcome] = await resolveRefs(['aws-sm://db'], {}, awsContext({}, { signal: controller.signal }));
    expect(errorOf(outcome).kind).toBe('Timeout');
  });

  it('never puts a value into an error message', async () => {
    current.fake.putSecret('bin', Buffer.from([0xc3, 0x28, 0x73, 0x33, 0x63, 0x72, 0x33, 0x74]));
    current.fake.putSecret('denied', 'DENIED-VALUE-123');
    current.fake.deny('denied');
    const outcomes = await resolveRefs(['aws-sm://bin', 'aws-sm://denied', 'aws-sm://missing']);
    for (const outcome of outcomes) expect(errorOf(outcome).message).not.toMatch(/s3cr3t|DENIED-VALUE-123/);
  });
});

describe("the AWS instance's mapGeneric", () => {
  it('maps secret://NAME to aws-sm://NAME, keeping /', () => {
    expect(awsProvider.create(awsContext()).mapGeneric('team/app-db_1')).toEqual({
      scheme: 'aws-sm',
      path: 'team/app-db_1',
      optional: false,
      params: {},
      key: undefined,
      version: undefined,
    });
  });

  it('refuses a name AWS cannot hold, saying why', () => {
    expect(() => awsProvider.create(awsContext()).mapGeneric('x'.repeat(600))).toThrow(
      /cannot be an AWS secret name: .*1-512/,
    );
  });
});
