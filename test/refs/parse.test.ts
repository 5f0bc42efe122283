import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceSyntaxError } from '../../src/errors/errors.js';
import { formatReference, isReference, parseReference, SCHEMES, type Reference } from '../../src/refs/index.js';

describe('parseReference', () => {
  it.each([
    // generic
    ['secret://db-password', { scheme: 'secret', path: 'db-password' }],
    ['secret://callableapis/db#password', { scheme: 'secret', path: 'callableapis/db', key: 'password' }],
    ['secret://db#/nested/pass~1word', { scheme: 'secret', path: 'db', key: '/nested/pass~1word' }],
    ['secret://db?optional', { scheme: 'secret', path: 'db', optional: true }],
    ['secret://db?optional=false', { scheme: 'secret', path: 'db', optional: false }],
    ['secret://db?version=3#password', { scheme: 'secret', path: 'db', version: '3', key: 'password' }],
    // the order some users write: #KEY?PARAMS
    [
      'secret://db#password?version=3&optional',
      { scheme: 'secret', path: 'db', version: '3', key: 'password', optional: true },
    ],
    // vault
    ['vault://secret/app/db#password', { scheme: 'vault', path: 'secret/app/db', key: 'password' }],
    ['vault://database/creds/app', { scheme: 'vault', path: 'database/creds/app' }],
    // aws
    ['aws-sm://prod/db', { scheme: 'aws-sm', path: 'prod/db' }],
    [
      'aws-sm://prod/db?region=eu-west-1&version=AWSPREVIOUS',
      { scheme: 'aws-sm', path: 'prod/db', version: 'AWSPREVIOUS', params: { region: 'eu-west-1' } },
    ],
    [
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf#password',
      {
        scheme: 'aws-sm',
        path: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
        key: 'password',
      },
    ],
    [
      'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x',
      { scheme: 'aws-sm', path: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x' },
    ],
    ['aws-ssm:///app/db/pass', { scheme: 'aws-ssm', path: '/app/db/pass' }],
    [
      'arn:aws:ssm:us-east-1:123456789012:parameter/app/db',
      { scheme: 'aws-ssm', path: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/db' },
    ],
    // google
    ['gcp-sm://api-key', { scheme: 'gcp-sm', path: 'api-key' }],
    ['gcp-sm://my-project/api-key', { scheme: 'gcp-sm', path: 'my-project/api-key' }],
    ['gcp-sm://projects/my-project/secrets/api-key', { scheme: 'gcp-sm', path: 'my-project/api-key' }],
    [
      'gcp-sm://projects/my-project/secrets/api-key/versions/7',
      { scheme: 'gcp-sm', path: 'my-project/api-key', version: '7' },
    ],
    [
      'gcp-sm://api-key?location=europe-west1&project=p2',
      { scheme: 'gcp-sm', path: 'api-key', params: { location: 'europe-west1', project: 'p2' } },
    ],
    [
      'gcp-sm://projects/p/locations/europe-west1/secrets/api-key',
      { scheme: 'gcp-sm', path: 'projects/p/locations/europe-west1/secrets/api-key' },
    ],
    [
      'gcp-sm://projects/p/locations/us-east4/secrets/k/versions/latest',
      { scheme: 'gcp-sm', path: 'projects/p/locations/us-east4/secrets/k', version: 'latest' },
    ],
    // oracle, ibm, local
    [
      'oci-vault://ocid1.vaultsecret.oc1.iad.amaaaaaa#user',
      { scheme: 'oci-vault', path: 'ocid1.vaultsecret.oc1.iad.amaaaaaa', key: 'user' },
    ],
    [
      'oci-vault://ocid1.vault.oc1.iad.bbbbbb/db-password',
      { scheme: 'oci-vault', path: 'ocid1.vault.oc1.iad.bbbbbb/db-password' },
    ],
    [
      'ibm-sm://0b5571f7-21e6-42b7-91c5-3f5ac9793a46',
      { scheme: 'ibm-sm', path: '0b5571f7-21e6-42b7-91c5-3f5ac9793a46' },
    ],
    ['ibm-sm://default/arbitrary/db-password', { scheme: 'ibm-sm', path: 'default/arbitrary/db-password' }],
    [
      'ibm-sm://default/arbitrary/db?fallback=kv',
      { scheme: 'ibm-sm', path: 'default/arbitrary/db', params: { fallback: 'kv' } },
    ],
    [
      'ibm-sm://9a1b2c3d-0000-4000-8000-000000000001?version=previous#password',
      { scheme: 'ibm-sm', path: '9a1b2c3d-0000-4000-8000-000000000001', version: 'previous', key: 'password' },
    ],
    ['local://api-key', { scheme: 'local', path: 'api-key' }],
  ])('parses %s', (text, expected) => {
    expect(parseReference(text)).toEqual({
      key: undefined,
      version: undefined,
      optional: false,
      params: {},
      ...expected,
    });
  });

  it.each([
    // not a reference at all, or an unknown scheme
    ['plain text', /not a reference/],
    ['postgres://user@host/db', /unknown scheme 'postgres:\/\/'/],
    // malformed locators
    ['secret://', /empty/],
    ['aws-ssm:///app/db:2', /written \?version=2 \(aws-ssm:\/\/\/app\/db\?version=2\)/],
    ['aws-ssm:///app/db:stable', /\?version=stable/],
    ['secret:///leading', /empty path segment/],
    ['secret://a//b', /empty path segment/],
    ['secret://has space', /white space/],
    ['vault://onlymount', /at least 2/],
    ['aws-sm://bad name!', /AWS secret name/],
    ['gcp-sm://projects/p/secrets', /resource name/],
    ['gcp-sm://projects/p/secrets/s/versions/abc', /version must be a number or latest/],
    ['gcp-sm://a/b/c', /NAME, PROJECT\/NAME/],
    ['gcp-sm://projects/p/locations/EU/secrets/s', /Google location/],
    ['gcp-sm://projects/p/locations/eu/keys/s', /resource name/],
    ['gcp-sm://projects/p/locations/eu/secrets/s/versions/x', /version must be a number or latest/],
    ['oci-vault://not-an-ocid', /OCID/],
    ['ibm-sm://group/name', /ID or GROUP\/TYPE\/NAME/],
    ['ibm-sm://default/password/db', /IBM secret type must be one of arbitrary, iam_credentials/],
    // keys and parameters
    ['secret://db#', /empty key/],
    ['secret://db#/bad~2pointer', /JSON pointer/],
    ['secret://db?', /empty query/],
    ['secret://db?colour=blue', /unknown parameter 'colour'/],
    ['secret://db?version=', /needs a value/],
    ['secret://db?version=1&version=2', /given twice/],
    ['secret://db?optional=maybe', /takes no value, or true\/false/],
    ['secret://db?version=%zz', /malformed %-escape/],
    ['gcp-sm://projects/p/secrets/s/versions/3?version=4', /two different versions/],
    // an AWS region must have a region's form
    ['aws-sm://db?region=us-east-1x', /\?region=: "us-east-1x" is not an AWS region name \(expected one such as/],
    ['aws-ssm:///db?region=foo%20bar', /"foo bar" is not an AWS region name/],
    ['aws-sm://db?region=..%2Fx', /"\.\.\/x" is not an AWS region name/],
    ['aws-sm://db?region=EU-WEST-1', /not an AWS region name/],
    ['aws-sm://db#k?region=eu', /not an AWS region name/],
    // a Vault namespace is a path of names
    ['vault://secret/app?namespace=../up', /\?namespace= must be a Vault namespace path/],
    ['vault://secret/app?namespace=a//b', /\?namespace= must be a Vault namespace path/],
    ['vault://secret/app?namespace=has%20space', /\?namespace= must be a Vault namespace path/],
  ])('rejects %s', (text, message) => {
    expect(() => parseReference(text)).toThrow(ReferenceSyntaxError);
    expect(() => parseReference(text)).toThrow(message);
  });

  it.each(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-northwest-1', 'us-isob-east-1', 'ap-southeast-5'])(
    'accepts the region %s',
    (region) => {
      expect(parseReference(`aws-sm://db?region=${region}`).params.region).toBe(region);
    },
  );

  it('accepts parameters the caller admits', () => {
    expect(parseReference('local://m?prefix=APP_&upcase', { extraParams: ['prefix', 'upcase'] }).params).toEqual({
      prefix: 'APP_',
      upcase: 'true',
    });
  });
});

describe('isReference', () => {
  it.each([
    ['secret://x', true],
    ['local://x', true],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:x', true],
    ['arn:aws:ssm:us-east-1:123456789012:parameter/x', true],
    ['arn:aws:s3:::bucket', false],
    ['postgres://user:pass@host/db', false],
    ['https://example.com', false],
    ['hello', false],
    [' secret://x', false],
  ])('%s → %s', (value, expected) => {
    expect(isReference(value)).toBe(expected);
  });
});

describe('formatReference', () => {
  it('writes parameters in a fixed order with the key last', () => {
    const ref = parseReference('aws-sm://db#password?optional&region=eu-west-1&version=AWSCURRENT');
    expect(formatReference(ref)).toBe('aws-sm://db?version=AWSCURRENT&region=eu-west-1&optional#password');
  });
});

// ---- properties ----
const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const key = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/),
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`),
);
const simpleRefs: fc.Arbitrary<Reference> = fc
  .record({
    scheme: fc.constantFrom('secret', 'local', 'vault' as const),
    segments: fc.array(segment, { minLength: 2, maxLength: 2 }),
    key: fc.option(key, { nil: undefined }),
    version: fc.option(fc.stringMatching(/^[1-9][0-9]{0,3}$/), { nil: undefined }),
    optional: fc.boolean(),
  })
  .map(({ scheme, segments, ...rest }) => ({ scheme, path: segments.join('/'), params: {}, ...rest }));

describe('reference properties', () => {
  it('parse never throws anything but ReferenceSyntaxError', () => {
    const text = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom(...SCHEMES), fc.string()).map(([s, rest]) => `${s}://${rest}`),
      fc
        .tuple(fc.constantFrom(...SCHEMES), fc.stringMatching(/^[a-z0-9/#?=&%~.:-]{0,30}$/))
        .map(([s, rest]) => `${s}://${rest}`),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          parseReference(t);
        } catch (error) {
          if (!(error instanceof ReferenceSyntaxError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('format then parse gives the same reference', () => {
    fc.assert(
      fc.property(simpleRefs, (ref) => {
        expect(parseReference(formatReference(ref))).toEqual(ref);
      }),
    );
  });

  it('parse then format is stable (the canonical form is a fixed point)', () => {
    fc.assert(
      fc.property(simpleRefs, (ref) => {
        const once = formatReference(parseReference(formatReference(ref)));
        expect(formatReference(parseReference(once))).toBe(once);
      }),
    );
  });
});
