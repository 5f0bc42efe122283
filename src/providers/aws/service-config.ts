// Where one service's calls go, read as the SDK clients read it, with the vendor's own configuration loader
// (@smithy/core/config: the variable, then the profile of the shared config and credentials files, then the
// default): the region when neither the reference nor AWS_REGION / AWS_DEFAULT_REGION names one (the
// profile's `region`, else the instance metadata's, else "Region is missing"); a `fips-` / `-fips` region;
// AWS_USE_FIPS_ENDPOINT / `use_fips_endpoint`; AWS_USE_DUALSTACK_ENDPOINT / `use_dualstack_endpoint`; the
// endpoint from AWS_ENDPOINT_URL_* (clients.ts), else the profile's `endpoint_url` (or its `services`
// section's), unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / `ignore_configured_endpoint_urls` says not to;
// else the service's default endpoint in the region (endpoint.ts). Variables come from the wrapper's env.
import { ProviderError } from '../../errors/errors.js';
import { endpointFor } from './clients.js';
import { defaultEndpointOf, type AwsService } from './endpoint.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The region to sign for and the endpoint to send to. */
export interface ServiceTarget {
  readonly region: string;
  readonly endpoint: URL;
}

// The names the services have in a `services` section of the config file (the SDK's service ids).
const SERVICE_IDS: Record<AwsService, string> = { secretsmanager: 'secrets_manager', ssm: 'ssm' };

/** The region and endpoint of `service` for a reference of `region` (undefined: the configuration's). */
export async function serviceTarget(service: AwsService, region: string | undefined, env: Env): Promise<ServiceTarget> {
  const config = await import('./sdk-config.js');
  const profile = env.AWS_PROFILE || undefined;
  // The selectors read the wrapper's environment, not the process's (the same here, but tests set it).
  type Options<T> = Parameters<typeof config.loadConfig<T>>[0];
  const load = <T>(options: Options<T>, file: object = {}): (() => Promise<T>) =>
    config.loadConfig<T>(
      { ...options, environmentVariableSelector: (_env, o) => options.environmentVariableSelector(env, o) },
      { profile, ...file },
    );
  const resolved = config.resolveRegionConfig({
    region: region ?? load(config.NODE_REGION_CONFIG_OPTIONS, config.NODE_REGION_CONFIG_FILE_OPTIONS),
    useFipsEndpoint: load(config.NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS),
  });
  const [realRegion, fips, dualStack, configured] = await Promise.all([
    resolved.region(),
    resolved.useFipsEndpoint(),
    load(config.NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS)(),
    configuredEndpoint(service, env, load),
  ]);
  if (configured === undefined)
    return { region: realRegion, endpoint: await defaultEndpointOf(service, realRegion, { fips, dualStack }) };
  if (fips || dualStack) {
    // The SDK refuses these together too: a configured endpoint is used as it is.
    const [what, variable] = fips ? ['FIPS', 'AWS_USE_FIPS_ENDPOINT'] : ['dual-stack', 'AWS_USE_DUALSTACK_ENDPOINT'];
    throw new ProviderError(
      'Invalid',
      `a configured AWS endpoint (${configured.from}) cannot be combined with ${what} endpoints: ` +
        `unset ${variable} (or the profile setting), or the endpoint`,
    );
  }
  return { region: realRegion, endpoint: configured.url };
}

type Loader = <T>(options: {
  environmentVariableSelector: (env: Record<string, string | undefined>) => T | undefined;
  configFileSelector: (profile: Record<string, string | undefined>, file?: Record<string, unknown>) => T | undefined;
  default: T | undefined;
}) => () => Promise<T | undefined>;

// AWS_ENDPOINT_URL_* / AWS_ENDPOINT_URL (checked in clients.ts), else the profile's endpoint_url settings.
async function configuredEndpoint(
  service: AwsService,
  env: Env,
  load: Loader,
): Promise<{ url: URL; from: string } | undefined> {
  const fromEnv = endpointFor(service, env);
  if (fromEnv !== undefined) return { url: new URL(fromEnv), from: 'AWS_ENDPOINT_URL' };
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  const ignore = await load<boolean>({
    environmentVariableSelector: () => undefined,
    configFileSelector: (p) =>
      p.ignore_configured_endpoint_urls === undefined ? undefined : p.ignore_configured_endpoint_urls === 'true',
    default: false,
  })();
  if (ignore) return undefined;
  const value = await load<string | undefined>({
    environmentVariableSelector: () => undefined,
    configFileSelector: (p, file) => {
      const section = p.services ? (file?.[`services.${p.services}`] as Record<string, string> | undefined) : undefined;
      return section?.[`${SERVICE_IDS[service]}.endpoint_url`] ?? p.endpoint_url;
    },
    default: undefined,
  })();
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return { url, from: 'endpoint_url of the AWS profile' };
  } catch {
    // Reported below.
  }
  throw new ProviderError('Invalid', 'the endpoint_url of the AWS profile is not an http(s) URL');
}
