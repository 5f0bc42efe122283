// The IBM fakes themselves, spoken to with plain HTTP: they must refuse what the real services refuse
// (unknown keys, untrusted compute resources, missing or forged bearer tokens), or no test of the provider
// could fail on authentication.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IBM_TEST, startIbmFakes, type IbmFakes } from './index.js';
import { createTokenIssuer } from './tokens.js';

let fakes: IbmFakes;
beforeAll(async () => {
  fakes = await startIbmFakes();
});
afterAll(() => fakes.close());

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
  body: new URLSearchParams(fields).toString(),
});
const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';
const CR_GRANT = 'urn:ibm:params:oauth:grant-type:cr-token';
const token = async (fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${fakes.iam.url}/identity/token`, form(fields));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const getSecret = async (id: string, bearer?: string): Promise<number> => {
  const headers: Record<string, string> = bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` };
  return (await fetch(`${fakes.sm.url}/api/v2/secrets/${id}`, { headers })).status;
};

describe('the fake IAM', () => {
  it('issues a JWT with iat and exp for a known API key, and refuses an unknown one with BXNIM0415E', async () => {
    const good = await token({ grant_type: APIKEY_GRANT, apikey: IBM_TEST.apikey });
    expect(good.status).toBe(200);
    const payload = String(good.body.access_token).split('.')[1] ?? '';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(3600);
    expect(good.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const unknown = await token({ grant_type: APIKEY_GRANT, apikey: 'nope' });
    expect(unknown).toMatchObject({ status: 400, body: { errorCode: 'BXNIM0415E' } });
  });

  it('exchanges a compute-resource token only for a profile that trusts it', async () => {
    const { crToken, profile } = IBM_TEST;
    const trusted = await token({ grant_type: CR_GRANT, cr_token: crToken, profile_name: profile.name });
    expect(trusted.status).toBe(200);
    const forged = await token({ grant_type: CR_GRANT, cr_token: 'forged', profile_id: IBM_TEST.profile.id });
    expect(forged).toMatchObject({ status: 400, body: { errorCode: 'BXNIM0438E' } });
    const unknown = await token({ grant_type: CR_GRANT, cr_token: IBM_TEST.crToken, profile_id: 'Profile-unknown' });
    expect(unknown).toMatchObject({ status: 400, body: { errorCode: 'BXNIM0457E' } });
  });

  it('refuses a JSON body', async () => {
    const json = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' };
    const res = await fetch(`${fakes.iam.url}/identity/token`, json);
    expect(res.status).toBe(400);
  });
});

describe('the fake Secrets Manager', () => {
  it('answers only requests with a live token of its IAM', async () => {
    const { id } = fakes.sm.putSecret({ type: 'arbitrary', name: 'self-test', fields: { payload: 'x' } });
    const live = fakes.issuer.issue(IBM_TEST.serviceId, 'test');
    expect(await getSecret(id, live)).toBe(200);
    expect(await getSecret(id)).toBe(401);
    expect(await getSecret(id, fakes.issuer.issue(IBM_TEST.serviceId, 'test', -1))).toBe(401);
    expect(await getSecret(id, createTokenIssuer().issue(IBM_TEST.serviceId, 'test'))).toBe(401);
    expect(await getSecret('00000000-0000-4000-8000-000000000000', live)).toBe(404);
    expect(fakes.sm.requests.map((r) => r.auth)).toEqual(['ok', 'no bearer token', 'expired', 'bad signature', 'ok']);
  });
});

describe('the fake VPC metadata service', () => {
  it('needs Metadata-Flavor: ibm for the instance identity token, and that token for an IAM token', async () => {
    const put = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${fakes.vpc.url}/instance_identity/v1/token?version=2022-03-01`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: '{"expires_in":300}',
      });
    expect((await put({})).status).toBe(400);
    const identity = (await (await put({ 'Metadata-Flavor': 'ibm' })).json()) as { access_token: string };
    const iam = (bearer: string): Promise<Response> =>
      fetch(`${fakes.vpc.url}/instance_identity/v1/iam_token?version=2022-03-01`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ trusted_profile: { id: IBM_TEST.profile.id } }),
      });
    const answer = await iam(identity.access_token);
    expect(answer.status).toBe(200);
    const issued = ((await answer.json()) as { access_token: string }).access_token;
    expect(fakes.issuer.check(issued)).toMatchObject({ ok: true, claims: { sub: IBM_TEST.profile.id } });
    expect((await iam(fakes.issuer.issue('x', 'y'))).status).toBe(401);
  });
});
