// A client of the AWS JSON 1.1 protocol, the one Secrets Manager and SSM speak: every call is
// `POST /` with `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: PREFIX.Operation` and the input as a
// JSON object, signed with SigV4 by the vendor's signer (@smithy/signature-v4) with credentials from the
// vendor's default chain. An error answer names its type in the body's `__type` (possibly `namespace#Name`), a
// `code` member, or the `x-amzn-ErrorType` header (possibly `Name:url`), read in that order as the SDK does,
// with the message in `message` or `Message`. Errors are thrown in the SDK's shape (the code as `name`, with
// `$fault` and `$metadata.httpStatusCode`), which errors.ts classifies.
import { parseJsonObject } from '../shared/json-object.js';
import type { AwsAgents } from './transport.js';
import { post, type WireAnswer } from './wire.js';

/** AWS credentials as the default chain gives them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
}

/** What one service client needs: where, whom to sign for, how to send. */
export interface JsonRpcSettings {
  /** `secretsmanager` or `AmazonSSM`: the X-Amz-Target prefix. */
  readonly targetPrefix: string;
  /** The SigV4 signing name: `secretsmanager` or `ssm`. */
  readonly signingName: string;
  readonly region: string;
  readonly endpoint: URL;
  readonly credentials: () => Promise<AwsCredentials>;
  readonly agents: AwsAgents;
  readonly signal: AbortSignal;
}

/** One service in one region: `call('GetSecretValue', input)` answers the parsed JSON object. */
export interface JsonRpcClient {
  call(operation: string, input: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
}

// AWS refuses a signature more than 5 minutes off its clock (RequestTimeTooSkewed); the SDK then signs
// with the server's time from the answer's Date header, and so does this client.
const MAX_SKEW_MS = 300_000;

/** A client for one service and region. */
export async function createJsonRpcClient(settings: JsonRpcSettings): Promise<JsonRpcClient> {
  const [{ SignatureV4 }, { Sha256 }] = await Promise.all([import('./sdk-config.js'), import('./sha256.js')]);
  const { endpoint, region, signingName } = settings;
  const signer = new SignatureV4({ service: signingName, region, credentials: settings.credentials, sha256: Sha256 });
  const path = endpoint.pathname.endsWith('/') ? endpoint.pathname : `${endpoint.pathname}/`;
  const port = endpoint.port === '' ? undefined : Number(endpoint.port);
  let clockOffsetMs = 0;
  return {
    async call(operation, input) {
      const body = JSON.stringify(input);
      const signed = await signer.sign(
        {
          method: 'POST',
          protocol: endpoint.protocol,
          hostname: endpoint.hostname,
          port,
          path,
          query: {},
          headers: {
            host: endpoint.host,
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `${settings.targetPrefix}.${operation}`,
            'content-length': String(Buffer.byteLength(body)),
          },
          body,
        },
        { signingDate: new Date(Date.now() + clockOffsetMs) },
      );
      const answer = await post({ ...signed, port, path, body }, settings.agents, settings.signal);
      const serverTime = Date.parse(String(answer.headers.date ?? ''));
      if (Number.isFinite(serverTime) && Math.abs(Date.now() + clockOffsetMs - serverTime) >= MAX_SKEW_MS)
        clockOffsetMs = serverTime - Date.now();
      return readAnswer(answer);
    },
  };
}

/** The answer's JSON object, or the error it stands for thrown in the SDK's shape. */
export function readAnswer(answer: WireAnswer): Record<string, unknown> {
  const $metadata = { httpStatusCode: answer.status, requestId: header(answer, 'x-amzn-requestid') };
  const object = answer.body.length > 0 ? parseJsonObject(answer.body.toString('utf8')) : {};
  if (object === undefined) {
    // Never quoted: a body that is not AWS's JSON may be anything (errors.ts says what the status means).
    throw Object.assign(new Error('Deserialization error: the answer is not a JSON object'), { $metadata });
  }
  if (answer.status >= 200 && answer.status < 300) return object;
  const code = errorCode(answer, object) ?? 'UnknownError';
  const message = [object.message, object.Message].find((m) => typeof m === 'string') as string | undefined;
  throw Object.assign(new Error(message ?? ''), {
    name: code,
    $fault: answer.status >= 500 ? 'server' : 'client',
    $metadata,
  });
}

// The error type, where the JSON protocols put it: `__type`, then `code`, then the x-amzn-ErrorType header.
function errorCode(answer: WireAnswer, data: Record<string, unknown>): string | undefined {
  const codeKey = Object.keys(data).find((k) => k.toLowerCase() === 'code');
  for (const raw of [
    data.__type,
    codeKey === undefined ? undefined : data[codeKey],
    header(answer, 'x-amzn-errortype'),
  ]) {
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const code = sanitize(String(raw));
    if (code !== '') return code;
  }
  return undefined;
}

// `aws.protocoltests#Name`, `Name:http://internal.amazon.com/…` and `Name,Other` all mean `Name`.
function sanitize(raw: string): string {
  let code = raw.split(',')[0] ?? '';
  code = code.split(':')[0] ?? '';
  return code.includes('#') ? (code.split('#')[1] ?? '') : code;
}

function header(answer: WireAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
