// The AWS service clients of one run: one per service and region, made on first use (JSON 1.1 over
// node:http(s), json-rpc.ts), sharing the run's agents (closed by `destroy`) and the vendor's credential
// chain. Settings come from the wrapper's environment (ctx.env): AWS_REGION (then AWS_DEFAULT_REGION, the AWS
// CLI's name), AWS_PROFILE, AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL
// (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), and the rest as the SDK reads it (service-config.ts).
// Credentials are the SDK's default chain, untouched. Each call is made once: retries are central.
import { ProviderError } from '../../errors/errors.js';
import type { Logger } from '../../log/logger.js';
import type { Reference } from '../../refs/index.js';
import type { ProviderContext } from '../../resolve/types.js';
import { capAwsAnswers } from '../shared/aws-body-cap.js';
import { chainTakesEnvironmentKeys, markedDefaultProvider } from '../shared/aws-credential-chain.js';
import { classifyAwsError } from './errors.js';
import type { AwsService } from './endpoint.js';
import { createJsonRpcClient, type AwsCredentials, type JsonRpcClient } from './json-rpc.js';
import { createLimit } from '../shared/limit.js';
import { serviceTarget } from './service-config.js';
import { awsAgents, type AwsAgents } from './transport.js';
import { regionFromEnv } from './region.js';

type Env = ProviderContext['env'];
type ChainInit = Parameters<Awaited<ReturnType<typeof markedDefaultProvider>>>[0];

/** What the batching code of one service needs from the run. */
export interface AwsRun {
  readonly env: Env;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Regions (by client key) where BatchGetSecretValue itself was denied: use GetSecretValue there. */
  readonly batchDenied: Set<string>;
  secretsManager(region: string | undefined): Promise<JsonRpcClient>;
  ssm(region: string | undefined): Promise<JsonRpcClient>;
  /** classifyAwsError with this run's environment (for the "no credentials" message). */
  classify(error: unknown): ProviderError;
  /** Sends one call, logged at debug level with its operation, region, count and time — never what came back. */
  timed<T>(call: { operation: string; region: string | undefined; count: number }, send: () => Promise<T>): Promise<T>;
}

/** One run's clients, and the way to end them. */
interface AwsRunState extends AwsRun {
  /** Closes the run's keep-alive sockets. */
  destroy(): void;
}

// The X-Amz-Target prefix of each service's JSON 1.1 operations (API references).
const TARGET_PREFIX: Record<AwsService, string> = { secretsmanager: 'secretsmanager', ssm: 'AmazonSSM' };

/** The clients of one run, created on first use per service and region. */
export function createAwsRun(ctx: ProviderContext): AwsRunState {
  const { env, log, signal } = ctx;
  const clients = new Map<string, Promise<JsonRpcClient>>();
  const limit = createLimit();
  // The agents (a proxy, AWS_CA_BUNDLE, keep-alive), made once and shared by the run's clients and the
  // credential chain's own requests (STS for web identity or an assumed role, SSO).
  let agents: Promise<AwsAgents> | undefined;
  // Every answer the chain reads capped (shared/aws-body-cap.ts), its failures marked (aws-credential-chain.ts).
  let chain: ReturnType<typeof markedDefaultProvider> | undefined;
  let destroyed = false;
  const clientFor = (service: AwsService, region: string | undefined): Promise<JsonRpcClient> => {
    const key = `${service}:${region ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      client = makeClient(service, region);
      clients.set(key, client);
    }
    return client;
  };
  const makeClient = async (service: AwsService, region: string | undefined): Promise<JsonRpcClient> => {
    const started = Date.now();
    agents ??= awsAgents(ctx);
    // The cap sits in the SDK's HTTP handler, which only a chain that makes requests needs (and loads).
    chain ??= (chainTakesEnvironmentKeys(env) ? Promise.resolve() : capAwsAnswers()).then(markedDefaultProvider);
    const [target, runAgents, defaultProvider] = await Promise.all([
      serviceTarget(service, region, env),
      agents,
      chain,
    ]);
    // As an SDK client hands itself to the chain: its profile, region and HTTP agents serve the chain's own
    // clients (STS, SSO), which take the region of the client they get credentials for.
    // The handler is given as its options (httpAgent, httpsAgent): the SDK makes its handler from them.
    const callerClientConfig = {
      profile: env.AWS_PROFILE || undefined,
      region: async () => target.region,
      // Not spread: each agent is made when the chain's handler first asks for it (transport.ts).
      requestHandler: runAgents,
    };
    const init = { profile: callerClientConfig.profile, parentClientConfig: callerClientConfig };
    const provider = defaultProvider(init as unknown as ChainInit);
    const identity = { callerClientConfig } as unknown as Parameters<typeof provider>[0];
    const credentials = (): Promise<AwsCredentials> => provider(identity);
    const client = await createJsonRpcClient({
      targetPrefix: TARGET_PREFIX[service],
      signingName: service,
      region: target.region,
      endpoint: target.endpoint,
      credentials,
      agents: runAgents,
      signal,
    });
    log.debug('aws.client', `${service === 'ssm' ? 'SSM' : 'Secrets Manager'} client ready`, {
      region: target.region,
      endpoint: target.endpoint.origin,
      ms: Date.now() - started,
    });
    return client;
  };
  return {
    env,
    log,
    signal,
    batchDenied: new Set(),
    secretsManager: (region) => clientFor('secretsmanager', region),
    ssm: (region) => clientFor('ssm', region),
    classify: (error) => classifyAwsError(error, env),
    async timed(call, send) {
      const started = Date.now();
      try {
        // Every AWS call of the run goes through here: the cap on calls in flight at once.
        return await limit(send);
      } finally {
        log.debug('aws.call', call.operation, {
          region: call.region ?? '(configured)',
          count: call.count,
          ms: Date.now() - started,
        });
      }
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      agents?.then(
        (a) => a.destroy(),
        () => undefined,
      );
      clients.clear();
    },
  };
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
