// Vault's AWS IAM login data, built the way `vault login -method=aws` builds it (Vault's
// builtin/credential/aws GenerateLoginData): an sts:GetCallerIdentity request is signed with the
// credentials of the AWS SDK's default chain (env, web identity, profile, ECS/EC2 instance role) but never
// sent; Vault replays it to STS to learn who we are. The fields are iam_http_request_method,
// iam_request_url, iam_request_body and iam_request_headers, each of the last three base64. Reads:
// SECRETS_EXEC_VAULT_AWS_REGION (the STS region to sign for, default us-east-1 with the global endpoint,
// as the CLI's `region=`), SECRETS_EXEC_VAULT_AWS_SERVER_ID (the X-Vault-AWS-IAM-Server-ID header value
// the Vault role may require, signed with the rest). No request leaves this module.
import { ProviderError } from '../../errors/errors.js';
import type { ProviderContext } from '../../resolve/types.js';
import { getVar } from './settings.js';
import { capAwsAnswers } from '../shared/aws-body-cap.js';
import { badCredentialsAnswer, markedDefaultProvider } from '../shared/aws-credential-chain.js';
import { readEgress, type ProxyEnv } from '../shared/egress.js';

interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const SERVER_ID_HEADER = 'X-Vault-AWS-IAM-Server-ID';

/** The four iam_* fields of auth/aws/login; `credentials` replaces the SDK's default chain (tests). */
export async function buildAwsLoginData(input: {
  env: ProviderContext['env'];
  credentials?: () => Promise<AwsCredentials>;
  now?: Date;
}): Promise<Record<string, string>> {
  const region = getVar(input.env, 'SECRETS_EXEC_VAULT_AWS_REGION') ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new ProviderError('Invalid', `SECRETS_EXEC_VAULT_AWS_REGION '${region}' is not an AWS region name`);
  }
  const serverId = getVar(input.env, 'SECRETS_EXEC_VAULT_AWS_SERVER_ID');
  // us-east-1 signs for the global endpoint, which is also Vault's default sts_endpoint.
  const host = region === 'us-east-1' ? 'sts.amazonaws.com' : `sts.${region}.amazonaws.com`;
  const proxyEnv = readEgress(input.env).proxyEnv;
  const credentials = await (input.credentials ?? (() => defaultCredentials(proxyEnv)))().catch((error: unknown) => {
    const bad = badCredentialsAnswer(error, input.env);
    if (bad) throw new ProviderError('Invalid', `AWS IAM login: ${bad.message}`, { cause: error });
    throw new ProviderError(
      'Denied',
      "AWS IAM login: no AWS credentials found by the SDK's default chain " +
        `(${error instanceof Error ? error.name : 'error'})`,
      { cause: error },
    );
  });

  const [{ SignatureV4 }, { Sha256 }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@aws-crypto/sha256-js'),
  ]);
  // applyChecksum: false — like aws-sdk-go's signer for STS, no x-amz-content-sha256 header.
  const signer = new SignatureV4({ service: 'sts', region, credentials, sha256: Sha256, applyChecksum: false });
  const headers: Record<string, string> = {
    host,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'content-length': String(Buffer.byteLength(BODY)),
  };
  if (serverId !== undefined) headers[SERVER_ID_HEADER.toLowerCase()] = serverId;
  const signed = await signer.sign(
    { method: 'POST', protocol: 'https:', hostname: host, path: '/', headers, body: BODY, query: {} },
    input.now ? { signingDate: input.now } : {},
  );
  // Go's http.Header as the CLI marshals it: canonical names, a list of values each, and no Host (Vault
  // takes it from the URL).
  const goHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name.toLowerCase() === 'host') continue;
    goHeaders[canonicalHeaderName(name)] = [String(value)];
  }
  return {
    iam_http_request_method: 'POST',
    iam_request_url: base64(`https://${host}/`),
    iam_request_body: base64(BODY),
    iam_request_headers: base64(JSON.stringify(goHeaders)),
  };
}

// The SDK's default chain (process.env is read by the SDK itself). Its own retries stay at the SDK's
// default for the metadata services; the deadline still bounds the whole login. Through a proxy, the
// chain's STS and SSO calls get agents that use it (the instance metadata stays direct: egress.ts). The
// answers it reads over the SDK's HTTP handler are capped, and its failures marked (shared/aws-*.ts).
async function defaultCredentials(proxyEnv: ProxyEnv | undefined): Promise<AwsCredentials> {
  await capAwsAnswers();
  const defaultProvider = await markedDefaultProvider();
  if (proxyEnv === undefined) return defaultProvider({})();
  const http = globalThis.process.getBuiltinModule('node:http');
  const https = globalThis.process.getBuiltinModule('node:https');
  const requestHandler = {
    httpAgent: new http.Agent({ proxyEnv: { ...proxyEnv } }),
    httpsAgent: new https.Agent({ proxyEnv: { ...proxyEnv } }),
  };
  return defaultProvider({ clientConfig: { requestHandler } })();
}

// Go's textproto.CanonicalMIMEHeaderKey: x-vault-aws-iam-server-id → X-Vault-Aws-Iam-Server-Id.
function canonicalHeaderName(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => (part === '' ? part : part[0]?.toUpperCase() + part.slice(1)))
    .join('-');
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
