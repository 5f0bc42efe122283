// The token endpoint failing in every way the fault matrix knows, with the service-account key pointed at a
// fault front before the OAuth fake: one request per try (the library does no retries of its own: the
// engine does), the class each failure belongs to, throttling marked as such, and no body text quoted.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { hasAccessToken } from '../../../src/providers/gcp/token-transport.js';
import { type FaultAction, startFaultFront } from '../../fakes/fault-front.js';
import { current, errorOf, resolveRefs, useGoogleFakes, valueOf } from './support.js';

useGoogleFakes();
const dir = mkdtempSync(join(tmpdir(), 'gcp-token-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MARKER = 'TOKEN-BODY-TEXT';
const json = (status: number, body: unknown): FaultAction => ({
  kind: 'answer',
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The key file's environment with token_uri at `url`. */
function keyAt(url: string, name: string): Record<string, string> {
  const env = current.fakes.keyFileEnv();
  const key = JSON.parse(readFileSync(env.GOOGLE_APPLICATION_CREDENTIALS as string, 'utf8')) as object;
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...key, token_uri: `${url}/token` }));
  return { ...env, GOOGLE_APPLICATION_CREDENTIALS: file };
}

describe('gcp token endpoint faults', () => {
  it.each([
    ['500', json(500, { error: 'internal_failure' }), 'Unavailable', /HTTP 500/, false],
    ['429', json(429, { error: 'rate_limit_exceeded' }), 'Unavailable', /HTTP 429/, true],
    ['a reset mid-body', { kind: 'reset-mid-body' }, 'Unavailable', /no access token/, false],
    ['JSON cut off', { kind: 'malformed', marker: MARKER }, 'Invalid', /holds no access token/, false],
    ['an HTML page', { kind: 'wrong-content-type', marker: MARKER }, 'Invalid', /holds no access token/, false],
    ['a 9 MiB body', { kind: 'oversized', marker: MARKER, bytes: 9 << 20 }, 'Invalid', /larger than 1048576/, false],
  ] as const)(
    '%s from the token endpoint: one request, its class, no body text',
    async (name, action, kind, message, throttled) => {
      const front = await startFaultFront({ target: current.fakes.oauth.url, rules: [{ match: () => true, action }] });
      try {
        const error = errorOf((await resolveRefs(['gcp-sm://db'], keyAt(front.url, name)))[0]);
        expect(error.kind).toBe(kind);
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain(MARKER);
        expect(error.throttled === true).toBe(throttled);
        expect(front.matched()).toBe(1);
        expect(current.fakes.sm.requests).toEqual([]);
      } finally {
        await front.close();
      }
    },
  );

  it('still gets its token through the capped transport', async () => {
    current.fakes.sm.addVersion('projects/se-test-project/secrets/db', 'token-faults-VALUE');
    const front = await startFaultFront({ target: current.fakes.oauth.url, rules: [] });
    try {
      expect(valueOf((await resolveRefs(['gcp-sm://db'], keyAt(front.url, 'ok')))[0])).toBe('token-faults-VALUE');
    } finally {
      await front.close();
    }
  });

  it('tells a bearer token from the library\'s "Bearer undefined"', () => {
    expect(hasAccessToken({ authorization: 'Bearer ya29.abc' })).toBe(true);
    expect(hasAccessToken({ Authorization: 'Bearer undefined' })).toBe(false);
    expect(hasAccessToken({ authorization: 'Bearer ' })).toBe(false);
    expect(hasAccessToken({})).toBe(false);
  });
});

describe('gcp STS faults (external_account)', () => {
  // The STS exchange has a transporter of its own in Google's library: it follows the same rules.
  it.each([
    ['500', json(500, { error: 'server_error' }), 'Unavailable', /HTTP 500/],
    ['a 9 MiB body', { kind: 'oversized', marker: MARKER, bytes: 9 << 20 } as const, 'Invalid', /larger than 1048576/],
  ] as const)('%s from STS: one request, its class, no body text', async (name, action, kind, message) => {
    const { oauth, sm, externalAccountFile } = current.fakes;
    const front = await startFaultFront({ target: oauth.url, rules: [{ match: () => true, action }] });
    try {
      const account = JSON.parse(readFileSync(externalAccountFile, 'utf8')) as Record<string, unknown>;
      const file = join(dir, `sts-${name}.json`);
      writeFileSync(file, JSON.stringify({ ...account, token_url: `${front.url}/v1/token` }));
      const env = { GOOGLE_APPLICATION_CREDENTIALS: file, SECRETS_EXEC_GCP_ENDPOINT: sm.url };
      const error = errorOf((await resolveRefs(['gcp-sm://se-test-project/db'], env))[0]);
      expect(error.kind).toBe(kind);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(MARKER);
      expect(front.matched()).toBe(1);
      expect(sm.requests).toEqual([]);
    } finally {
      await front.close();
    }
  });
});

describe('gcp metadata server token faults', () => {
  it('asks the metadata server once per try when its token answer is a 500 (no retries of the library)', async () => {
    const { sm, metadata } = current.fakes;
    const tokenPath = '/computeMetadata/v1/instance/service-accounts/default/token';
    const action: FaultAction = {
      kind: 'answer',
      status: 500,
      headers: { 'metadata-flavor': 'Google', 'content-type': 'text/plain' },
      body: 'Internal error',
    };
    const front = await startFaultFront({
      target: metadata.url,
      rules: [{ match: (req) => (req.url ?? '').startsWith(tokenPath), action }],
    });
    try {
      vi.stubEnv('METADATA_SERVER_DETECTION', undefined);
      vi.stubEnv('GCE_METADATA_HOST', front.url.replace('http://', ''));
      const [outcome] = await resolveRefs(['gcp-sm://m'], { SECRETS_EXEC_GCP_ENDPOINT: sm.url });
      expect(errorOf(outcome).kind).toBe('Unavailable');
      expect(front.matched()).toBe(1);
    } finally {
      await front.close();
    }
  });
});
