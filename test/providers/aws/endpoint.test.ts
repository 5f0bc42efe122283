// Where Secrets Manager and SSM calls go: the default endpoint of a region (by the vendor's partition data),
// and the settings the SDK clients read for it (region, FIPS, dual-stack, endpoint_url) from the wrapper's
// environment and the shared config file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../src/errors/errors.js';
import { defaultEndpoint, defaultEndpointOf, type AwsService } from '../../../src/providers/aws/endpoint.js';
import { serviceTarget } from '../../../src/providers/aws/service-config.js';

// What the SDK clients resolve (the `endpointProvider` of @aws-sdk/client-secrets-manager and
// @aws-sdk/client-ssm 3.1164.0, with Region, UseFIPS and UseDualStack), written down by a one-off script
// run before those clients were removed from the project.
const SDK_ENDPOINTS: ReadonlyArray<readonly [AwsService, string, boolean, boolean, string]> = [
  ['secretsmanager', 'us-east-1', false, false, 'https://secretsmanager.us-east-1.amazonaws.com/'],
  ['secretsmanager', 'us-east-1', false, true, 'https://secretsmanager.us-east-1.amazonaws.com/'],
  ['secretsmanager', 'us-east-1', true, false, 'https://secretsmanager-fips.us-east-1.amazonaws.com/'],
  ['secretsmanager', 'us-east-1', true, true, 'https://secretsmanager-fips.us-east-1.amazonaws.com/'],
  ['secretsmanager', 'eu-west-1', false, false, 'https://secretsmanager.eu-west-1.amazonaws.com/'],
  ['secretsmanager', 'eu-west-1', false, true, 'https://secretsmanager.eu-west-1.amazonaws.com/'],
  ['secretsmanager', 'eu-west-1', true, false, 'https://secretsmanager-fips.eu-west-1.amazonaws.com/'],
  ['secretsmanager', 'eu-west-1', true, true, 'https://secretsmanager-fips.eu-west-1.amazonaws.com/'],
  ['secretsmanager', 'ap-southeast-5', false, false, 'https://secretsmanager.ap-southeast-5.amazonaws.com/'],
  ['secretsmanager', 'ap-southeast-5', false, true, 'https://secretsmanager.ap-southeast-5.amazonaws.com/'],
  ['secretsmanager', 'ap-southeast-5', true, false, 'https://secretsmanager-fips.ap-southeast-5.amazonaws.com/'],
  ['secretsmanager', 'ap-southeast-5', true, true, 'https://secretsmanager-fips.ap-southeast-5.amazonaws.com/'],
  ['secretsmanager', 'cn-north-1', false, false, 'https://secretsmanager.cn-north-1.amazonaws.com.cn/'],
  ['secretsmanager', 'cn-north-1', false, true, 'https://secretsmanager.cn-north-1.amazonaws.com.cn/'],
  ['secretsmanager', 'cn-north-1', true, false, 'https://secretsmanager-fips.cn-north-1.amazonaws.com.cn/'],
  ['secretsmanager', 'cn-north-1', true, true, 'https://secretsmanager-fips.cn-north-1.api.amazonwebservices.com.cn/'],
  ['secretsmanager', 'cn-northwest-1', false, false, 'https://secretsmanager.cn-northwest-1.amazonaws.com.cn/'],
  ['secretsmanager', 'cn-northwest-1', false, true, 'https://secretsmanager.cn-northwest-1.amazonaws.com.cn/'],
  ['secretsmanager', 'cn-northwest-1', true, false, 'https://secretsmanager-fips.cn-northwest-1.amazonaws.com.cn/'],
  [
    'secretsmanager',
    'cn-northwest-1',
    true,
    true,
    'https://secretsmanager-fips.cn-northwest-1.api.amazonwebservices.com.cn/',
  ],
  ['secretsmanager', 'us-gov-west-1', false, false, 'https://secretsmanager.us-gov-west-1.amazonaws.com/'],
  ['secretsmanager', 'us-gov-west-1', false, true, 'https://secretsmanager.us-gov-west-1.amazonaws.com/'],
  ['secretsmanager', 'us-gov-west-1', true, false, 'https://secretsmanager-fips.us-gov-west-1.amazonaws.com/'],
  ['secretsmanager', 'us-gov-west-1', true, true, 'https://secretsmanager-fips.us-gov-west-1.amazonaws.com/'],
  ['secretsmanager', 'us-gov-east-1', false, false, 'https://secretsmanager.us-gov-east-1.amazonaws.com/'],
  ['secretsmanager', 'us-gov-east-1', false, true, 'https://secretsmanager.us-gov-east-1.amazonaws.com/'],
  ['secretsmanager', 'us-gov-east-1', true, false, 'https://secretsmanager-fips.us-gov-east-1.amazonaws.com/'],
  ['secretsmanager', 'us-gov-east-1', true, true, 'https://secretsmanager-fips.us-gov-east-1.amazonaws.com/'],
  ['secretsmanager', 'us-iso-east-1', false, false, 'https://secretsmanager.us-iso-east-1.c2s.ic.gov/'],
  ['secretsmanager', 'us-iso-east-1', false, true, 'https://secretsmanager.us-iso-east-1.api.aws.ic.gov/'],
  ['secretsmanager', 'us-iso-east-1', true, false, 'https://secretsmanager-fips.us-iso-east-1.c2s.ic.gov/'],
  ['secretsmanager', 'us-iso-east-1', true, true, 'https://secretsmanager-fips.us-iso-east-1.api.aws.ic.gov/'],
  ['secretsmanager', 'us-isob-east-1', false, false, 'https://secretsmanager.us-isob-east-1.sc2s.sgov.gov/'],
  ['secretsmanager', 'us-isob-east-1', false, true, 'https://secretsmanager.us-isob-east-1.api.aws.scloud/'],
  ['secretsmanager', 'us-isob-east-1', true, false, 'https://secretsmanager-fips.us-isob-east-1.sc2s.sgov.gov/'],
  ['secretsmanager', 'us-isob-east-1', true, true, 'https://secretsmanager-fips.us-isob-east-1.api.aws.scloud/'],
  ['secretsmanager', 'eu-isoe-west-1', false, false, 'https://secretsmanager.eu-isoe-west-1.cloud.adc-e.uk/'],
  ['secretsmanager', 'eu-isoe-west-1', false, true, 'https://secretsmanager.eu-isoe-west-1.api.cloud-aws.adc-e.uk/'],
  ['secretsmanager', 'eu-isoe-west-1', true, false, 'https://secretsmanager-fips.eu-isoe-west-1.cloud.adc-e.uk/'],
  [
    'secretsmanager',
    'eu-isoe-west-1',
    true,
    true,
    'https://secretsmanager-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk/',
  ],
  ['secretsmanager', 'us-isof-south-1', false, false, 'https://secretsmanager.us-isof-south-1.csp.hci.ic.gov/'],
  ['secretsmanager', 'us-isof-south-1', false, true, 'https://secretsmanager.us-isof-south-1.api.aws.hci.ic.gov/'],
  ['secretsmanager', 'us-isof-south-1', true, false, 'https://secretsmanager-fips.us-isof-south-1.csp.hci.ic.gov/'],
  ['secretsmanager', 'us-isof-south-1', true, true, 'https://secretsmanager-fips.us-isof-south-1.api.aws.hci.ic.gov/'],
  ['secretsmanager', 'eusc-de-east-1', false, false, 'https://secretsmanager.eusc-de-east-1.amazonaws.eu/'],
  ['secretsmanager', 'eusc-de-east-1', false, true, 'https://secretsmanager.eusc-de-east-1.api.amazonwebservices.eu/'],
  ['secretsmanager', 'eusc-de-east-1', true, false, 'https://secretsmanager-fips.eusc-de-east-1.amazonaws.eu/'],
  [
    'secretsmanager',
    'eusc-de-east-1',
    true,
    true,
    'https://secretsmanager-fips.eusc-de-east-1.api.amazonwebservices.eu/',
  ],
  ['secretsmanager', 'xx-new-1', false, false, 'https://secretsmanager.xx-new-1.amazonaws.com/'],
  ['secretsmanager', 'xx-new-1', false, true, 'https://secretsmanager.xx-new-1.amazonaws.com/'],
  ['secretsmanager', 'xx-new-1', true, false, 'https://secretsmanager-fips.xx-new-1.amazonaws.com/'],
  ['secretsmanager', 'xx-new-1', true, true, 'https://secretsmanager-fips.xx-new-1.amazonaws.com/'],
  ['ssm', 'us-east-1', false, false, 'https://ssm.us-east-1.amazonaws.com/'],
  ['ssm', 'us-east-1', false, true, 'https://ssm.us-east-1.api.aws/'],
  ['ssm', 'us-east-1', true, false, 'https://ssm-fips.us-east-1.amazonaws.com/'],
  ['ssm', 'us-east-1', true, true, 'https://ssm-fips.us-east-1.api.aws/'],
  ['ssm', 'eu-west-1', false, false, 'https://ssm.eu-west-1.amazonaws.com/'],
  ['ssm', 'eu-west-1', false, true, 'https://ssm.eu-west-1.api.aws/'],
  ['ssm', 'eu-west-1', true, false, 'https://ssm-fips.eu-west-1.amazonaws.com/'],
  ['ssm', 'eu-west-1', true, true, 'https://ssm-fips.eu-west-1.api.aws/'],
  ['ssm', 'ap-southeast-5', false, false, 'https://ssm.ap-southeast-5.amazonaws.com/'],
  ['ssm', 'ap-southeast-5', false, true, 'https://ssm.ap-southeast-5.api.aws/'],
  ['ssm', 'ap-southeast-5', true, false, 'https://ssm-fips.ap-southeast-5.amazonaws.com/'],
  ['ssm', 'ap-southeast-5', true, true, 'https://ssm-fips.ap-southeast-5.api.aws/'],
  ['ssm', 'cn-north-1', false, false, 'https://ssm.cn-north-1.amazonaws.com.cn/'],
  ['ssm', 'cn-north-1', false, true, 'https://ssm.cn-north-1.api.amazonwebservices.com.cn/'],
  ['ssm', 'cn-north-1', true, false, 'https://ssm-fips.cn-north-1.amazonaws.com.cn/'],
  ['ssm', 'cn-north-1', true, true, 'https://ssm-fips.cn-north-1.api.amazonwebservices.com.cn/'],
  ['ssm', 'cn-northwest-1', false, false, 'https://ssm.cn-northwest-1.amazonaws.com.cn/'],
  ['ssm', 'cn-northwest-1', false, true, 'https://ssm.cn-northwest-1.api.amazonwebservices.com.cn/'],
  ['ssm', 'cn-northwest-1', true, false, 'https://ssm-fips.cn-northwest-1.amazonaws.com.cn/'],
  ['ssm', 'cn-northwest-1', true, true, 'https://ssm-fips.cn-northwest-1.api.amazonwebservices.com.cn/'],
  ['ssm', 'us-gov-west-1', false, false, 'https://ssm.us-gov-west-1.amazonaws.com/'],
  ['ssm', 'us-gov-west-1', false, true, 'https://ssm.us-gov-west-1.api.aws/'],
  ['ssm', 'us-gov-west-1', true, false, 'https://ssm.us-gov-west-1.amazonaws.com/'],
  ['ssm', 'us-gov-west-1', true, true, 'https://ssm-fips.us-gov-west-1.api.aws/'],
  ['ssm', 'us-gov-east-1', false, false, 'https://ssm.us-gov-east-1.amazonaws.com/'],
  ['ssm', 'us-gov-east-1', false, true, 'https://ssm.us-gov-east-1.api.aws/'],
  ['ssm', 'us-gov-east-1', true, false, 'https://ssm.us-gov-east-1.amazonaws.com/'],
  ['ssm', 'us-gov-east-1', true, true, 'https://ssm-fips.us-gov-east-1.api.aws/'],
  ['ssm', 'us-iso-east-1', false, false, 'https://ssm.us-iso-east-1.c2s.ic.gov/'],
  ['ssm', 'us-iso-east-1', false, true, 'https://ssm.us-iso-east-1.api.aws.ic.gov/'],
  ['ssm', 'us-iso-east-1', true, false, 'https://ssm-fips.us-iso-east-1.c2s.ic.gov/'],
  ['ssm', 'us-iso-east-1', true, true, 'https://ssm-fips.us-iso-east-1.api.aws.ic.gov/'],
  ['ssm', 'us-isob-east-1', false, false, 'https://ssm.us-isob-east-1.sc2s.sgov.gov/'],
  ['ssm', 'us-isob-east-1', false, true, 'https://ssm.us-isob-east-1.api.aws.scloud/'],
  ['ssm', 'us-isob-east-1', true, false, 'https://ssm-fips.us-isob-east-1.sc2s.sgov.gov/'],
  ['ssm', 'us-isob-east-1', true, true, 'https://ssm-fips.us-isob-east-1.api.aws.scloud/'],
  ['ssm', 'eu-isoe-west-1', false, false, 'https://ssm.eu-isoe-west-1.cloud.adc-e.uk/'],
  ['ssm', 'eu-isoe-west-1', false, true, 'https://ssm.eu-isoe-west-1.api.cloud-aws.adc-e.uk/'],
  ['ssm', 'eu-isoe-west-1', true, false, 'https://ssm-fips.eu-isoe-west-1.cloud.adc-e.uk/'],
  ['ssm', 'eu-isoe-west-1', true, true, 'https://ssm-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk/'],
  ['ssm', 'us-isof-south-1', false, false, 'https://ssm.us-isof-south-1.csp.hci.ic.gov/'],
  ['ssm', 'us-isof-south-1', false, true, 'https://ssm.us-isof-south-1.api.aws.hci.ic.gov/'],
  ['ssm', 'us-isof-south-1', true, false, 'https://ssm-fips.us-isof-south-1.csp.hci.ic.gov/'],
  ['ssm', 'us-isof-south-1', true, true, 'https://ssm-fips.us-isof-south-1.api.aws.hci.ic.gov/'],
  ['ssm', 'eusc-de-east-1', false, false, 'https://ssm.eusc-de-east-1.amazonaws.eu/'],
  ['ssm', 'eusc-de-east-1', false, true, 'https://ssm.eusc-de-east-1.api.amazonwebservices.eu/'],
  ['ssm', 'eusc-de-east-1', true, false, 'https://ssm-fips.eusc-de-east-1.amazonaws.eu/'],
  ['ssm', 'eusc-de-east-1', true, true, 'https://ssm-fips.eusc-de-east-1.api.amazonwebservices.eu/'],
  ['ssm', 'xx-new-1', false, false, 'https://ssm.xx-new-1.amazonaws.com/'],
  ['ssm', 'xx-new-1', false, true, 'https://ssm.xx-new-1.api.aws/'],
  ['ssm', 'xx-new-1', true, false, 'https://ssm-fips.xx-new-1.amazonaws.com/'],
  ['ssm', 'xx-new-1', true, true, 'https://ssm-fips.xx-new-1.api.aws/'],
];

describe('defaultEndpointOf', () => {
  it.each(SDK_ENDPOINTS)('gives %s in %s (FIPS %s, dual-stack %s) the endpoint %s', async (s, r, fips, dual, url) => {
    expect((await defaultEndpointOf(s, r, { fips, dualStack: dual })).href).toBe(url);
  });
});

describe('defaultEndpoint', () => {
  // A partition as the vendor's data could describe one (every partition there has both options today).
  const plain = { name: 'aws-x', dnsSuffix: 'x.example', dualStackDnsSuffix: 'api.x.example' };
  it('refuses an option the partition does not support, naming the partition and the settings', () => {
    const noDualStack = { ...plain, supportsFIPS: true, supportsDualStack: false };
    expect(() => defaultEndpoint('ssm', 'xx-1', noDualStack, { fips: false, dualStack: true })).toThrow(
      /^the AWS partition aws-x has no dual-stack endpoints: unset AWS_USE_FIPS_ENDPOINT/,
    );
    expect(() => defaultEndpoint('ssm', 'xx-1', noDualStack, { fips: true, dualStack: true })).toThrow(
      /has no FIPS and dual-stack endpoints/,
    );
    const noFips = { ...plain, supportsFIPS: false, supportsDualStack: true };
    expect(() => defaultEndpoint('secretsmanager', 'xx-1', noFips, { fips: true, dualStack: false })).toThrow(
      /has no FIPS endpoints/,
    );
    expect(defaultEndpoint('secretsmanager', 'xx-1', noFips, { fips: false, dualStack: true })).toBe(
      'https://secretsmanager.xx-1.api.x.example',
    );
  });
});

describe('serviceTarget', () => {
  let dir: string;
  let n = 0;
  // A config file of its own for each test: the SDK's loader keeps what it read by path.
  const config = (text: string): void => {
    const path = join(dir, `config-${++n}`);
    writeFileSync(path, text);
    vi.stubEnv('AWS_CONFIG_FILE', path);
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aws-service-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());
  const target = async (service: AwsService, region: string | undefined, env: Record<string, string> = {}) => {
    // No instance metadata is asked for a region (loopback only), and no file of the machine is read.
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'none'));
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    const t = await serviceTarget(service, region, env);
    return { region: t.region, endpoint: t.endpoint.href };
  };

  it('takes the region of the AWS profile when the reference and the environment name none', async () => {
    config('[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n');
    expect(await target('secretsmanager', undefined)).toEqual({
      region: 'eu-west-1',
      endpoint: 'https://secretsmanager.eu-west-1.amazonaws.com/',
    });
    expect(await target('ssm', undefined, { AWS_PROFILE: 'dev' })).toEqual({
      region: 'ap-south-1',
      endpoint: 'https://ssm.ap-south-1.amazonaws.com/',
    });
  });

  it("fails with the SDK's 'Region is missing' when nothing names a region", async () => {
    config('[default]\noutput = json\n');
    await expect(target('secretsmanager', undefined)).rejects.toThrow(/^Region is missing$/);
  });

  it('refuses a profile region that is no host name, as the SDK does', async () => {
    config('[default]\nregion = ../x\n');
    await expect(target('secretsmanager', undefined)).rejects.toThrow(/^Region not accepted/);
  });

  it('reads FIPS and dual-stack from the environment and from the profile', async () => {
    config('[default]\nuse_dualstack_endpoint = true\n');
    expect((await target('ssm', 'eu-west-1')).endpoint).toBe('https://ssm.eu-west-1.api.aws/');
    expect((await target('ssm', 'eu-west-1', { AWS_USE_FIPS_ENDPOINT: 'true' })).endpoint).toBe(
      'https://ssm-fips.eu-west-1.api.aws/',
    );
    config('[default]\n');
    expect((await target('secretsmanager', 'cn-north-1', { AWS_USE_FIPS_ENDPOINT: 'true' })).endpoint).toBe(
      'https://secretsmanager-fips.cn-north-1.amazonaws.com.cn/',
    );
  });

  it('takes a fips- region as its region with FIPS endpoints, as the SDK does', async () => {
    config('[default]\n');
    expect(await target('secretsmanager', 'fips-us-east-2')).toEqual({
      region: 'us-east-2',
      endpoint: 'https://secretsmanager-fips.us-east-2.amazonaws.com/',
    });
  });

  it('takes the endpoint from AWS_ENDPOINT_URL*, else from the profile unless told to ignore it', async () => {
    config(
      '[default]\nendpoint_url = http://127.0.0.1:7001\nservices = local\n' +
        '[services local]\nssm =\n  endpoint_url = http://127.0.0.1:7002\n',
    );
    expect((await target('secretsmanager', 'us-east-1')).endpoint).toBe('http://127.0.0.1:7001/');
    expect((await target('ssm', 'us-east-1')).endpoint).toBe('http://127.0.0.1:7002/');
    expect((await target('ssm', 'us-east-1', { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:7003' })).endpoint).toBe(
      'http://127.0.0.1:7003/',
    );
    expect((await target('ssm', 'us-east-1', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).endpoint).toBe(
      'https://ssm.us-east-1.amazonaws.com/',
    );
  });

  it('refuses a configured endpoint together with FIPS, as the SDK does, saying what to unset', async () => {
    config('[default]\n');
    const failure = await target('secretsmanager', 'us-east-1', {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:7001',
      AWS_USE_FIPS_ENDPOINT: 'true',
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).kind).toBe('Invalid');
    expect((failure as ProviderError).message).toMatch(/unset AWS_USE_FIPS_ENDPOINT/);
  });
});
