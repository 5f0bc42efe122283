// The AWS SDK clients of one run: loaded on first use (a run with only aws-sm:// references never
// evaluates the SSM SDK), one client per service and region, created once and destroyed by `close`.
// Settings come from the wrapper's environment (ctx.env): AWS_REGION (then AWS_DEFAULT_REGION, the AWS
// CLI's name), AWS_PROFILE, AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL
// (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true). Credentials are the SDK's default chain, untouched.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ProviderError } from '../../errors/errors.js';
import type { Logger } from '../../log/logger.js';
import type { Reference } from '../../refs/index.js';
import type { ProviderContext } from '../../resolve/types.js';
import { capAwsAnswers } from '../shared/aws-body-cap.js';
import { markedDefaultProvider } from '../shared/aws-credential-chain.js';
import { classifyAwsError } from './errors.js';
import { createLimit } from '../shared/limit.js';
import { awsHandlerOptions, type AwsHandlerOptions } from './transport.js';
import { regionFromEnv } from './region.js';

type Env = ProviderContext['env'];
type AwsService = 'secretsmanager' | 'ssm';

/** The Secrets Manager SDK module, evaluated on first use (the module system keeps it once evaluated). */
export function loadSecretsManagerSdk(): Promise<typeof import('@aws-sdk/client-secrets-manager')> {
  return import('@aws-sdk/client-secrets-manager');
}

/** The SSM SDK module, evaluated on first use. */
export function loadSsmSdk(): Promise<typeof import('@aws-sdk/client-ssm')> {
  return import('@aws-sdk/client-ssm');
}

/** What the batching code of one service needs from the run. */
export interface AwsRun {
  readonly env: Env;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Regions (by client key) where BatchGetSecretValue itself was denied: use GetSecretValue there. */
  readonly batchDenied: Set<string>;
  secretsManager(region: string | undefined): Promise<SecretsManagerClient>;
  ssm(region: string | undefined): Promise<SSMClient>;
  /** classifyAwsError with this run's environment (for the "no credentials" message). */
  classify(error: unknown): ProviderError;
  /** Sends one call, logged at debug level with its operation, region, count and time — never what came back. */
  timed<T>(call: { operation: string; region: string | undefined; count: number }, send: () => Promise<T>): Promise<T>;
}

/** One run's clients, and the way to end them. */
interface AwsRunState extends AwsRun {
  /** Destroys the run's clients (closing their keep-alive sockets). */
  destroy(): void;
}

/** The clients of one run, created on first use per service and region. */
export function createAwsRun(ctx: ProviderContext): AwsRunState {
  const { env, log, signal } = ctx;
  const clients = new Map<string, Promise<SecretsManagerClient | SSMClient>>();
  const limit = createLimit();
  // The agents of a proxy or of AWS_CA_BUNDLE, made once and shared by the run's clients.
  let transport: Promise<AwsHandlerOptions | undefined> | undefined;
  // Every answer capped (shared/aws-body-cap.ts), the credential chain's failures marked (aws-credential-chain.ts).
  let chain: ReturnType<typeof markedDefaultProvider> | undefined;
  const clientOptions = async () => {
    transport ??= awsHandlerOptions(ctx);
    chain ??= capAwsAnswers().then(markedDefaultProvider);
    const [options, credentialDefaultProvider] = await Promise.all([transport, chain]);
    return { ...(options === undefined ? {} : { requestHandler: options }), credentialDefaultProvider };
  };
  const clientFor = <T extends SecretsManagerClient | SSMClient>(
    service: AwsService,
    region: string | undefined,
    make: (config: ClientSettings) => Promise<T>,
  ): Promise<T> => {
    const key = `${service}:${region ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      client = make(clientSettings(service, region, env));
      clients.set(key, client);
    }
    return client as Promise<T>;
  };
  return {
    env,
    log,
    signal,
    batchDenied: new Set(),
    secretsManager: (region) =>
      clientFor('secretsmanager', region, async (settings) => {
        const started = Date.now();
        const sdk = await loadSecretsManagerSdk();
        log.debug('aws.sdk', 'Secrets Manager client ready', {
          region: region ?? '(sdk default)',
          endpoint: settings.endpoint,
          ms: Date.now() - started,
        });
        return new sdk.SecretsManagerClient({ ...settings, ...(await clientOptions()) });
      }),
    ssm: (region) =>
      clientFor('ssm', region, async (settings) => {
        const started = Date.now();
        const sdk = await loadSsmSdk();
        log.debug('aws.sdk', 'SSM client ready', {
          region: region ?? '(sdk default)',
          endpoint: settings.endpoint,
          ms: Date.now() - started,
        });
        return new sdk.SSMClient({ ...settings, ...(await clientOptions()) });
      }),
    classify: (error) => classifyAwsError(error, env),
    async timed(call, send) {
      const started = Date.now();
      try {
        // Every AWS call of the run goes through here: the cap on calls in flight at once.
        return await limit(send);
      } finally {
        log.debug('aws.call', call.operation, {
          region: call.region ?? '(sdk default)',
          count: call.count,
          ms: Date.now() - started,
        });
      }
    },
    destroy() {
      for (const client of clients.values())
        client.then(
          (c) => c.destroy(),
          () => undefined,
        );
      clients.clear();
    },
  };
}

interface ClientSettings {
  region?: string;
  endpoint?: string;
  profile?: string;
  maxAttempts: number;
}

// One client's configuration. maxAttempts 1: the SDK does no retries of its own, because transient
// failures are retried once, centrally, with backoff and jitter under the run's deadline (resolve/retry.ts).
function clientSettings(service: AwsService, region: string | undefined, env: Env): ClientSettings {
  const settings: ClientSettings = { maxAttempts: 1 };
  if (region !== undefined) settings.region = region;
  const endpoint = endpointFor(service, env);
  if (endpoint !== undefined) settings.endpoint = endpoint;
  if (env.AWS_PROFILE) settings.profile = env.AWS_PROFILE;
  return settings;
}

/** The endpoint the SDK would take from the environment, read from the wrapper's env and checked. */
export function endpointFor(service: AwsService, env: Env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  const specific = service === 'secretsmanager' ? 'AWS_ENDPOINT_URL_SECRETS_MANAGER' : 'AWS_ENDPOINT_URL_SSM';
  const variable = env[specific] ? specific : env.AWS_ENDPOINT_URL ? 'AWS_ENDPOINT_URL' : undefined;
  if (variable === undefined) return undefined;
  const value = env[variable] ?? '';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProviderError(
      'Invalid',
      `${variable} is not a URL (expected e.g. https://secretsmanager.eu-west-1.amazonaws.com)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ProviderError('Invalid', `${variable} must be an http(s) URL`);
  return value;
}

/**
 * The region a reference is fetched from: an ARN's own region, else ?region=, else AWS_REGION or
 * AWS_DEFAULT_REGION; undefined leaves it to the SDK (the profile's region in ~/.aws/config).
 */
export function regionOf(ref: Reference, env: Env): string | undefined {
  const fromArn = ref.path.startsWith('arn:') ? ref.path.split(':')[3] : undefined;
  const fromParam = ref.params.region;
  if (fromArn !== undefined && fromParam !== undefined && fromArn !== fromParam) {
    throw new ProviderError(
      'Invalid',
      `the ARN is in region ${fromArn} but ?region=${fromParam} names another: remove ?region=`,
    );
  }
  return fromArn ?? fromParam ?? regionFromEnv(env);
}
