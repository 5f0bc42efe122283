// For each store behind a fault front: which request is the secret read (the only one faults apply to:
// logins and token exchanges pass), and how the store answers throttling and a server error, in the form
// its API reference documents. Used by the fault matrix (test/e2e/fault-matrix.test.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FaultAction } from '../fakes/fault-front.js';

/** The login or token endpoint of a store, where the matrix's second table puts its faults. */
export interface LoginForms {
  /** True for the login or token request. */
  readonly isLogin: (req: IncomingMessage) => boolean;
  readonly throttle: () => FaultAction;
  readonly throttleWaits?: boolean;
  readonly serverError: () => FaultAction;
}

export interface VendorForms {
  /** True for the request that reads a secret. */
  readonly isRead: (req: IncomingMessage) => boolean;
  readonly throttle: () => FaultAction;
  /** The throttling answer carries Retry-After (whole seconds): fewer tries fit before the deadline. */
  readonly throttleWaits?: boolean;
  readonly serverError: () => FaultAction;
  readonly login?: LoginForms;
}

const json = (status: number, headers: Record<string, string>, body: unknown): FaultAction => ({
  kind: 'answer',
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const path = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0] ?? '/';

// AWS JSON 1.1 protocol (Secrets Manager and SSM API references, "Common Errors"): the error code is in
// x-amzn-ErrorType (with a namespace suffix) and in `__type` (with a namespace prefix); throttling is a
// 400 ThrottlingException, a server fault a 500 InternalServiceError (SSM: InternalServerError).
const awsError = (status: number, code: string, namespace: string, message: string): FaultAction => ({
  kind: 'answer',
  status,
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/${namespace}/`,
    'x-amzn-requestid': randomUUID(),
  },
  body: JSON.stringify({ __type: `${namespace}#${code}`, message }),
});

// The reads: GetSecretValue and BatchGetSecretValue, GetParameter and GetParameters.
const AWS_READS: Record<'secretsmanager' | 'AmazonSSM', RegExp> = {
  secretsmanager: /^secretsmanager\.(Batch)?GetSecretValue$/,
  AmazonSSM: /^AmazonSSM\.GetParameters?$/,
};

const awsForms = (service: 'secretsmanager' | 'AmazonSSM', server: string): VendorForms => ({
  isRead: (req) => AWS_READS[service].test(String(req.headers['x-amz-target'] ?? '')),
  throttle: () => awsError(400, 'ThrottlingException', 'com.amazon.coral.availability', 'Rate exceeded'),
  serverError: () => awsError(500, server, 'com.amazon.coral.service', 'An error occurred on the server side.'),
});

export const VENDOR_FORMS: Readonly<Record<string, VendorForms>> = {
  // Vault's HTTP API: errors are {"errors": [...]}; a rate-limit quota answers 429 with Retry-After, a
  // sealed or failing server 5xx.
  vault: {
    isRead: (req) => path(req).startsWith('/v1/secret/data/'),
    throttle: () =>
      json(429, { 'retry-after': '1' }, { errors: ['request path "secret/data/app/db": rate limit quota exceeded'] }),
    throttleWaits: true,
    serverError: () => json(503, {}, { errors: ['Vault is sealed'] }),
    // The AppRole login, under the same address and error forms.
    login: {
      isLogin: (req) => path(req) === '/v1/auth/approle/login',
      throttle: () =>
        json(429, { 'retry-after': '1' }, { errors: ['request path "auth/approle/login": rate limit quota exceeded'] }),
      throttleWaits: true,
      serverError: () => json(500, {}, { errors: ['internal error'] }),
    },
  },
  aws: awsForms('secretsmanager', 'InternalServiceError'),
  'aws-ssm': awsForms('AmazonSSM', 'InternalServerError'),
  // google.rpc.Status in JSON (Secret Manager REST reference, "Errors").
  gcp: {
    isRead: (req) => path(req).endsWith(':access'),
    throttle: () =>
      json(
        429,
        {},
        {
          error: {
            code: 429,
            message: "Quota exceeded for quota metric 'Access requests' and limit 'Access requests per minute'.",
            status: 'RESOURCE_EXHAUSTED',
          },
        },
      ),
    serverError: () =>
      json(503, {}, { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } }),
    // The OAuth 2.0 token endpoint a service-account key names (RFC 6749 §5.2 error form).
    login: {
      isLogin: (req) => path(req) === '/token',
      throttle: () => json(429, {}, { error: 'rate_limit_exceeded', error_description: 'Rate Limit Exceeded' }),
      serverError: () => json(500, {}, { error: 'internal_failure', error_description: 'Backend Error' }),
    },
  },
  // OCI's error model (API Errors: docs.oracle.com/iaas/Content/API/References/apierrors.htm): {"code",
  // "message"} and an opc-request-id header; throttling is 429 TooManyRequests, with no Retry-After.
  oci: {
    isRead: (req) => path(req).startsWith('/20190301/secretbundles/'),
    throttle: () =>
      json(
        429,
        { 'opc-request-id': randomUUID().replace(/-/g, '') },
        { code: 'TooManyRequests', message: 'User-rate limit exceeded.' },
      ),
    serverError: () =>
      json(
        500,
        { 'opc-request-id': randomUUID().replace(/-/g, '') },
        { code: 'InternalServerError', message: 'Internal error occurred.' },
      ),
  },
  // IBM Cloud Secrets Manager v2: {"errors": [{code, message, more_info}], "status_code", "trace"}.
  ibm: {
    isRead: (req) => /^\/api\/v2\/secrets\/[^/]+$/.test(path(req)),
    throttle: () => json(429, {}, ibmError(429, 'too_many_requests', 'Rate limit exceeded')),
    serverError: () => json(500, {}, ibmError(500, 'internal_server_error', 'Internal server error')),
    // IAM's token endpoint: {errorCode, errorMessage, context}.
    login: {
      isLogin: (req) => path(req) === '/identity/token',
      throttle: () => json(429, {}, iamError('Too many requests')),
      serverError: () => json(500, {}, iamError('Internal error')),
    },
  },
};

function ibmError(status: number, code: string, message: string): unknown {
  const more = 'https://cloud.ibm.com/apidocs/secrets-manager/secrets-manager-v2#error-handling';
  return { errors: [{ code, message, more_info: more }], status_code: status, trace: randomUUID() };
}

function iamError(message: string): unknown {
  return { errorCode: 'BXNIM0000E', errorMessage: message, context: { requestId: randomUUID() } };
}
