// The region settings a user writes — AWS_REGION, AWS_DEFAULT_REGION — checked for their form before the
// SDK sees them. The SDK takes any text: an empty AWS_REGION or `us-east-1x` then fails inside its endpoint
// rules with a bare Error, which said nothing but "the AWS SDK failed (Error)".
import { ProviderError } from '../../errors/errors.js';
import { awsRegionProblem } from '../../refs/schemes.js';

type Env = Readonly<Record<string, string | undefined>>;

const VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

/**
 * The region the environment names (AWS_REGION, then AWS_DEFAULT_REGION), or undefined when neither is
 * set; throws an Invalid ProviderError when the one that would be used is set but empty, or not a region
 * name. An empty AWS_REGION with AWS_DEFAULT_REGION set falls through to it, as an unset one would.
 */
export function regionFromEnv(env: Env): string | undefined {
  for (const variable of VARIABLES) {
    const value = env[variable];
    if (value === undefined || (value === '' && variable === 'AWS_REGION' && env.AWS_DEFAULT_REGION)) continue;
    if (value === '') {
      throw new ProviderError(
        'Invalid',
        `${variable} is set but empty: set it to a region such as eu-west-1, or unset it ` +
          '(the region then comes from the ARN, ?region=, or the AWS profile)',
      );
    }
    const problem = awsRegionProblem(value);
    if (problem !== undefined) throw new ProviderError('Invalid', `${variable} ${problem}`);
    return value;
  }
  return undefined;
}
