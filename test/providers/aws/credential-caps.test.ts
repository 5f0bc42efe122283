// The answers the AWS SDK's credential chain reads itself are capped and checked like the secret reads
// (src/providers/shared/aws-body-cap.ts, aws-credential-chain.ts): web identity (STS AssumeRoleWithWebIdentity) and
// the container credentials endpoint, each behind a fault front that answers oversized, HTML or cut-short
// bodies. Each such answer fails the reference as Invalid naming the credential source, never quoting the
// body, and no secret read is sent; a good answer gives credentials the AWS fake accepts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsProvider } from '../../../src/providers/aws/aws.js';
import { parseReference, toFetchReference } from '../../../src/refs/index.js';
import { ACCOUNT, startAwsFake, type AwsFake } from '../../fakes/aws.js';
import {
  ISSUED_CREDENTIALS,
  startContainerCredentialsFake,
  startStsFake,
  type CredentialsFake,
} from '../../fakes/aws-credentials.js';
import { startFaultFront, type FaultAction, type FaultFront } from '../../fakes/fault-front.js';
import { testContext } from '../../support/memory-provider.js';
import { errorOf, valueOf } from '../../support/aws.js';

const MARKER = 'CREDENTIALS-BODY-MARKER';
const VALUE = 'credential-caps-value-7f3e';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app-irsa`;
const WEB_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fake-web-identity-token.sig';
const CONTAINER_PATH = '/v2/credentials/fake-task';
const CONTAINER_TOKEN = 'fake-container-authorization-token';

const faults: ReadonlyArray<readonly [string, FaultAction, RegExp]> = [
  ['an oversized', { kind: 'oversized', marker: MARKER, bytes: 9 * 1024 * 1024 }, /more than 4194304 bytes/],
  ['an HTML', { kind: 'wrong-content-type', marker: MARKER }, /not what AWS sends/],
  ['a cut-short', { kind: 'malformed', marker: MARKER }, /not what AWS sends/],
];

let aws: AwsFake;
let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aws-credential-caps-'));
  writeFileSync(join(dir, 'token'), WEB_TOKEN);
  // The SDK's chain reads process.env: only the source under test may be configured.
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/aws-credentials');
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_ENDPOINT_URL',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_ARN',
    'AWS_ENDPOINT_URL_STS',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  ])
    vi.stubEnv(name, undefined);
  aws = await startAwsFake({ credentials: ISSUED_CREDENTIALS });
  aws.putSecret('app/db', VALUE);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await aws.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  aws.reset();
});

// The credential endpoint, behind a front applying `action` to every request when one is given.
async function endpoint(fake: CredentialsFake, action?: FaultAction): Promise<FaultFront> {
  const front = await startFaultFront({
    target: fake.url,
    rules: action === undefined ? [] : [{ match: () => true, action }],
  });
  cleanups.push(
    () => front.close(),
    () => fake.close(),
  );
  return front;
}

// Resolves aws-sm://app/db in one run, with `env` both in process.env (for the SDK) and in the context.
async function resolveWith(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  try {
    const ctx = testContext({ env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, ...env } });
    const instance = awsProvider.create(ctx);
    try {
      const [outcome] = await instance.resolve([toFetchReference(parseReference('aws-sm://app/db'))]);
      return outcome;
    } finally {
      await instance.close();
    }
  } finally {
    for (const name of Object.keys(env)) vi.stubEnv(name, undefined);
  }
}

const webIdentity = async (action?: FaultAction) => {
  const sts = await startStsFake({ token: WEB_TOKEN, roleArn: ROLE_ARN });
  const front = await endpoint(sts, action);
  const outcome = await resolveWith({
    AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'),
    AWS_ROLE_ARN: ROLE_ARN,
    AWS_ENDPOINT_URL_STS: front.url,
  });
  return { outcome, fake: sts };
};

const container = async (action?: FaultAction) => {
  const agent = await startContainerCredentialsFake({ path: CONTAINER_PATH, token: CONTAINER_TOKEN });
  const front = await endpoint(agent, action);
  const outcome = await resolveWith({
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${front.url}${CONTAINER_PATH}`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN,
  });
  return { outcome, fake: agent };
};

describe.each([
  ['web identity (STS AssumeRoleWithWebIdentity)', webIdentity, /web identity \(STS AssumeRoleWithWebIdentity/],
  ['container credentials', container, /container credentials endpoint \(AWS_CONTAINER_CREDENTIALS_FULL_URI\)/],
])('%s', (_name, setup, source) => {
  it('gives credentials that sign the secret read', async () => {
    const { outcome, fake } = await setup();
    expect(valueOf(outcome)).toBe(VALUE);
    expect(fake.accepted).toBe(1);
    expect(aws.requests.length).toBeGreaterThan(0);
    expect(aws.requests.every((r) => r.auth === 'ok')).toBe(true);
  });

  it.each(faults)('%s answer is Invalid, naming the source and not quoting the body', async (_f, action, reason) => {
    const { outcome } = await setup(action);
    const error = errorOf(outcome);
    expect(error.kind).toBe('Invalid');
    expect(error.message).toMatch(source);
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain(MARKER);
    expect(error.message).not.toContain(ISSUED_CREDENTIALS.secretAccessKey);
    expect(aws.requests).toHaveLength(0);
  });
});
