// Where an AWS reference is sent: its region and the endpoint taken from the wrapper's environment.
import { describe, expect, it } from 'vitest';
import { endpointFor, regionOf } from '../../../src/providers/aws/clients.js';
import { ProviderError } from '../../../src/errors/errors.js';
import { parseReference } from '../../../src/refs/index.js';

describe('regionOf', () => {
  it.each([
    // the ARN's region wins over the environment
    ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf', { AWS_REGION: 'us-east-1' }, 'eu-west-1'],
    ['arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db', { AWS_REGION: 'us-east-1' }, 'cn-north-1'],
    ['arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/app/x', {}, 'us-gov-west-1'],
    // then ?region=, then AWS_REGION, then AWS_DEFAULT_REGION
    ['aws-sm://db?region=ap-south-1', { AWS_REGION: 'us-east-1' }, 'ap-south-1'],
    ['aws-sm://db', { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'us-west-1' }, 'us-east-2'],
    ['aws-ssm:///db', { AWS_DEFAULT_REGION: 'us-west-1' }, 'us-west-1'],
    ['aws-ssm:///db', { AWS_REGION: '', AWS_DEFAULT_REGION: 'us-west-1' }, 'us-west-1'],
    // an empty or malformed AWS_REGION does not matter when the reference names its region
    ['aws-ssm:///db?region=eu-west-3', { AWS_REGION: '' }, 'eu-west-3'],
    ['arn:aws:ssm:eu-north-1:123456789012:parameter/db', { AWS_REGION: 'nowhere' }, 'eu-north-1'],
    // nothing: the SDK's own profile lookup decides
    ['aws-sm://db', {}, undefined],
  ])('sends %s with %j to %s', (text, env, region) => {
    expect(regionOf(parseReference(text), env)).toBe(region);
  });

  it('refuses an ARN and a ?region= that disagree, and accepts them when they agree', () => {
    const arn = 'aws-sm://arn:aws:secretsmanager:eu-west-1:123456789012:secret:db';
    expect(() => regionOf(parseReference(`${arn}?region=us-east-1`), {})).toThrow(/ARN is in region eu-west-1/);
    expect(regionOf(parseReference(`${arn}?region=eu-west-1`), {})).toBe('eu-west-1');
  });
});

describe('regionOf with a region variable that is no region', () => {
  it.each([
    [{ AWS_REGION: '' }, /^AWS_REGION is set but empty: set it to a region such as eu-west-1, or unset it/],
    [{ AWS_DEFAULT_REGION: '' }, /^AWS_DEFAULT_REGION is set but empty/],
    [{ AWS_REGION: 'us-east-1x' }, /^AWS_REGION "us-east-1x" is not an AWS region name \(expected one such as/],
    [{ AWS_REGION: 'foo bar' }, /^AWS_REGION "foo bar" is not an AWS region name/],
    [{ AWS_DEFAULT_REGION: '../x' }, /^AWS_DEFAULT_REGION "\.\.\/x" is not an AWS region name/],
    [{ AWS_REGION: ' us-east-1' }, /^AWS_REGION " us-east-1" is not/],
  ])('refuses %j, saying what is wrong', (env, message) => {
    let error: unknown;
    try {
      regionOf(parseReference('aws-sm://db'), env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('Invalid');
    expect((error as ProviderError).message).toMatch(message);
  });
});

describe('endpointFor', () => {
  it.each([
    ['secretsmanager', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, 'http://127.0.0.1:1'],
    [
      'secretsmanager',
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:2' },
      'http://127.0.0.1:2',
    ],
    [
      'ssm',
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:2' },
      'http://127.0.0.1:1',
    ],
    ['ssm', { AWS_ENDPOINT_URL_SSM: 'https://127.0.0.1:3' }, 'https://127.0.0.1:3'],
    ['ssm', { AWS_ENDPOINT_URL_SSM: 'https://127.0.0.1:3', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, undefined],
    ['secretsmanager', {}, undefined],
  ] as const)('gives %s with %j the endpoint %s', (service, env, endpoint) => {
    expect(endpointFor(service, env)).toBe(endpoint);
  });

  it('names the variable that holds something other than an http(s) URL', () => {
    expect(() => endpointFor('ssm', { AWS_ENDPOINT_URL_SSM: 'localhost:4566' })).toThrow(
      /AWS_ENDPOINT_URL_SSM must be an http\(s\) URL/,
    );
    expect(() => endpointFor('secretsmanager', { AWS_ENDPOINT_URL: '::' })).toThrow(/AWS_ENDPOINT_URL is not a URL/);
  });
});
