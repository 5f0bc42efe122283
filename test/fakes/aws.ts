// A loopback AWS endpoint for Secrets Manager and SSM Parameter Store, speaking the AWS JSON 1.1
// protocol as the API references describe it: POST / with `Content-Type: application/x-amz-json-1.1`,
// the operation in `X-Amz-Target` (`secretsmanager.GetSecretValue`, `secretsmanager.BatchGetSecretValue`,
// `AmazonSSM.GetParameters`, `AmazonSSM.GetParameter`), errors as `{"__type": …, "Message": …}` with
// AWS's status codes (400 for client faults and throttling, 500 for InternalServiceError /
// InternalServerError). Every request's SigV4 signature is verified (./sigv4.ts) with the test
// credentials; the region and service come from the signature's scope, as in AWS. Every request is
// recorded so tests can assert counts, batching and auth.
//
// Failure modes: a missing secret is one never put; `deny()` makes one resource AccessDenied (or a KMS
// failure); `inject()` makes the next N calls (or all) of an operation throttle, fail with 500, answer
// malformed JSON, deny the action itself or report an expired token; `latencyMs` delays every answer
// (beyond a --timeout deadline, it is the "slow" mode).
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RateLimit } from './rate-limit.js';
import { verifySigV4, type TestCredentials } from './sigv4.js';

export const AWS_TEST_CREDENTIALS: TestCredentials = {
  accessKeyId: 'AKIAFAKEFAKEFAKE0001',
  secretAccessKey: 'fake/secret+key/for-tests-only',
};
export const ACCOUNT = '123456789012';

/** The variables a run against the fake needs: the test keys for the SDK's own chain, the fake's
 * endpoint, and no shared file or profile of this machine. */
export function awsTestEnv(fake: { readonly url: string }): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: fake.url,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  };
}
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/secrets-exec-test`;

export type AwsTarget =
  | 'secretsmanager.GetSecretValue'
  | 'secretsmanager.BatchGetSecretValue'
  | 'AmazonSSM.GetParameters'
  | 'AmazonSSM.GetParameter';
const TARGETS: readonly AwsTarget[] = [
  'secretsmanager.GetSecretValue',
  'secretsmanager.BatchGetSecretValue',
  'AmazonSSM.GetParameters',
  'AmazonSSM.GetParameter',
];

export type InjectedMode =
  | 'throttle'
  | 'internal'
  | 'malformed'
  | 'deny-action'
  | 'expired-token'
  // What a filtering proxy or a gateway in front of AWS answers: 403 with an HTML page or an XML AccessDenied.
  | 'forbidden-html'
  | 'forbidden-xml';

export interface RecordedRequest {
  readonly target: string;
  /** The region and service of the signature's credential scope ('' when the signature was refused). */
  readonly region: string;
  readonly service: string;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** 'ok', or why the signature was refused. */
  readonly auth: string;
  status: number;
}

interface SecretVersion {
  readonly versionId: string;
  stages: string[];
  readonly text?: string;
  readonly binary?: Buffer;
  readonly created: number;
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly versions: SecretVersion[];
}

interface StoredParameter {
  readonly name: string;
  readonly region: string;
  readonly type: 'String' | 'StringList' | 'SecureString';
  readonly versions: Array<{ version: number; value: string; labels: string[]; modified: number }>;
}

interface Injection {
  readonly target?: AwsTarget | undefined;
  readonly mode: InjectedMode;
  remaining: number;
}

class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AwsFake {
  /** http://127.0.0.1:PORT — give it as AWS_ENDPOINT_URL. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Added to every answer, in milliseconds. */
  latencyMs: number;
  /** A request-rate quota: requests beyond it get ThrottlingException (none by default). */
  rateLimit: RateLimit | undefined;
  /** GetParameters answers leave out the optional `Selector` field (as some implementations of the API do). */
  omitSelector: boolean;
  /** The most requests that were being answered at the same time (proves calls run in parallel). */
  readonly peakInFlight: number;
  /** Stores a secret (a string, bytes, or an object stored as its JSON text) as a new AWSCURRENT version. */
  putSecret(
    name: string,
    value: string | Buffer | object,
    options?: { region?: string; versionId?: string; stages?: string[] },
  ): { arn: string; versionId: string };
  /** Stores a parameter as its next version. */
  putParameter(
    name: string,
    value: string,
    options?: { region?: string; type?: StoredParameter['type']; labels?: string[] },
  ): { arn: string; version: number };
  /** Makes one secret or parameter (by name) refuse the caller: IAM denial, or a KMS decrypt failure. */
  deny(name: string, how?: 'denied' | 'kms'): void;
  /** The next `times` calls of `target` (every operation when omitted) fail this way; `times` omitted = always. */
  inject(rule: { target?: AwsTarget; mode: InjectedMode; times?: number }): void;
  /** Forgets recorded requests, injected failures and latency (stored secrets and denials stay). */
  reset(): void;
  /** How many requests named this operation (whatever their outcome). */
  count(target: AwsTarget): number;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1, on a free port. */
export async function startAwsFake(
  options: { credentials?: TestCredentials; latencyMs?: number; rateLimit?: RateLimit } = {},
): Promise<AwsFake> {
  const credentials = options.credentials ?? AWS_TEST_CREDENTIALS;
  const secrets: StoredSecret[] = [];
  const parameters: StoredParameter[] = [];
  const denied = new Map<string, 'denied' | 'kms'>();
  const injections: Injection[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;

  const fake: AwsFake = {
    url: '',
    requests,
    latencyMs: options.latencyMs ?? 0,
    rateLimit: options.rateLimit,
    omitSelector: false,
    peakInFlight: 0,
    putSecret(name, value, opts = {}) {
      const region = opts.region ?? 'us-east-1';
      let secret = secrets.find((s) => s.name === name && s.region === region);
      if (!secret) {
        secret = {
          name,
          region,
          arn: `arn:${partition(region)}:secretsmanager:${region}:${ACCOUNT}:secret:${name}-${suffix()}`,
          versions: [],
        };
        secrets.push(secret);
      }
      const stages = opts.stages ?? ['AWSCURRENT'];
      // As PutSecretValue does: a new AWSCURRENT moves the old one to AWSPREVIOUS.
      if (stages.includes('AWSCURRENT')) {
        for (const v of secret.versions) v.stages = v.stages.filter((s) => s !== 'AWSPREVIOUS');
        for (const v of secret.versions)
          if (v.stages.includes('AWSCURRENT'))
            v.stages = [...v.stages.filter((s) => s !== 'AWSCURRENT'), 'AWSPREVIOUS'];
      }
      for (const v of secret.versions)
        v.stages = v.stages.filter((s) => s === 'AWSCURRENT' || s === 'AWSPREVIOUS' || !stages.includes(s));
      const versionId = opts.versionId ?? randomUUID();
      const payload = Buffer.isBuffer(value)
        ? { binary: value }
        : { text: typeof value === 'string' ? value : JSON.stringify(value) };
      secret.versions.push({ versionId, stages: [...stages], created: Date.now() / 1000, ...payload });
      return { arn: secret.arn, versionId };
    },
    putParameter(name, value, opts = {}) {
      const region = opts.region ?? 'us-east-1';
      let parameter = parameters.find((p) => p.name === name && p.region === region);
      if (!parameter) {
        parameter = { name, region, type: opts.type ?? 'String', versions: [] };
        parameters.push(parameter);
      }
      const version = parameter.versions.length + 1;
      parameter.versions.push({ version, value, labels: opts.labels ?? [], modified: Date.now() / 1000 });
      return { arn: parameterArn(parameter), version };
    },
    deny(name, how = 'denied') {
      denied.set(name, how);
    },
    inject(rule) {
      injections.push({ target: rule.target, mode: rule.mode, remaining: rule.times ?? Infinity });
    },
    reset() {
      // Answers still waiting are dropped with their connections, so none lands in the next test.
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      requests.length = 0;
      injections.length = 0;
      fake.latencyMs = 0;
      fake.omitSelector = false;
      (fake as { peakInFlight: number }).peakInFlight = 0;
    },
    count(target) {
      return requests.filter((r) => r.target === target).length;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      (fake as { peakInFlight: number }).peakInFlight = Math.max(fake.peakInFlight, inFlight);
      res.on('close', () => inFlight--);
      // The request is checked, recorded and answered on arrival; the answer leaves after the latency.
      handle(req, Buffer.concat(chunks), (status, payload) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
          res.end(payload);
        }, fake.latencyMs);
        timers.add(timer);
      });
    });
  });

  function handle(req: IncomingMessage, body: Buffer, respond: (status: number, payload: string) => void): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const [path = '/', query = ''] = (req.url ?? '/').split('?', 2) as [string, string?];
    const auth = verifySigV4({ method: req.method ?? '', path, query, headers: req.headers, body }, credentials);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      parsed = undefined;
    }
    const record: RecordedRequest = {
      target,
      region: auth.ok ? auth.region : '',
      service: auth.ok ? auth.service : '',
      body: parsed,
      headers: { ...req.headers },
      auth: auth.ok ? 'ok' : auth.reason,
      status: 0,
    };
    requests.push(record);
    const ssm = target.startsWith('AmazonSSM.');
    const send = (status: number, payload: unknown): void => {
      record.status = status;
      respond(status, typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    try {
      if (req.method !== 'POST' || path !== '/')
        throw new AwsError(404, 'UnknownOperationException', 'the JSON 1.1 protocol is POST /');
      if (!auth.ok) throw authError(auth.reason);
      if (!(TARGETS as readonly string[]).includes(target))
        throw new AwsError(400, 'UnknownOperationException', `unknown operation ${target}`);
      const service = ssm ? 'ssm' : 'secretsmanager';
      if (auth.service !== service)
        throw new AwsError(
          400,
          'InvalidSignatureException',
          `Credential should be scoped to correct service: '${service}'.`,
        );
      if (req.headers['content-type'] !== 'application/x-amz-json-1.1')
        throw new AwsError(400, 'SerializationException', 'expected Content-Type application/x-amz-json-1.1');
      if (parsed === undefined || typeof parsed !== 'object' || parsed === null)
        throw new AwsError(400, 'SerializationException', 'the request body is not a JSON object');
      // Secrets Manager and SSM answer a request over the account's rate quota this way.
      if (fake.rateLimit?.take() === false) throw new AwsError(400, 'ThrottlingException', 'Rate exceeded');
      const injected = takeInjection(target as AwsTarget);
      if (injected === 'malformed') {
        send(200, '{"SecretValues": [{"Name": "trunc');
        return;
      }
      if (injected === 'forbidden-html') {
        send(403, '<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>');
        return;
      }
      if (injected === 'forbidden-xml') {
        send(
          403,
          '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type>' +
            '<Code>AccessDenied</Code><Message>Access denied</Message></Error></ErrorResponse>',
        );
        return;
      }
      if (injected) throw injectedError(injected, target, ssm);
      send(200, answer(target as AwsTarget, parsed as Record<string, unknown>, auth.region));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      send(
        error.status,
        ssm ? { __type: error.type, message: error.message } : { __type: error.type, Message: error.message },
      );
    }
  }

  function takeInjection(target: AwsTarget): InjectedMode | undefined {
    const rule = injections.find((r) => r.remaining > 0 && (r.target === undefined || r.target === target));
    if (!rule) return undefined;
    rule.remaining--;
    return rule.mode;
  }

  function answer(target: AwsTarget, body: Record<string, unknown>, region: string): unknown {
    switch (target) {
      case 'secretsmanager.GetSecretValue':
        return secretEntry(getSecretValue(body, region));
      case 'secretsmanager.BatchGetSecretValue':
        return batchGetSecretValue(body, region);
      case 'AmazonSSM.GetParameters':
        return getParameters(body, region);
      case 'AmazonSSM.GetParameter': {
        if (typeof body.Name !== 'string') throw validation('name', 'Member must not be null');
        const found = findParameter(body.Name, region, 'ssm:GetParameter');
        if (!found) throw new AwsError(400, 'ParameterNotFound', '');
        return { Parameter: parameterEntry(found, body.WithDecryption === true) };
      }
    }
  }

  function getSecretValue(
    body: Record<string, unknown>,
    region: string,
  ): { secret: StoredSecret; version: SecretVersion } {
    const id = body.SecretId;
    if (typeof id !== 'string' || id === '')
      throw new AwsError(400, 'InvalidParameterException', 'You must provide a SecretId.');
    const secret = findSecret(id, region);
    checkAccess(secret?.name ?? id, 'secretsmanager:GetSecretValue', id);
    if (!secret)
      throw new AwsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    const { VersionId: versionId, VersionStage: stage } = body;
    const version =
      typeof versionId === 'string'
        ? secret.versions.find(
            (v) => v.versionId === versionId && (typeof stage !== 'string' || v.stages.includes(stage)),
          )
        : secret.versions.find((v) => v.stages.includes(typeof stage === 'string' ? stage : 'AWSCURRENT'));
    if (!version) {
      const what = typeof versionId === 'string' ? `VersionId: ${versionId}` : `staging label: ${String(stage)}`;
      throw new AwsError(
        400,
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for ${what}`,
      );
    }
    return { secret, version };
  }

  function batchGetSecretValue(body: Record<string, unknown>, region: string): unknown {
    const ids = body.SecretIdList;
    if (body.Filters !== undefined)
      throw new AwsError(400, 'InvalidParameterException', 'this fake supports SecretIdList only');
    if (!Array.isArray(ids) || ids.length === 0)
      throw new AwsError(400, 'InvalidParameterException', 'You must include Filters or SecretIdList, but not both.');
    if (ids.length > 20) throw validation('secretIdList', 'Member must have length less than or equal to 20');
    const SecretValues: unknown[] = [];
    const Errors: unknown[] = [];
    for (const id of ids as string[]) {
      try {
        SecretValues.push(secretEntry(getSecretValue({ SecretId: id }, region)));
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        Errors.push({ SecretId: id, ErrorCode: error.type, Message: error.message });
      }
    }
    return { SecretValues, Errors };
  }

  function getParameters(body: Record<string, unknown>, region: string): unknown {
    const names = body.Names;
    if (!Array.isArray(names) || names.length === 0)
      throw validation('names', 'Member must have length greater than or equal to 1');
    if (names.length > 10) throw validation('names', 'Member must have length less than or equal to 10');
    const Parameters: unknown[] = [];
    const InvalidParameters: string[] = [];
    for (const name of names as string[]) {
      const found = findParameter(name, region, 'ssm:GetParameters');
      if (found)
        Parameters.push(
          parameterEntry(fake.omitSelector ? { ...found, selector: undefined } : found, body.WithDecryption === true),
        );
      else InvalidParameters.push(name);
    }
    return { Parameters, InvalidParameters };
  }

  // "name", "name:3", "name:label", or the parameter's ARN with the same selectors.
  function findParameter(
    requested: string,
    region: string,
    action: string,
  ): { parameter: StoredParameter; version: StoredParameter['versions'][number]; selector?: string } | undefined {
    const arn = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):\d{12}:parameter(\/.*)$/.exec(requested);
    if (arn && arn[1] !== region) return undefined;
    const plain = arn ? (arn[2] ?? '') : requested;
    const colon = plain.indexOf(':');
    const name = colon === -1 ? plain : plain.slice(0, colon);
    const selector = colon === -1 ? undefined : plain.slice(colon + 1);
    const candidates = arn ? [name, name.slice(1)] : [name];
    const parameter = parameters.find((p) => p.region === region && candidates.includes(p.name));
    checkAccess(parameter?.name ?? name, action, requested);
    if (!parameter) return undefined;
    const version =
      selector === undefined
        ? parameter.versions.at(-1)
        : /^\d+$/.test(selector)
          ? parameter.versions.find((v) => v.version === Number(selector))
          : parameter.versions.find((v) => v.labels.includes(selector));
    return version
      ? { parameter, version, ...(selector === undefined ? {} : { selector: `:${selector}` }) }
      : undefined;
  }

  // A denied secret or parameter answers as IAM (or KMS) would for that one resource.
  function checkAccess(name: string, action: string, resource: string): void {
    const how = denied.get(name);
    if (how === undefined) return;
    if (how === 'kms') {
      if (action.startsWith('ssm:')) {
        throw new AwsError(
          400,
          'AccessDeniedException',
          `User: ${PRINCIPAL} is not authorized to perform: kms:Decrypt ` +
            `on resource: arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd ` +
            'because no identity-based policy allows the kms:Decrypt action',
        );
      }
      throw new AwsError(
        400,
        'DecryptionFailure',
        "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
      );
    }
    throw new AwsError(
      400,
      'AccessDeniedException',
      `User: ${PRINCIPAL} is not authorized to perform: ${action} on resource: ${resource} ` +
        `because no identity-based policy allows the ${action} action`,
    );
  }

  function findSecret(id: string, region: string): StoredSecret | undefined {
    return secrets.find(
      (s) =>
        s.region === region &&
        (s.name === id ||
          s.arn === id ||
          (id.startsWith('arn:') && s.arn.length === id.length + 7 && s.arn.startsWith(`${id}-`))),
    );
  }

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      (fake as { url: string }).url = `http://127.0.0.1:${port}`;
      resolve(fake);
    });
  });
}

function secretEntry({ secret, version }: { secret: StoredSecret; version: SecretVersion }): unknown {
  const entry: Record<string, unknown> = {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    VersionStages: version.stages,
    CreatedDate: version.created,
  };
  if (version.binary) entry.SecretBinary = version.binary.toString('base64');
  else entry.SecretString = version.text;
  return entry;
}

function parameterEntry(
  found: { parameter: StoredParameter; version: StoredParameter['versions'][number]; selector?: string },
  decrypt: boolean,
): unknown {
  const { parameter, version, selector } = found;
  // Without WithDecryption a SecureString comes back as its ciphertext, as AWS does.
  const value =
    parameter.type === 'SecureString' && !decrypt
      ? Buffer.from(`kms-ciphertext:${randomBytes(16).toString('hex')}`).toString('base64')
      : version.value;
  return {
    Name: parameter.name,
    Type: parameter.type,
    Value: value,
    Version: version.version,
    ...(selector === undefined ? {} : { Selector: selector }),
    LastModifiedDate: version.modified,
    ARN: parameterArn(parameter),
    DataType: 'text',
  };
}

function parameterArn(parameter: StoredParameter): string {
  return (
    `arn:${partition(parameter.region)}:ssm:${parameter.region}:${ACCOUNT}:` +
    `parameter${parameter.name.startsWith('/') ? '' : '/'}${parameter.name}`
  );
}

// The ARN partition of a region, as AWS names it.
function partition(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

function suffix(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return [...randomBytes(6)].map((b) => letters[b % letters.length]).join('');
}

function validation(member: string, constraint: string): AwsError {
  return new AwsError(
    400,
    'ValidationException',
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

// What AWS answers for a signature it refuses.
function authError(reason: string): AwsError {
  if (
    reason.startsWith('unknown access key id') ||
    reason === 'wrong session token' ||
    reason.includes('session token was sent')
  ) {
    return new AwsError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (reason.startsWith('no Authorization'))
    return new AwsError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (reason.includes('15 minutes'))
    return new AwsError(400, 'InvalidSignatureException', 'Signature expired: the request time is too far from now.');
  return new AwsError(
    400,
    'InvalidSignatureException',
    `The request signature we calculated does not match the signature you provided. (${reason})`,
  );
}

function injectedError(
  mode: Exclude<InjectedMode, 'malformed' | 'forbidden-html' | 'forbidden-xml'>,
  target: string,
  ssm: boolean,
): AwsError {
  switch (mode) {
    case 'throttle':
      return new AwsError(400, 'ThrottlingException', 'Rate exceeded');
    case 'internal':
      return ssm
        ? new AwsError(500, 'InternalServerError', 'An error occurred on the server side.')
        : new AwsError(500, 'InternalServiceError', 'An error occurred on the server side.');
    case 'expired-token':
      return new AwsError(400, 'ExpiredTokenException', 'The security token included in the request is expired');
    case 'deny-action': {
      const action = `${ssm ? 'ssm' : 'secretsmanager'}:${target.split('.')[1] ?? ''}`;
      return new AwsError(
        400,
        'AccessDeniedException',
        `User: ${PRINCIPAL} is not authorized to perform: ${action} ` +
          `because no identity-based policy allows the ${action} action`,
      );
    }
  }
}
