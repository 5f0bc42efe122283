// The default endpoint of Secrets Manager and SSM in a region, as the services' endpoint rule sets give it
// (those the SDK clients ship), over the partition the vendor's own data puts the region in (`partition` of
// @aws-sdk/core: aws, aws-cn, aws-us-gov, the ISO partitions, aws-eusc; an unknown region is `aws`):
//   https://SERVICE.REGION.DNS-SUFFIX, `SERVICE-fips` with FIPS, the dual-stack suffix with dual-stack.
// The rule sets' exceptions are kept: Secrets Manager is dual-stack on its usual names in aws and
// aws-us-gov (and its dual-stack name in China is the usual one), and SSM's FIPS endpoint in GovCloud is its
// usual name.
import { ProviderError } from '../../errors/errors.js';

export type AwsService = 'secretsmanager' | 'ssm';

/** What the vendor's partition data says of a region. */
export interface PartitionResult {
  readonly name: string;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  readonly supportsFIPS: boolean;
  readonly supportsDualStack: boolean;
}

/** The endpoint options of the AWS configuration (AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT). */
export interface EndpointOptions {
  readonly fips: boolean;
  readonly dualStack: boolean;
}

/** The service's default endpoint URL in `region` of partition `p`; Invalid when the partition lacks an option. */
export function defaultEndpoint(service: AwsService, region: string, p: PartitionResult, o: EndpointOptions): string {
  if (o.fips && !p.supportsFIPS) throw unsupported(o.dualStack ? 'FIPS and dual-stack endpoints' : 'FIPS endpoints', p);
  if (o.dualStack && !p.supportsDualStack)
    throw unsupported(o.fips ? 'FIPS and dual-stack endpoints' : 'dual-stack endpoints', p);
  const host = o.fips && !(service === 'ssm' && p.name === 'aws-us-gov' && !o.dualStack) ? `${service}-fips` : service;
  return `https://${host}.${region}.${suffix(service, p, o)}`;
}

function suffix(service: AwsService, p: PartitionResult, o: EndpointOptions): string {
  if (!o.dualStack) return p.dnsSuffix;
  if (service === 'secretsmanager') {
    if (p.name === 'aws' || p.name === 'aws-us-gov') return p.dnsSuffix;
    if (p.name === 'aws-cn' && !o.fips) return p.dnsSuffix;
  }
  return p.dualStackDnsSuffix;
}

function unsupported(what: string, p: PartitionResult): ProviderError {
  return new ProviderError(
    'Invalid',
    `the AWS partition ${p.name} has no ${what}: unset AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT ` +
      '(or use_fips_endpoint / use_dualstack_endpoint in the AWS profile)',
  );
}

/** The default endpoint of `region`, with the vendor's partition data (loaded on first use). */
export async function defaultEndpointOf(service: AwsService, region: string, options: EndpointOptions): Promise<URL> {
  const { partition } = await import('./sdk-partition.js');
  return new URL(defaultEndpoint(service, region, partition(region) as PartitionResult, options));
}
