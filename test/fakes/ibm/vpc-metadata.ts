// A loopback IBM Cloud VPC instance metadata service, for the trusted-profile flow the VPC documents
// ("Use the metadata service to get an IAM token", API version 2022-03-01):
//   PUT  /instance_identity/v1/token?version=DATE   needs `Metadata-Flavor: ibm` and a version date; optional
//        JSON body {expires_in: 5-3600}; answers {access_token, created_at, expires_at, expires_in} with an
//        instance identity token (signed by this fake's own key, so IAM-protected APIs refuse it);
//   POST /instance_identity/v1/iam_token?version=DATE   needs `Authorization: Bearer <instance identity token>`
//        and a body {trusted_profile: {id | crn}} naming a profile linked to the instance (none: the default
//        linked profile); answers an IAM access token from the IAM issuer, {access_token, created_at,
//        expires_at, expires_in}. Errors as {errors: [{code, message}], trace}.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { listen, readBody } from '../http.js';
import { createTokenIssuer, headerOf, sendJson, type TokenIssuer } from './tokens.js';

export interface VpcMetadataFake {
  /** http://127.0.0.1:PORT — the VPC authenticator's `url` (or SECRETS_EXEC_METADATA_URL). */
  readonly url: string;
  readonly requests: Array<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

const INSTANCE_ISSUER = 'https://fake-vpc-metadata/instance_identity';
const INSTANCE_CRN = 'crn:v1:bluemix:public:is:us-south-1:a/instance:0717_fake';
const error = (code: string, message: string): object => ({ errors: [{ code, message }], trace: randomUUID() });

/** `profiles`: the trusted profiles linked to this instance; the first is the default one. */
export async function startVpcMetadataFake(
  iam: TokenIssuer,
  profiles: ReadonlyArray<{ id: string; crn: string }>,
): Promise<VpcMetadataFake> {
  const instance = createTokenIssuer(INSTANCE_ISSUER);
  const requests: VpcMetadataFake['requests'] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = await readBody(req);
      const answer = (status: number, body: object): void => {
        requests.push({ method: req.method ?? '', path: url.pathname, status });
        sendJson(res, status, body);
      };
      const version = url.searchParams.get('version') ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(version) || version < '2022-03-01') {
        return answer(400, error('missing_version', 'The version query parameter is required (2022-03-01 or later).'));
      }
      let body: Record<string, unknown> = {};
      try {
        body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        return answer(400, error('invalid_body', 'The request body is not JSON.'));
      }
      const issued = (token: string, expiresIn: number): object => {
        const now = Date.now();
        return {
          access_token: token,
          created_at: new Date(now).toISOString(),
          expires_at: new Date(now + expiresIn * 1000).toISOString(),
          expires_in: expiresIn,
        };
      };
      if (req.method === 'PUT' && url.pathname === '/instance_identity/v1/token') {
        if (headerOf(req, 'metadata-flavor') !== 'ibm') {
          return answer(400, error('missing_metadata_flavor', 'Metadata-Flavor: ibm is required.'));
        }
        const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 300;
        if (expiresIn < 5 || expiresIn > 3600) {
          return answer(400, error('invalid_expires_in', 'expires_in must be 5-3600.'));
        }
        return answer(200, issued(instance.issue(INSTANCE_CRN, 'instance_identity', expiresIn), expiresIn));
      }
      if (req.method === 'POST' && url.pathname === '/instance_identity/v1/iam_token') {
        const bearer = /^Bearer (.+)$/.exec(headerOf(req, 'authorization') ?? '')?.[1] ?? '';
        if (!instance.check(bearer).ok) {
          return answer(401, error('invalid_token', 'The instance identity token is missing, invalid or expired.'));
        }
        const wanted = (body.trusted_profile ?? {}) as { id?: unknown; crn?: unknown };
        const named = wanted.id !== undefined || wanted.crn !== undefined;
        const profile = named ? profiles.find((p) => p.id === wanted.id || p.crn === wanted.crn) : profiles[0];
        if (!profile) {
          const why = 'The trusted profile is not linked to this instance.';
          return answer(400, error('trusted_profile_not_linked', why));
        }
        return answer(200, issued(iam.issue(profile.id, 'urn:ibm:params:oauth:grant-type:cr-token'), 3600));
      }
      return answer(404, error('not_found', 'Not found.'));
    })().catch(() => res.destroy());
  });
  const { port, close } = await listen(server);
  return { url: `http://127.0.0.1:${port}`, requests, close };
}
