// The built executable against the credential sources of the AWS SDK's chain that a container uses — web
// identity (STS AssumeRoleWithWebIdentity) and the container credentials endpoint — each behind a fault
// front: a good answer signs the secret read; an oversized or HTML answer fails closed (exit 125, no
// program), naming the variable and the credential source, never the body. It proves the cap reaches the
// SDK's own handlers inside the bundled provider chunk, not only in the unit tests' module graph.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startAwsFake, type AwsFake } from '../fakes/aws.js';
import {
  ISSUED_CREDENTIALS,
  startContainerCredentialsFake,
  startStsFake,
  type CredentialsFake,
} from '../fakes/aws-credentials.js';
import { startFaultFront, type FaultAction } from '../fakes/fault-front.js';
import { FIXTURES, runBinary } from '../support/run-binary.js';

const MARKER = 'E2E-CREDENTIALS-MARKER';
const VALUE = 'aws-credential-caps-e2e-value';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app-irsa`;
const WEB_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fake-e2e-web-identity.sig';
const PATH = '/v2/credentials/e2e';
const AGENT_TOKEN = 'fake-e2e-container-token';
let aws: AwsFake;
let sts: CredentialsFake;
let agent: CredentialsFake;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aws-credential-caps-e2e-'));
  writeFileSync(join(dir, 'token'), WEB_TOKEN);
  aws = await startAwsFake({ credentials: ISSUED_CREDENTIALS });
  aws.putSecret('app/db', VALUE);
  sts = await startStsFake({ token: WEB_TOKEN, roleArn: ROLE_ARN });
  agent = await startContainerCredentialsFake({ path: PATH, token: AGENT_TOKEN });
});
afterAll(async () => {
  await Promise.all([aws.close(), sts.close(), agent.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const sources = {
  'web identity credentials': {
    fake: () => sts,
    env: (url: string) => ({
      AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'),
      AWS_ROLE_ARN: ROLE_ARN,
      AWS_ENDPOINT_URL_STS: url,
    }),
    named: /web identity \(STS AssumeRoleWithWebIdentity/,
  },
  'container credentials': {
    fake: () => agent,
    env: (url: string) => ({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}${PATH}`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: AGENT_TOKEN,
    }),
    named: /container credentials endpoint \(AWS_CONTAINER_CREDENTIALS_FULL_URI\)/,
  },
} as const;

// Runs `DB=aws-sm://app/db secrets-exec -- print-env.sh` with the source's endpoint behind a front.
async function run(source: keyof typeof sources, action?: FaultAction) {
  const { fake, env } = sources[source];
  const front = await startFaultFront({
    target: fake().url,
    rules: action === undefined ? [] : [{ match: () => true, action }],
  });
  try {
    return await runBinary(['--', `${FIXTURES}/print-env.sh`], {
      env: {
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
        DB: 'aws-sm://app/db',
        ...env(front.url),
      },
    });
  } finally {
    await front.close();
  }
}

describe.each(Object.keys(sources) as Array<keyof typeof sources>)('secrets-exec with %s', (source) => {
  it('gets credentials that sign the secret read', async () => {
    const result = await run(source);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`DB=${VALUE}`);
  });

  it.each([
    ['an oversized', { kind: 'oversized', marker: MARKER, bytes: 9 * 1024 * 1024 } as const, /more than 4194304/],
    ['an HTML', { kind: 'wrong-content-type', marker: MARKER } as const, /not what AWS sends/],
  ])('fails closed on %s credentials answer, naming the source', async (_name, action, reason) => {
    const result = await run(source, action);
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/secrets-exec: error: DB: aws-sm:\/\/app\/db via aws: Invalid: /);
    expect(result.stderr).toMatch(sources[source].named);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toContain(MARKER);
  });
});
