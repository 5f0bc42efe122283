// A loopback IBM Cloud IAM token service: POST /identity/token as the IAM Identity Services API documents it
// (form-urlencoded body, JSON answer {access_token, refresh_token, token_type, expires_in, expiration, scope};
// failures as {errorCode, errorMessage, context}):
//   grant_type=urn:ibm:params:oauth:grant-type:apikey  with apikey: a known key gets a token for its service
//     id; an unknown one 400 BXNIM0415E "Provided API key could not be found.";
//   grant_type=urn:ibm:params:oauth:grant-type:cr-token with cr_token and profile_id or profile_name: the
//     compute-resource token must be one the fake issued to a compute resource, and the trusted profile must
//     trust that resource (400 BXNIM0438E / BXNIM0457E otherwise).
// `failNext(status, n)` answers the next n requests with that status (429/500: IAM throttling or down);
// `latencyMs` delays every answer; with `gzip`, an answer to a request that accepts gzip is compressed with
// that content coding (RFC 9110, section 8.4), as HTTP servers in front of IAM may do.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../http.js';
import { headerOf, sendJson, type TokenIssuer } from './tokens.js';

export const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';
export const CR_TOKEN_GRANT = 'urn:ibm:params:oauth:grant-type:cr-token';

export interface IamRequest {
  readonly grantType: string;
  /** What was authenticated: a service id, a profile id, or undefined when refused. */
  readonly subject: string | undefined;
  readonly status: number;
  /** The answer's Content-Encoding, when compressed. */
  readonly encoding?: string;
}

export interface IamFake {
  /** http://127.0.0.1:PORT — the authenticator's `url` (SECRETS_MANAGER_AUTH_URL). */
  readonly url: string;
  readonly requests: IamRequest[];
  /** Registers an API key of a service id. */
  addApiKey(apikey: string, serviceId: string): void;
  /** Registers a trusted profile (id and name) that trusts the compute resources holding `crTokens`. */
  addTrustedProfile(profile: { id: string; name: string }, crTokens: readonly string[]): void;
  failNext(status: number, times?: number): void;
  /** Delay before every answer, in ms. */
  latencyMs: number;
  /** Compress answers to requests whose Accept-Encoding lists gzip. */
  gzip: boolean;
  close(): Promise<void>;
}

const fail = (code: string, message: string): object => ({
  errorCode: code,
  errorMessage: message,
  context: { requestId: randomUUID(), requestType: 'incoming.Identity_Token' },
});

export async function startIamFake(issuer: TokenIssuer): Promise<IamFake> {
  const apiKeys = new Map<string, string>();
  const profiles: Array<{ id: string; name: string; crTokens: Set<string> }> = [];
  const requests: IamRequest[] = [];
  let failures: { status: number; times: number } | undefined;

  const server = createServer((req, res) => {
    void (async () => {
      const body = new URLSearchParams(await readBody(req));
      const grantType = body.get('grant_type') ?? '';
      const gzip = fake.gzip && /(^|,)\s*gzip\s*(;|,|$)/i.test(headerOf(req, 'accept-encoding') ?? '');
      const answer = (status: number, payload: object, subject?: string): void => {
        requests.push({ grantType, subject, status, ...(gzip ? { encoding: 'gzip' } : {}) });
        setTimeout(() => sendJson(res, status, payload, { gzip }), fake.latencyMs);
      };
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method !== 'POST' || path !== '/identity/token') return answer(404, fail('BXNIM0001E', 'Not found'));
      if (!(headerOf(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
        return answer(400, fail('BXNIM0109E', 'Content-Type must be application/x-www-form-urlencoded'));
      }
      if (failures && failures.times > 0) {
        failures.times--;
        const why = failures.status === 429 ? 'Too many requests' : 'Internal error';
        return answer(failures.status, fail('BXNIM0000E', why));
      }
      let subject: string | undefined;
      if (grantType === APIKEY_GRANT) {
        const apikey = body.get('apikey');
        if (!apikey) return answer(400, fail('BXNIM0308E', "Missing required parameter 'apikey'."));
        subject = apiKeys.get(apikey);
        if (subject === undefined) return answer(400, fail('BXNIM0415E', 'Provided API key could not be found.'));
      } else if (grantType === CR_TOKEN_GRANT) {
        const crToken = body.get('cr_token') ?? '';
        const profile = profiles.find((p) => p.id === body.get('profile_id') || p.name === body.get('profile_name'));
        if (!profile) return answer(400, fail('BXNIM0457E', 'The trusted profile could not be found.'));
        if (!profile.crTokens.has(crToken)) {
          return answer(400, fail('BXNIM0438E', 'The compute resource token is not trusted by the profile.'));
        }
        subject = profile.id;
      } else {
        return answer(400, fail('BXNIM0103E', `Unsupported grant type '${grantType.slice(0, 60)}'.`));
      }
      const now = Math.floor(Date.now() / 1000);
      const token = {
        access_token: issuer.issue(subject, grantType),
        refresh_token: 'not_supported',
        token_type: 'Bearer',
        expires_in: 3600,
        expiration: now + 3600,
        scope: 'ibm openid',
      };
      answer(200, token, subject);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: IamFake = {
    url: `http://127.0.0.1:${port}`,
    requests,
    latencyMs: 0,
    gzip: false,
    addApiKey: (apikey, serviceId) => apiKeys.set(apikey, serviceId),
    addTrustedProfile: (profile, crTokens) => profiles.push({ ...profile, crTokens: new Set(crTokens) }),
    failNext: (status, times = 1) => (failures = { status, times }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
