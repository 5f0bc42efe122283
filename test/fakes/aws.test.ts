// The AWS fake itself: it must refuse what AWS refuses (no signature, a wrong key, the wrong content
// type, too many ids), so that the provider tests that pass against it mean something.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { AWS_TEST_CREDENTIALS } from './aws.js';
import { RateLimit } from './rate-limit.js';
import { current, useAwsFake } from '../support/aws.js';

useAwsFake();

// A raw JSON 1.1 request, unsigned unless headers say otherwise.
async function post(
  target: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(current.fake.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the AWS fake', () => {
  it('refuses an unsigned request as AWS does', async () => {
    const { status, json } = await post('secretsmanager.GetSecretValue', { SecretId: 'x' });
    expect(status).toBe(400);
    expect(json.__type).toBe('MissingAuthenticationTokenException');
    expect(current.fake.requests[0]?.auth).toBe('no Authorization header');
  });

  it('refuses a forged Authorization header', async () => {
    const forged =
      `AWS4-HMAC-SHA256 Credential=${AWS_TEST_CREDENTIALS.accessKeyId}/20260101/us-east-1/` +
      `secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    const { status, json } = await post(
      'secretsmanager.GetSecretValue',
      { SecretId: 'x' },
      { authorization: forged, 'x-amz-date': '20260101T000000Z' },
    );
    expect(status).toBe(400);
    expect(json.__type).toBe('InvalidSignatureException');
  });

  it('answers GetParameter through the real SDK, signed and checked', async () => {
    current.fake.putParameter('/single', 'one', { type: 'SecureString' });
    const client = new SSMClient({
      region: 'us-east-1',
      endpoint: current.fake.url,
      credentials: AWS_TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const out = await client.send(new GetParameterCommand({ Name: '/single', WithDecryption: true }));
      expect(out.Parameter).toMatchObject({ Name: '/single', Value: 'one', Type: 'SecureString', Version: 1 });
      const encrypted = await client.send(new GetParameterCommand({ Name: '/single' }));
      expect(encrypted.Parameter?.Value).not.toBe('one');
      await expect(client.send(new GetParameterCommand({ Name: '/none' }))).rejects.toMatchObject({
        name: 'ParameterNotFound',
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      client.destroy();
    }
    expect(current.fake.requests.map((r) => [r.target, r.auth, r.region])).toEqual([
      ['AmazonSSM.GetParameter', 'ok', 'us-east-1'],
      ['AmazonSSM.GetParameter', 'ok', 'us-east-1'],
      ['AmazonSSM.GetParameter', 'ok', 'us-east-1'],
    ]);
  });

  it('refuses a request signed for another service', async () => {
    const client = new SSMClient({
      region: 'us-east-1',
      endpoint: current.fake.url,
      credentials: AWS_TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    // An SSM-signed request sent with a Secrets Manager target.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        request.headers['x-amz-target'] = 'secretsmanager.GetSecretValue';
        return next(args);
      },
      { step: 'build' },
    );
    try {
      await expect(client.send(new GetParameterCommand({ Name: '/x' }))).rejects.toMatchObject({
        name: 'InvalidSignatureException',
      });
      // The signature itself was valid: only its scope (service 'ssm') was wrong for the operation.
      expect(current.fake.requests[0]).toMatchObject({ auth: 'ok', service: 'ssm', status: 400 });
    } finally {
      client.destroy();
    }
  });

  it('answers requests over its rate quota with ThrottlingException, as Secrets Manager does', async () => {
    current.fake.putParameter('/limited', 'v');
    current.fake.rateLimit = new RateLimit(0.001, 1);
    const client = new SSMClient({
      region: 'us-east-1',
      endpoint: current.fake.url,
      credentials: AWS_TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      expect((await client.send(new GetParameterCommand({ Name: '/limited' }))).Parameter?.Value).toBe('v');
      await expect(client.send(new GetParameterCommand({ Name: '/limited' }))).rejects.toMatchObject({
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      client.destroy();
      current.fake.rateLimit = undefined;
    }
  });
});
