// The Google fakes refuse what Google refuses: assertions that are not signed by the service account's
// key, expired or aimed elsewhere; unknown STS subject tokens; Secret Manager calls without a live bearer
// token; metadata requests without Metadata-Flavor. Otherwise a provider test against them proves nothing.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SA_EMAIL, startGoogleFakes, TEST_PROJECT, WIF_AUDIENCE, type GoogleFakes } from './google.js';
import { GOOGLE_TOKEN_URL } from './oauth.js';

let fakes: GoogleFakes;
beforeEach(async () => {
  fakes = await startGoogleFakes();
});
afterEach(() => fakes.close());

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
function assertion(key: string, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const scope = 'https://www.googleapis.com/auth/cloud-platform';
  const payload = { iss: SA_EMAIL, scope, aud: GOOGLE_TOKEN_URL, iat: now, exp: now + 3600, ...claims };
  const body = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
}
const postForm = (url: string, form: Record<string, string>): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
const jwtGrant = (jwt: string): Record<string, string> => ({
  grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  assertion: jwt,
});

describe('fake OAuth2 token endpoint', () => {
  it('issues a token for an assertion signed with the service account key', async () => {
    const res = await postForm(fakes.oauth.tokenUrl, jwtGrant(assertion(fakes.key.json.private_key as string)));
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect([res.status, body.token_type]).toEqual([200, 'Bearer']);
    expect(fakes.authority.identityOf(body.access_token)).toBe(SA_EMAIL);
  });

  it.each([
    [
      'another key',
      () =>
        generateKeyPairSync('rsa', { modulusLength: 2048 })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
      {},
      'Invalid JWT Signature.',
    ],
    ['an expired assertion', undefined, { iat: 1_000_000, exp: 1_003_600 }, /short-lived/],
    ['another audience', undefined, { aud: 'https://example.com/token' }, /aud must be the token URL/],
    ['no cloud-platform scope', undefined, { scope: 'email' }, /Invalid OAuth scope/],
  ])('refuses %s', async (_, otherKey, claims, message) => {
    const key = otherKey ? otherKey() : (fakes.key.json.private_key as string);
    const res = await postForm(fakes.oauth.tokenUrl, jwtGrant(assertion(key, claims)));
    const body = (await res.json()) as { error_description: string };
    expect(res.status).toBe(400);
    expect(body.error_description).toMatch(message);
  });
});

describe('fake STS', () => {
  it('exchanges only a registered subject token for its audience', async () => {
    const form = {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: WIF_AUDIENCE,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      subject_token: 'not-registered',
    };
    expect((await postForm(fakes.oauth.stsUrl, form)).status).toBe(400);
  });
});

describe('fake Secret Manager', () => {
  it('answers 401 UNAUTHENTICATED without a live bearer token, and the payload with one', async () => {
    fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/s`, 'hello');
    const url = `${fakes.sm.url}/v1/projects/${TEST_PROJECT}/secrets/s/versions/latest:access`;
    const none = await fetch(url);
    expect([none.status, ((await none.json()) as { error: { status: string } }).error.status]).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
    expect((await fetch(url, { headers: { Authorization: 'Bearer ya29.made-up' } })).status).toBe(401);
    const { token } = fakes.authority.issue(SA_EMAIL);
    const ok = (await (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      name: string;
      payload: { data: string; dataCrc32c: string };
    };
    expect(Buffer.from(ok.payload.data, 'base64').toString()).toBe('hello');
    expect(ok.name).toMatch(/^projects\/\d+\/secrets\/s\/versions\/1$/);
    expect(ok.payload.dataCrc32c).toBe('2591144780'); // CRC32C("hello") = 0x9A71BB4C
  });
});

describe('fake metadata server', () => {
  it('issues tokens only with Metadata-Flavor: Google', async () => {
    const url = `${fakes.metadata.url}/computeMetadata/v1/instance/service-accounts/default/token`;
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { 'Metadata-Flavor': 'Google', 'X-Forwarded-For': '10.0.0.1' } })).status).toBe(
      403,
    );
    const res = await fetch(url, { headers: { 'Metadata-Flavor': 'Google' } });
    expect(res.headers.get('metadata-flavor')).toBe('Google');
    expect(fakes.authority.identityOf(((await res.json()) as { access_token: string }).access_token)).toMatch(
      /compute@/,
    );
  });
});
