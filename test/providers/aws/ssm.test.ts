// The AWS provider's SSM Parameter Store side against the loopback fake: GetParameters batching,
// decryption, version selectors, ARNs, and per-parameter errors.
import { describe, expect, it } from 'vitest';
import { isFetched } from '../../../src/resolve/types.js';
import { current, errorOf, resolveRefs, useAwsFake, valueOf } from '../../support/aws.js';

useAwsFake();
const getParametersBodies = () =>
  current.fake.requests
    .filter((r) => r.target === 'AmazonSSM.GetParameters')
    .map((r) => r.body as { Names: string[]; WithDecryption?: boolean });

describe('awsProvider.resolve for aws-ssm://', () => {
  it('fetches String, StringList and decrypted SecureString parameters in one GetParameters call', async () => {
    current.fake.putParameter('/app/db/host', 'db.internal');
    current.fake.putParameter('/app/hosts', 'a,b,c', { type: 'StringList' });
    current.fake.putParameter('/app/db/pass', 'pa55', { type: 'SecureString' });
    current.fake.putParameter('plain-name', 'no-slash');
    const outcomes = await resolveRefs([
      'aws-ssm:///app/db/host',
      'aws-ssm:///app/hosts',
      'aws-ssm:///app/db/pass',
      'aws-ssm://plain-name',
    ]);
    expect(outcomes.map(valueOf)).toEqual(['db.internal', 'a,b,c', 'pa55', 'no-slash']);
    expect(getParametersBodies()).toEqual([
      { Names: ['/app/db/host', '/app/hosts', '/app/db/pass', 'plain-name'], WithDecryption: true },
    ]);
    expect(current.fake.requests.every((r) => r.auth === 'ok' && r.service === 'ssm')).toBe(true);
  });

  it('reports the parameter version', async () => {
    current.fake.putParameter('/v', 'one');
    current.fake.putParameter('/v', 'two');
    const [outcome] = await resolveRefs(['aws-ssm:///v']);
    expect(outcome && isFetched(outcome) ? outcome.version : undefined).toBe('2');
  });

  it('fetches 25 parameters with three calls of at most 10 names, in parallel', async () => {
    for (let i = 0; i < 25; i++) current.fake.putParameter(`/p/${i}`, `v${i}`);
    current.fake.latencyMs = 200; // long enough that every call of the run is in flight at once
    const outcomes = await resolveRefs(Array.from({ length: 25 }, (_, i) => `aws-ssm:///p/${i}`));
    expect(outcomes.map(valueOf)).toEqual(Array.from({ length: 25 }, (_, i) => `v${i}`));
    expect(
      getParametersBodies()
        .map((b) => b.Names.length)
        .sort((a, b) => b - a),
    ).toEqual([10, 10, 5]);
    expect(current.fake.peakInFlight).toBe(3);
  });

  it('turns ?version= into NAME:VERSION and NAME:LABEL selectors', async () => {
    current.fake.putParameter('/rot', 'first', { labels: ['stable'] });
    current.fake.putParameter('/rot', 'second');
    const [one, label, latest] = await resolveRefs([
      'aws-ssm:///rot?version=1',
      'aws-ssm:///rot?version=stable',
      'aws-ssm:///rot',
    ]);
    expect([one, label, latest].map(valueOf)).toEqual(['first', 'first', 'second']);
    // One parameter is asked for once a call, so each answer is matched without its Selector field.
    expect(
      getParametersBodies()
        .map((b) => b.Names.join())
        .sort(),
    ).toEqual(['/rot', '/rot:1', '/rot:stable']);
  });

  it.each([false, true])('matches answers to requests when Selector is left out (%s)', async (omit) => {
    current.fake.omitSelector = omit;
    current.fake.putParameter('/pair', 'first', { labels: ['old'] });
    current.fake.putParameter('/pair', 'second');
    current.fake.putParameter('/other', 'o');
    const outcomes = await resolveRefs([
      'aws-ssm:///pair?version=1',
      'aws-ssm:///pair',
      'aws-ssm:///other',
      'aws-ssm:///pair?version=old',
    ]);
    expect(outcomes.map(valueOf)).toEqual(['first', 'second', 'o', 'first']);
    expect(outcomes.map((o) => (o && isFetched(o) ? o.version : undefined))).toEqual(['1', '2', '1', '1']);
  });

  it('makes names listed in InvalidParameters NotFound for exactly those references', async () => {
    current.fake.putParameter('/here', 'v');
    const [here, gone, badVersion] = await resolveRefs([
      'aws-ssm:///here',
      'aws-ssm:///gone',
      'aws-ssm:///here?version=7',
    ]);
    expect(valueOf(here)).toBe('v');
    expect(errorOf(gone)).toMatchObject({
      kind: 'NotFound',
      message: 'no such parameter (InvalidParameters) [region us-east-1]',
    });
    expect(errorOf(badVersion)).toMatchObject({
      kind: 'NotFound',
      message: expect.stringMatching(/no such version or label/),
    });
  });

  it("fetches by ARN from the ARN's region, also as a bare ARN value", async () => {
    const { arn } = current.fake.putParameter('/eu/param', 'in-eu', { region: 'eu-central-1' });
    const { arn: other } = current.fake.putParameter('short', 'short-eu', { region: 'eu-central-1' });
    const [prefixed, bare] = await resolveRefs([`aws-ssm://${arn}`, other]);
    expect([prefixed, bare].map(valueOf)).toEqual(['in-eu', 'short-eu']);
    expect(current.fake.requests.map((r) => r.region)).toEqual(['eu-central-1']);
  });

  it('splits a denied call so that only the denied parameter fails, naming the permission', async () => {
    current.fake.putParameter('/ok/1', 'a');
    current.fake.putParameter('/secret/2', 'b');
    current.fake.putParameter('/ok/3', 'c');
    current.fake.deny('/secret/2');
    const [one, two, three] = await resolveRefs(['aws-ssm:///ok/1', 'aws-ssm:///secret/2', 'aws-ssm:///ok/3']);
    expect([one, three].map(valueOf)).toEqual(['a', 'c']);
    expect(errorOf(two)).toMatchObject({
      kind: 'Denied',
      message: expect.stringMatching(/lacks the IAM permission ssm:GetParameters/),
    });
    expect(getParametersBodies().map((b) => b.Names.length)).toEqual([3, 1, 1, 1]);
  });

  it('says kms:Decrypt is needed when a SecureString cannot be decrypted', async () => {
    current.fake.putParameter('/cmk', 'v', { type: 'SecureString' });
    current.fake.deny('/cmk', 'kms');
    expect(errorOf((await resolveRefs(['aws-ssm:///cmk']))[0])).toMatchObject({
      kind: 'Denied',
      message: expect.stringMatching(/kms:Decrypt/),
    });
  });

  it.each([
    ['throttle', 'Unavailable'],
    ['internal', 'Unavailable'],
    ['malformed', 'Invalid'],
  ] as const)('maps an injected %s answer to %s', async (mode, kind) => {
    current.fake.putParameter('/p', 'v');
    current.fake.inject({ mode, target: 'AmazonSSM.GetParameters' });
    expect(errorOf((await resolveRefs(['aws-ssm:///p']))[0]).kind).toBe(kind);
  });

  it('prefers AWS_ENDPOINT_URL_SSM to AWS_ENDPOINT_URL', async () => {
    current.fake.putParameter('/p', 'v');
    const [outcome] = await resolveRefs(['aws-ssm:///p'], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_SSM: current.fake.url,
    });
    expect(valueOf(outcome)).toBe('v');
  });

  it('serves Secrets Manager and SSM references of one batch with one client each', async () => {
    current.fake.putParameter('/p', 'param');
    current.fake.putSecret('s', 'secret');
    const outcomes = await resolveRefs(['aws-ssm:///p', 'aws-sm://s']);
    expect(outcomes.map(valueOf)).toEqual(['param', 'secret']);
    expect(current.fake.requests.map((r) => r.service).sort()).toEqual(['secretsmanager', 'ssm']);
  });
});
