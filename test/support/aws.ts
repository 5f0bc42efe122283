// Shared set-up for the AWS provider tests: the loopback fake, explicit test credentials for the SDK's
// default chain (which reads process.env itself), and a helper that resolves reference texts in one run.
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { awsProvider } from '../../src/providers/aws/aws.js';
import type { Outcome, ProviderContext } from '../../src/resolve/types.js';
import { AWS_TEST_CREDENTIALS, startAwsFake, type AwsFake } from '../fakes/aws.js';
import { testContext } from './memory-provider.js';
import { resolveInOneRun } from './outcomes.js';

/** The fake of the current test (a fresh one for each test). */
export const current: { fake: AwsFake } = { fake: undefined as unknown as AwsFake };

/** Installs the fake and hermetic credentials around every test of the file. */
export function useAwsFake(): void {
  beforeAll(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', AWS_TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', AWS_TEST_CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    // No shared files or profile of the machine running the tests may take part.
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/aws-credentials');
    for (const name of [
      'AWS_PROFILE',
      'AWS_SESSION_TOKEN',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_ENDPOINT_URL',
      'AWS_ENDPOINT_URL_SECRETS_MANAGER',
      'AWS_ENDPOINT_URL_SSM',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ]) {
      vi.stubEnv(name, undefined);
    }
  });
  afterAll(() => vi.unstubAllEnvs());
  beforeEach(async () => {
    current.fake = await startAwsFake();
  });
  afterEach(async () => {
    await current.fake.close();
  });
}

/** A provider context whose environment points the SDK at the fake. */
export function awsContext(
  env: Record<string, string | undefined> = {},
  overrides: Partial<ProviderContext> = {},
): ProviderContext {
  return testContext({ env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: current.fake.url, ...env }, ...overrides });
}

/** Resolves reference texts as one batch of one run (then closes the run, as main does). */
export function resolveRefs(
  refs: readonly string[],
  env: Record<string, string | undefined> = {},
  ctx = awsContext(env),
): Promise<Outcome[]> {
  return resolveInOneRun(awsProvider, refs, ctx);
}

export { errorOf, valueOf } from './outcomes.js';
