// Loopback fakes of the two credential sources of the AWS SDK's default chain that answer over HTTP and
// that a container uses: STS AssumeRoleWithWebIdentity (IRSA, web identity) and the ECS / EKS Pod Identity
// container credentials endpoint.
//
// STS follows the STS API reference (Query protocol): POST / with an application/x-www-form-urlencoded
// body `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=…&RoleSessionName=…&WebIdentityToken=…`,
// unsigned (the web identity token is the proof); the answer is the XML AssumeRoleWithWebIdentityResponse
// with AssumeRoleWithWebIdentityResult/Credentials (AccessKeyId, SecretAccessKey, SessionToken, Expiration)
// and AssumedRoleUser; a wrong token is 400 InvalidIdentityToken, a role the token may not assume 403
// AccessDenied, in the XML ErrorResponse form.
//
// The container endpoint follows the ECS task IAM role documentation: GET on the URI the agent gives, with
// the `Authorization` header the agent's token (AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]) when one is
// configured; the answer is JSON {AccessKeyId, SecretAccessKey, Token, Expiration, RoleArn}.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT } from './aws.js';
import type { TestCredentials } from './sigv4.js';

/** The temporary credentials both fakes hand out (start the AWS fake with them). */
export const ISSUED_CREDENTIALS: Required<TestCredentials> = {
  accessKeyId: 'ASIAFAKEFAKEFAKE0002',
  secretAccessKey: 'issued/secret+key/for-tests-only',
  sessionToken: 'issued-session-token-for-tests-only',
};

export interface CredentialsFake {
  /** http://127.0.0.1:PORT (STS: give it as AWS_ENDPOINT_URL_STS; container: add the path). */
  readonly url: string;
  /** Requests seen, and how many were accepted. */
  readonly requests: number;
  readonly accepted: number;
  close(): Promise<void>;
}

const expiration = (): string => new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** STS answering AssumeRoleWithWebIdentity for `roleArn` to a caller presenting `token`. */
export function startStsFake(expected: { token: string; roleArn: string }): Promise<CredentialsFake> {
  return listen((req, body, res, count) => {
    const form = new URLSearchParams(body);
    const error = (status: number, code: string, message: string): void =>
      xml(
        res,
        status,
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
          `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake-request</RequestId>` +
          '</ErrorResponse>',
      );
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return error(400, 'InvalidAction', 'the Query protocol is a form POST');
    if (form.get('Action') !== 'AssumeRoleWithWebIdentity' || form.get('Version') !== '2011-06-15')
      return error(400, 'InvalidAction', 'Could not find operation');
    if (!form.get('RoleSessionName')) return error(400, 'ValidationError', 'RoleSessionName is required');
    if (form.get('WebIdentityToken') !== expected.token)
      return error(400, 'InvalidIdentityToken', 'Couldn&apos;t retrieve verification key from your identity provider');
    if (form.get('RoleArn') !== expected.roleArn)
      return error(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    count();
    const role = expected.roleArn.split('/').at(-1) ?? 'role';
    const session = form.get('RoleSessionName') ?? '';
    xml(
      res,
      200,
      '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
        '<AssumeRoleWithWebIdentityResult>' +
        '<SubjectFromWebIdentityToken>system:serviceaccount:app:app</SubjectFromWebIdentityToken>' +
        '<Audience>sts.amazonaws.com</Audience>' +
        `<AssumedRoleUser><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}</Arn>` +
        `<AssumedRoleId>AROAFAKEFAKEFAKE:${session}</AssumedRoleId></AssumedRoleUser>` +
        `<Credentials><SessionToken>${ISSUED_CREDENTIALS.sessionToken}</SessionToken>` +
        `<SecretAccessKey>${ISSUED_CREDENTIALS.secretAccessKey}</SecretAccessKey>` +
        `<Expiration>${expiration()}</Expiration>` +
        `<AccessKeyId>${ISSUED_CREDENTIALS.accessKeyId}</AccessKeyId></Credentials>` +
        '<Provider>oidc.eks.us-east-1.amazonaws.com/id/FAKE</Provider>' +
        '</AssumeRoleWithWebIdentityResult>' +
        '<ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata>' +
        '</AssumeRoleWithWebIdentityResponse>',
    );
  });
}

/** A container credentials endpoint that answers GET `path` carrying `Authorization: token`. */
export function startContainerCredentialsFake(expected: { path: string; token: string }): Promise<CredentialsFake> {
  return listen((req, _body, res, count) => {
    const json = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'GET' || req.url !== expected.path)
      return json(404, { Code: 'NotFound', Message: 'no such path' });
    if (req.headers.authorization !== expected.token)
      return json(403, { Code: 'AccessDenied', Message: 'the authorization token is not valid' });
    count();
    json(200, {
      AccessKeyId: ISSUED_CREDENTIALS.accessKeyId,
      SecretAccessKey: ISSUED_CREDENTIALS.secretAccessKey,
      Token: ISSUED_CREDENTIALS.sessionToken,
      Expiration: expiration(),
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/app-task-role`,
    });
  });
}

function xml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'fake-request' });
  res.end(body);
}

function listen(
  answer: (req: IncomingMessage, body: string, res: ServerResponse, accept: () => void) => void,
): Promise<CredentialsFake> {
  const state = { url: '', requests: 0, accepted: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      answer(req, Buffer.concat(chunks).toString('utf8'), res, () => state.accepted++);
    });
  });
  const fake: CredentialsFake = {
    get url() {
      return state.url;
    },
    get requests() {
      return state.requests;
    },
    get accepted() {
      return state.accepted;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve(fake);
    });
  });
}
