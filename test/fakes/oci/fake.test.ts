// Self-test of the OCI fake: requests signed by Oracle's own DefaultRequestSigner are accepted, and
// anything a real OCI would refuse (no signature, a wrong key, a changed path or body, a stale date, an
// expired or foreign session token, unsigned body headers on POST) is a 401 — so the provider's tests
// can fail. It also answers OCI's documented shapes for found, by name, versions, stages and errors.
import { createSign } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimpleAuthenticationDetailsProvider } from 'oci-common/lib/auth/auth.js';
import { DefaultRequestSigner } from 'oci-common/lib/signer.js';
import { generateRsaKeyPair, TENANCY, USER, type TestKeyPair } from './identity.js';
import { startOciFake, VAULT, type OciFake } from './secrets.js';

let fake: OciFake;
let key: TestKeyPair;
let fingerprint: string;
let secretId: string;

beforeAll(async () => {
  fake = await startOciFake();
  key = generateRsaKeyPair();
  fingerprint = fake.identity.addApiKey(key.publicPem).split('/')[2] ?? '';
  fake.putSecret(VAULT, 'db', 'first');
  secretId = fake.putSecret(VAULT, 'db', 'second');
});
afterAll(() => fake.close());

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

// Signs with Oracle's signer (optionally with another key or a tampering step), then sends.
async function send(options: {
  method?: 'GET' | 'POST';
  path: string;
  privatePem?: string;
  keyFingerprint?: string;
  tamper?: (headers: Headers) => void;
  body?: string;
  /** Send to this path, or this body, instead of the one signed. */
  sentPath?: string;
  sentBody?: string;
}): Promise<Answer> {
  const method = options.method ?? 'GET';
  const uri = `${fake.url}${options.path}`;
  const headers = new Headers();
  const keyFingerprint = options.keyFingerprint ?? fingerprint;
  const privatePem = options.privatePem ?? key.privatePem;
  const provider = new SimpleAuthenticationDetailsProvider(TENANCY, USER, keyFingerprint, privatePem, null);
  await new DefaultRequestSigner(provider).signHttpRequest({ method, uri, headers, body: options.body });
  options.tamper?.(headers);
  return raw(method, options.sentPath ?? options.path, Object.fromEntries(headers), options.sentBody ?? options.body);
}

function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, fake.url);
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const content = (a: Answer): string => {
  const encoded = (a.body.secretBundleContent as { content: string }).content;
  return Buffer.from(encoded, 'base64').toString('utf8');
};

describe('the fake OCI Secrets service', () => {
  it('answers a signed GetSecretBundle with the CURRENT version, base64-encoded', async () => {
    const answer = await send({ path: `/20190301/secretbundles/${secretId}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ secretId, versionNumber: 2, stages: ['CURRENT', 'LATEST'] });
    expect(answer.body.secretBundleContent).toMatchObject({ contentType: 'BASE64' });
    expect(content(answer)).toBe('second');
  });

  it('answers GetSecretBundleByName (POST, empty body) and selects by versionNumber and by stage', async () => {
    const path = `/20190301/secretbundles/actions/getByName?secretName=db&vaultId=${VAULT}&versionNumber=1`;
    const byName = await send({ method: 'POST', path });
    expect(byName.status).toBe(200);
    expect(content(byName)).toBe('first');
    const previous = await send({ path: `/20190301/secretbundles/${secretId}?stage=PREVIOUS` });
    expect(content(previous)).toBe('first');
  });

  it('answers 404 NotAuthorizedOrNotFound alike for a missing secret and a denied one', async () => {
    const denied = fake.putSecret(VAULT, 'denied', 'x');
    fake.deny(denied);
    const missing = await send({ path: '/20190301/secretbundles/ocid1.vaultsecret.oc1.iad.nothing' });
    const forbidden = await send({ path: `/20190301/secretbundles/${denied}` });
    expect(missing).toEqual({ status: 404, body: { code: 'NotAuthorizedOrNotFound', message: expect.any(String) } });
    expect(forbidden.body).toEqual(missing.body);
  });

  it.each([
    ['no Authorization header', { tamper: (h: Headers) => h.delete('authorization') }],
    ['another key than the registered one', { privatePem: generateRsaKeyPair().privatePem }],
    ['an unknown fingerprint', { keyFingerprint: '00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00' }],
    ['a path changed after signing', { sentPath: `/20190301/secretbundles/SECRET?stage=PREVIOUS` }],
    ['an x-date 10 minutes old', { tamper: (h: Headers) => h.set('x-date', new Date(Date.now() - 6e5).toUTCString()) }],
  ])('refuses %s with 401 NotAuthenticated', async (_, variant) => {
    const sentPath = 'sentPath' in variant ? variant.sentPath.replace('SECRET', secretId) : undefined;
    const answer = await send({ path: `/20190301/secretbundles/${secretId}`, ...variant, sentPath });
    expect(answer).toEqual({ status: 401, body: { code: 'NotAuthenticated', message: expect.any(String) } });
  });

  it('refuses a POST whose body headers are not signed, or whose body differs from x-content-sha256', async () => {
    const path = `/20190301/secretbundles/actions/getByName?secretName=db&vaultId=${VAULT}`;
    const date = new Date().toUTCString();
    const host = new URL(fake.url).host;
    const signing = `(request-target): post ${path}\nhost: ${host}\nx-date: ${date}`;
    const signature = createSign('RSA-SHA256').update(signing).sign(key.privatePem, 'base64');
    const keyId = `${TENANCY}/${USER}/${fingerprint}`;
    const headers = '(request-target) host x-date';
    const fields = `keyId="${keyId}",algorithm="rsa-sha256",headers="${headers}",signature="${signature}"`;
    const authorization = `Signature version="1",${fields}`;
    expect((await raw('POST', path, { 'x-date': date, authorization })).status).toBe(401);
    const changed = await send({ method: 'POST', path, body: '{}', sentBody: '[]' });
    expect(changed.status).toBe(401);
    expect(fake.requests.at(-1)?.auth).toBe('x-content-sha256 does not match the body');
  });

  it('accepts a session token it issued (ST$ keyId) and refuses an expired or foreign one', async () => {
    const session = generateRsaKeyPair();
    const sign = async (token: string): Promise<Answer> => {
      const headers = new Headers();
      const provider = {
        getKeyId: async () => `ST$${token}`,
        getPrivateKey: () => session.privatePem,
        getPassphrase: () => null,
      };
      const uri = `${fake.url}/20190301/secretbundles/${secretId}`;
      await new DefaultRequestSigner(provider).signHttpRequest({ method: 'GET', uri, headers });
      return raw('GET', `/20190301/secretbundles/${secretId}`, Object.fromEntries(headers));
    };
    expect((await sign(fake.identity.issueSessionToken(session.publicPem))).status).toBe(200);
    expect((await sign(fake.identity.issueSessionToken(session.publicPem, { ttlSeconds: -60 }))).status).toBe(401);
    const other = await startOciFake();
    try {
      expect((await sign(other.identity.issueSessionToken(session.publicPem))).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it("injects 429, 500 and 401 answers in OCI's error model", async () => {
    const cases = [
      ['throttle', 429, 'TooManyRequests'],
      ['internal', 500, 'InternalServerError'],
      ['unauthenticated', 401, 'NotAuthenticated'],
    ] as const;
    for (const [mode, status, code] of cases) {
      fake.inject(mode, 1);
      const answer = await send({ path: `/20190301/secretbundles/${secretId}` });
      expect(answer).toEqual({ status, body: { code, message: expect.any(String) } });
      expect((await send({ path: `/20190301/secretbundles/${secretId}` })).status).toBe(200);
    }
  });
});
