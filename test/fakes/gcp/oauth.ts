// A loopback stand-in for Google's token services, as documented:
//   POST /token (oauth2.googleapis.com/token, "Using OAuth 2.0 for Server to Server Applications"):
//     grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer & assertion=JWT. The JWT must be RS256,
//     signed by the private key of a registered service account (iss = its client_email, kid = its
//     private_key_id when sent), with aud = Google's token URL, iat/exp within one hour and not expired,
//     and a scope. Answers {access_token, expires_in, token_type: "Bearer"}; refusals are 400
//     {error: invalid_grant | invalid_scope | unsupported_grant_type, error_description}.
//   POST /v1/token (sts.googleapis.com, RFC 8693 token exchange for workload identity federation):
//     grant_type=urn:ietf:params:oauth:grant-type:token-exchange, audience, scope,
//     requested_token_type=urn:ietf:params:oauth:token-type:access_token, subject_token,
//     subject_token_type. The subject token must be one registered for that audience.
//   POST /v1/projects/-/serviceAccounts/EMAIL:generateAccessToken (iamcredentials.googleapis.com): JSON
//     {scope: [...], lifetime}, a bearer token of a principal allowed to impersonate EMAIL; answers
//     {accessToken, expireTime}, or 403 PERMISSION_DENIED naming iam.serviceAccounts.getAccessToken.
// Every request is recorded with what was checked.
import { createPublicKey, generateKeyPairSync, randomUUID, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { delay, listen, readBody, sendJson } from '../http.js';
import type { TokenAuthority } from './tokens.js';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const IMPERSONATE = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/;

export interface ServiceAccountKey {
  readonly email: string;
  /** The key file's JSON, as the Cloud console downloads it (token_uri points at this fake). */
  readonly json: Record<string, string>;
}

export interface RecordedTokenRequest {
  readonly path: string;
  readonly grantType: string;
  /** Who was issued a token, or why not. */
  readonly outcome: string;
  readonly status: number;
}

export interface OAuthFake {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly tokenUrl: string;
  readonly stsUrl: string;
  readonly requests: RecordedTokenRequest[];
  /** Milliseconds added before every answer. */
  latencyMs: number;
  /** Makes a service account with a fresh RSA key that this fake trusts. */
  createServiceAccount(email: string, projectId: string): ServiceAccountKey;
  /** Forgets a service account's key (as deleting the key in IAM does). */
  disableKey(email: string): void;
  /** Accepts `subjectToken` at STS for `audience`, issuing a token for `principal`. */
  trustSubjectToken(options: { audience: string; subjectToken: string; principal: string }): void;
  /** Lets `principal` mint tokens for the service account `email` (iamcredentials generateAccessToken). */
  allowImpersonation(principal: string, email: string): void;
  /** https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/EMAIL:generateAccessToken at this fake. */
  impersonationUrl(email: string): string;
  close(): Promise<void>;
}

const b64json = (part: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

export async function startOAuthFake(authority: TokenAuthority): Promise<OAuthFake> {
  const keys = new Map<string, { keyId: string; publicKey: KeyObject }>();
  const subjects = new Map<string, { audience: string; principal: string }>();
  const impersonators = new Map<string, Set<string>>();
  const requests: RecordedTokenRequest[] = [];

  // Checks a JWT-bearer assertion; returns the service account or the reason for refusing.
  const checkAssertion = (assertion: string): { email: string } | { error: string; description: string } => {
    const [h = '', p = '', s = ''] = assertion.split('.');
    const header = b64json(h);
    const claims = b64json(p);
    if (!header || !claims || s === '') return { error: 'invalid_grant', description: 'Invalid JWT: malformed.' };
    if (header.alg !== 'RS256') return { error: 'invalid_grant', description: 'Invalid JWT: algorithm must be RS256.' };
    const key = keys.get(String(claims.iss));
    if (!key) return { error: 'invalid_grant', description: 'Invalid grant: account not found' };
    if (header.kid !== undefined && header.kid !== key.keyId)
      return { error: 'invalid_grant', description: 'Invalid JWT Signature.' };
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, 'base64url')))
      return { error: 'invalid_grant', description: 'Invalid JWT Signature.' };
    const now = Math.floor(Date.now() / 1000);
    const [iat, exp] = [Number(claims.iat), Number(claims.exp)];
    if (claims.aud !== GOOGLE_TOKEN_URL)
      return { error: 'invalid_grant', description: 'Invalid JWT: aud must be the token URL.' };
    if (!Number.isInteger(iat) || !Number.isInteger(exp) || iat > now + 300 || exp <= now || exp - iat > 3600) {
      return {
        error: 'invalid_grant',
        description: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      };
    }
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(CLOUD_PLATFORM))
      return { error: 'invalid_scope', description: 'Invalid OAuth scope or ID token audience provided.' };
    return { email: String(claims.iss) };
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const body = new URLSearchParams(raw);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const grantType = body.get('grant_type') ?? '';
    const record = (status: number, outcome: string): void => void requests.push({ path, grantType, outcome, status });
    await delay(fake.latencyMs);
    const impersonate = IMPERSONATE.exec(path);
    if (impersonate && req.method === 'POST') {
      const result = generateAccessToken(decodeURIComponent(impersonate[1] ?? ''), req, raw);
      record(result.status, result.outcome);
      return sendJson(res, result.status, result.body);
    }
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      record(400, 'not a form POST');
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'POST a form' });
    }
    if (path === '/token') {
      if (grantType !== JWT_BEARER) {
        record(400, 'unsupported grant');
        return sendJson(res, 400, {
          error: 'unsupported_grant_type',
          error_description: `Invalid grant_type: ${grantType}`,
        });
      }
      const checked = checkAssertion(body.get('assertion') ?? '');
      if ('error' in checked) {
        record(400, checked.description);
        return sendJson(res, 400, { error: checked.error, error_description: checked.description });
      }
      const { token, expiresIn } = authority.issue(checked.email);
      record(200, `issued to ${checked.email}`);
      return sendJson(res, 200, { access_token: token, expires_in: expiresIn, token_type: 'Bearer' });
    }
    if (path === '/v1/token') {
      const subject = subjects.get(body.get('subject_token') ?? '');
      const ok =
        grantType === TOKEN_EXCHANGE &&
        body.get('requested_token_type') === 'urn:ietf:params:oauth:token-type:access_token' &&
        (body.get('scope') ?? '').split(' ').includes(CLOUD_PLATFORM) &&
        subject !== undefined &&
        subject.audience === body.get('audience') &&
        /^urn:ietf:params:oauth:token-type:(jwt|id_token)$/.test(body.get('subject_token_type') ?? '');
      if (!ok || !subject) {
        record(400, 'subject token refused');
        return sendJson(res, 400, {
          error: 'invalid_grant',
          error_description: 'The audience in ID Token does not match the expected audience.',
        });
      }
      const { token, expiresIn } = authority.issue(subject.principal);
      record(200, `issued to ${subject.principal}`);
      return sendJson(res, 200, {
        access_token: token,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: expiresIn,
      });
    }
    record(404, 'no such path');
    return sendJson(res, 404, { error: 'not_found' });
  };

  // iamcredentials.googleapis.com generateAccessToken: the caller's token (any the authority issued) must
  // belong to a principal allowed to impersonate the service account (roles/iam.serviceAccountTokenCreator).
  const generateAccessToken = (
    email: string,
    req: IncomingMessage,
    raw: string,
  ): { status: number; outcome: string; body: unknown } => {
    const bearer = /^Bearer (\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const caller = bearer === undefined ? undefined : authority.identityOf(bearer);
    if (caller === undefined) {
      const error = {
        code: 401,
        message: 'Request had invalid authentication credentials.',
        status: 'UNAUTHENTICATED',
      };
      return { status: 401, outcome: 'no valid bearer', body: { error } };
    }
    let scope: unknown;
    try {
      scope = (JSON.parse(raw) as { scope?: unknown }).scope;
    } catch {
      scope = undefined;
    }
    if (!impersonators.get(email)?.has(caller) || !Array.isArray(scope) || !scope.includes(CLOUD_PLATFORM)) {
      const message = "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).";
      return {
        status: 403,
        outcome: `${caller} may not impersonate ${email}`,
        body: { error: { code: 403, message, status: 'PERMISSION_DENIED' } },
      };
    }
    const { token, expiresIn } = authority.issue(email);
    const expireTime = new Date(Date.now() + expiresIn * 1000).toISOString();
    return { status: 200, outcome: `issued to ${email} for ${caller}`, body: { accessToken: token, expireTime } };
  };

  const server = createServer((req, res) => void answer(req, res));
  const { port, close } = await listen(server);
  const url = `http://127.0.0.1:${port}`;
  const fake: OAuthFake = {
    url,
    tokenUrl: `${url}/token`,
    stsUrl: `${url}/v1/token`,
    requests,
    latencyMs: 0,
    createServiceAccount(email, projectId) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const keyId = randomUUID().replace(/-/g, '');
      keys.set(email, { keyId, publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })) });
      const json = {
        type: 'service_account',
        project_id: projectId,
        private_key_id: keyId,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: email,
        client_id: '100000000000000000001',
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: `${url}/token`,
        universe_domain: 'googleapis.com',
      };
      return { email, json };
    },
    disableKey(email) {
      keys.delete(email);
    },
    allowImpersonation(principal, email) {
      impersonators.set(email, (impersonators.get(email) ?? new Set()).add(principal));
    },
    impersonationUrl: (email) => `${url}/v1/projects/-/serviceAccounts/${email}:generateAccessToken`,
    trustSubjectToken({ audience, subjectToken, principal }) {
      subjects.set(subjectToken, { audience, principal });
    },
    close,
  };
  return fake;
}
