// The hand-written SigV4 verifier is itself tested: against AWS's published examples, against requests
// signed by the SDK's signer, and with every kind of tampering a fake must reject.
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { verifySigV4, type SignedRequest, type TestCredentials } from './sigv4.js';

// The example credentials AWS uses throughout its SigV4 documentation and test suite.
const EXAMPLE: TestCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const CREDS: TestCredentials = {
  accessKeyId: 'AKIATESTTESTTEST',
  secretAccessKey: 'test-secret-key/with+symbols',
  sessionToken: 'session-token-123',
};

// Signs a request with the SDK's signer (the code under test elsewhere) so that the verifier sees what
// a real client sends; the verifier shares no code with it.
async function signWithSdk(input: {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  credentials?: TestCredentials;
  date?: Date;
  service?: string;
}): Promise<SignedRequest> {
  const credentials = input.credentials ?? CREDS;
  const signer = new SignatureV4({
    credentials,
    region: 'eu-west-1',
    service: input.service ?? 'secretsmanager',
    sha256: Sha256,
  });
  const body = input.body ?? '{"SecretId":"app/db"}';
  const signed = await signer.sign(
    {
      method: input.method ?? 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path: input.path ?? '/',
      query: input.query ?? {},
      headers: {
        host: '127.0.0.1:4566',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
        ...input.headers,
      },
      body,
    },
    { signingDate: input.date ?? new Date() },
  );
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) => [v ?? ''].flat().map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(String(x))}`))
    .join('&');
  return { method: signed.method, path: signed.path, query, headers: { ...signed.headers }, body: Buffer.from(body) };
}

describe('verifySigV4', () => {
  // AWS SigV4 test suite, "get-vanilla": a GET of / signed for service "service" in us-east-1.
  it('accepts the get-vanilla example of the AWS SigV4 test suite', () => {
    const result = verifySigV4(
      {
        method: 'GET',
        path: '/',
        query: '',
        headers: {
          Host: 'example.amazonaws.com',
          'X-Amz-Date': '20150830T123600Z',
          Authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
            'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
        },
        body: Buffer.alloc(0),
      },
      EXAMPLE,
      { now: new Date('2015-08-30T12:36:00Z') },
    );
    expect(result).toEqual({ ok: true, service: 'service', region: 'us-east-1', accessKeyId: 'AKIDEXAMPLE' });
  });

  // IAM User Guide example: GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08.
  it('accepts the IAM ListUsers example of the AWS documentation', () => {
    const result = verifySigV4(
      {
        method: 'GET',
        path: '/',
        query: 'Action=ListUsers&Version=2010-05-08',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          host: 'iam.amazonaws.com',
          'x-amz-date': '20150830T123600Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
            'SignedHeaders=content-type;host;x-amz-date, ' +
            'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
        },
        body: Buffer.alloc(0),
      },
      EXAMPLE,
      { now: new Date('2015-08-30T12:40:00Z') },
    );
    expect(result).toMatchObject({ ok: true, service: 'iam' });
  });

  it('accepts a request signed by the SDK with a session token, and reports service and region', async () => {
    const request = await signWithSdk({});
    expect(verifySigV4(request, CREDS)).toEqual({
      ok: true,
      service: 'secretsmanager',
      region: 'eu-west-1',
      accessKeyId: CREDS.accessKeyId,
    });
  });

  it('accepts an SDK-signed request whose path and query need encoding', async () => {
    const request = await signWithSdk({
      method: 'GET',
      path: '/a%20b/c%2Bd/',
      query: { z: 'last', a: ['2', '1'], 'sp ace': 'x y/z' },
      body: '',
    });
    expect(verifySigV4(request, CREDS)).toMatchObject({ ok: true });
  });

  it('accepts an STS GetCallerIdentity request as Vault receives it for AWS IAM login', async () => {
    const request = await signWithSdk({
      service: 'sts',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-vault-aws-iam-server-id': 'vault.example',
      },
    });
    // Vault hands the headers on as lists of values.
    const listed = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, [v].flat() as string[]]));
    expect(verifySigV4({ ...request, headers: listed }, CREDS)).toMatchObject({ ok: true, service: 'sts' });
  });

  // Each way a fake must refuse a request: one table row per tampering.
  it.each<[string, (r: SignedRequest) => SignedRequest, TestCredentials | undefined, RegExp]>([
    [
      'a tampered body',
      (r) => ({ ...r, body: Buffer.from('{"SecretId":"other"}') }),
      undefined,
      /x-amz-content-sha256 does not match|signature does not match/,
    ],
    [
      'a tampered body with the hash header recomputed',
      (r) => tamperWithHash(r),
      undefined,
      /signature does not match/,
    ],
    ['a wrong secret key', (r) => r, { ...CREDS, secretAccessKey: 'not-the-key' }, /signature does not match/],
    ['an unknown access key id', (r) => r, { ...CREDS, accessKeyId: 'AKIAOTHER' }, /unknown access key id/],
    ['a wrong session token', (r) => r, { ...CREDS, sessionToken: 'other-token' }, /wrong session token/],
    [
      'a missing session token header',
      (r) => withoutHeader(r, 'x-amz-security-token'),
      undefined,
      /x-amz-security-token/,
    ],
    [
      'a changed signed header',
      (r) => ({ ...r, headers: { ...r.headers, 'x-amz-target': 'secretsmanager.DeleteSecret' } }),
      undefined,
      /signature does not match/,
    ],
    ['a changed method', (r) => ({ ...r, method: 'PUT' }), undefined, /signature does not match/],
    ['a changed path', (r) => ({ ...r, path: '/other' }), undefined, /signature does not match/],
    ['a changed query', (r) => ({ ...r, query: 'x=1' }), undefined, /signature does not match/],
    ['a missing Authorization header', (r) => withoutHeader(r, 'authorization'), undefined, /no Authorization/],
    ['a missing x-amz-date', (r) => withoutHeader(r, 'x-amz-date'), undefined, /no x-amz-date/],
    [
      'a session token sent for long-term credentials',
      (r) => r,
      { accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey },
      /session token was sent/,
    ],
  ])('rejects %s', async (_name, tamper, credentials, reason) => {
    const request = tamper(await signWithSdk({}));
    const result = verifySigV4(request, credentials ?? CREDS);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it('rejects a request signed with a wrong date (more than 15 minutes off)', async () => {
    const request = await signWithSdk({ date: new Date(Date.now() - 16 * 60_000) });
    expect(verifySigV4(request, CREDS)).toEqual({ ok: false, reason: 'x-amz-date is more than 15 minutes from now' });
    const recent = await signWithSdk({ date: new Date(Date.now() - 14 * 60_000) });
    expect(verifySigV4(recent, CREDS)).toMatchObject({ ok: true });
  });

  it('rejects an x-amz-date that differs from the date of the credential scope', async () => {
    const request = await signWithSdk({});
    const date = String(request.headers['x-amz-date']);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const forged = { ...request, headers: { ...request.headers, 'x-amz-date': `${yesterday}${date.slice(8)}` } };
    expect(verifySigV4(forged, CREDS, { maxSkewMs: 2 * 86_400_000 })).toEqual({
      ok: false,
      reason: 'credential scope date differs from x-amz-date',
    });
  });

  it('rejects the get-vanilla example with one character of the secret key changed', () => {
    const result = verifySigV4(
      {
        method: 'GET',
        path: '/',
        query: '',
        headers: {
          host: 'example.amazonaws.com',
          'x-amz-date': '20150830T123600Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
            'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
        },
        body: Buffer.alloc(0),
      },
      { ...EXAMPLE, secretAccessKey: EXAMPLE.secretAccessKey.replace('K7', 'K8') },
      { now: new Date('2015-08-30T12:36:00Z') },
    );
    expect(result).toEqual({ ok: false, reason: 'signature does not match' });
  });
});

function withoutHeader(request: SignedRequest, name: string): SignedRequest {
  return {
    ...request,
    headers: Object.fromEntries(Object.entries(request.headers).filter(([k]) => k.toLowerCase() !== name)),
  };
}

// An attacker who changes the body and also fixes up the declared hash still cannot fix the signature.
function tamperWithHash(request: SignedRequest): SignedRequest {
  const body = Buffer.from('{"SecretId":"other"}');
  const headers: SignedRequest['headers'] = { ...request.headers };
  if (headers['x-amz-content-sha256'] !== undefined) {
    headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
  }
  return { ...request, headers, body };
}
