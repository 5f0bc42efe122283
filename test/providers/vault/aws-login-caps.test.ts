// Vault's AWS IAM login takes its credentials from the AWS SDK's default chain; the answers that chain reads
// are capped and checked as for the aws provider (src/providers/shared/aws-body-cap.ts,
// aws-credential-chain.ts). Here web identity: STS AssumeRoleWithWebIdentity behind a fault front.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../src/errors/errors.js';
import { buildAwsLoginData } from '../../../src/providers/vault/aws-login.js';
import { ACCOUNT } from '../../fakes/aws.js';
import { ISSUED_CREDENTIALS, startStsFake, type CredentialsFake } from '../../fakes/aws-credentials.js';
import { startFaultFront, type FaultAction } from '../../fakes/fault-front.js';

const MARKER = 'VAULT-AWS-LOGIN-MARKER';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/vault-login`;
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fake-vault-web-identity.sig';
let dir: string;
let sts: CredentialsFake;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vault-aws-login-caps-'));
  writeFileSync(join(dir, 'token'), TOKEN);
  sts = await startStsFake({ token: TOKEN, roleArn: ROLE_ARN });
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/aws-credentials');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', join(dir, 'token'));
  vi.stubEnv('AWS_ROLE_ARN', ROLE_ARN);
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_ENDPOINT_URL',
  ])
    vi.stubEnv(name, undefined);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sts.close();
  rmSync(dir, { recursive: true, force: true });
});

// Builds the login data with STS behind a front applying `action` (none: passes through).
async function login(action?: FaultAction): Promise<Record<string, string>> {
  const front = await startFaultFront({
    target: sts.url,
    rules: action === undefined ? [] : [{ match: () => true, action }],
  });
  vi.stubEnv('AWS_ENDPOINT_URL_STS', front.url);
  try {
    return await buildAwsLoginData({
      env: { AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'), AWS_ROLE_ARN: ROLE_ARN },
    });
  } finally {
    await front.close();
  }
}

describe("Vault's AWS IAM login through web identity", () => {
  it('signs with the credentials STS issued', async () => {
    const data = await login();
    const headers = Buffer.from(data.iam_request_headers ?? '', 'base64').toString();
    expect(headers).toContain(`Credential=${ISSUED_CREDENTIALS.accessKeyId}/`);
    expect(headers).toContain(ISSUED_CREDENTIALS.sessionToken);
  });

  it.each([
    ['an oversized', { kind: 'oversized', marker: MARKER, bytes: 9 * 1024 * 1024 } as const, /more than 4194304/],
    ['an HTML', { kind: 'wrong-content-type', marker: MARKER } as const, /not what AWS sends/],
  ])('%s STS answer is Invalid, naming web identity, never quoting the body', async (_name, action, reason) => {
    const error = await login(action).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    const failure = error as ProviderError;
    expect(failure.kind).toBe('Invalid');
    expect(failure.message).toMatch(/^AWS IAM login: the credentials answer of web identity/);
    expect(failure.message).toMatch(reason);
    expect(failure.message).not.toContain(MARKER);
  });
});
