// classifyOciError: one table from OCI answers and network failures to the reason classes.
import { describe, expect, it } from 'vitest';
import { classifyOciError, OciAuthError, OciHttpError } from '../../../src/providers/oci/errors.js';

const AUTH = 'api_key (profile DEFAULT of /c)';
const http = (status: number, code: string): OciHttpError =>
  new OciHttpError(status, code, 'said by OCI', 'GetSecretBundle', AUTH, 'REQ1');
const net = (code: string): Error => Object.assign(new Error(code), { code });

describe('classifyOciError', () => {
  it.each([
    [
      http(404, 'NotAuthorizedOrNotFound'),
      'NotFound',
      /may not read it \(policy: `read secret-bundles`\) \[NotAuthorizedOrNotFound: said by OCI; opc-request-id REQ1\]/,
    ],
    [http(401, 'NotAuthenticated'), 'Denied', /\(NotAuthenticated\) signed with api_key \(profile DEFAULT of \/c\)/],
    [http(403, 'Forbidden'), 'Denied', /forbidden/],
    [http(429, 'TooManyRequests'), 'Unavailable', /OCI answered 429/],
    [http(503, 'ServiceUnavailable'), 'Unavailable', /OCI answered 503/],
    [http(400, 'InvalidParameter'), 'Invalid', /OCI answered 400/],
    [new OciAuthError('Denied', 'federation refused'), 'Denied', /federation refused/],
    [net('ECONNREFUSED'), 'Unavailable', /cannot reach .*ECONNREFUSED/],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'Timeout', /--timeout deadline/],
    [net('DEPTH_ZERO_SELF_SIGNED_CERT'), 'Invalid', /not trusted/],
    [new TypeError('boom'), 'Invalid', /unexpected TypeError/],
  ])('%s → %s', (error, kind, message) => {
    const classified = classifyOciError(error);
    expect(classified.kind).toBe(kind);
    expect(classified.message).toMatch(message);
  });
});
