// Every request Google's library sends for a client built from a file goes through the run's fetch, once: the
// client's own, its STS exchange's (a transporter of its own) and, for an impersonated_service_account, its
// source client's. The library's IAM endpoint for impersonated_service_account files is fixed
// (iamcredentials.googleapis.com), so the fetch here answers in place of the fakes and nothing leaves.
import { readFileSync } from 'node:fs';
import { GoogleAuth } from 'google-auth-library';
import { describe, expect, it, vi } from 'vitest';
import { configureLibraryTransport } from '../../../src/providers/gcp/token-transport.js';
import { Headers } from '../../../src/providers/shared/fetch-headers.js';
import { FetchedResponse } from '../../../src/providers/shared/http-fetch.js';
import { current, useGoogleFakes } from './support.js';

useGoogleFakes();
const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

// A fetch that answers each request with `answer(url)` and records where it went.
function recordingFetch(answer: (url: URL) => [number, unknown]) {
  const sent: string[] = [];
  const fetch = async (input: string | URL) => {
    const url = new URL(String(input));
    sent.push(`${url.host}${url.pathname}`);
    const [status, body] = answer(url);
    const headers = new Headers({ 'content-type': 'application/json' });
    return new FetchedResponse(url.href, status, '', headers, Buffer.from(JSON.stringify(body)));
  };
  return { sent, fetch: fetch as unknown as typeof globalThis.fetch };
}

function clientOf(file: string) {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return new GoogleAuth({ scopes: [SCOPE] }).fromJSON(json as never);
}

describe("the library's transport", () => {
  it("sends an impersonated_service_account's STS exchange and impersonation through the run's fetch", async () => {
    const client = clientOf(current.fakes.impersonatedServiceAccountFile);
    const { sent, fetch } = recordingFetch((url) =>
      url.pathname === '/v1/token'
        ? [200, { access_token: 'federated', token_type: 'Bearer', expires_in: 3600 }]
        : [200, { accessToken: 'impersonated', expireTime: new Date(Date.now() + 3600_000).toISOString() }],
    );
    configureLibraryTransport(client, fetch);
    expect((await client.getAccessToken()).token).toBe('impersonated');
    const sts = new URL(current.fakes.oauth.stsUrl);
    expect(sent).toEqual([
      `${sts.host}/v1/token`,
      'iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/' +
        'reader@se-test-project.iam.gserviceaccount.com:generateAccessToken',
    ]);
  });

  it("refreshes an authorized_user's token through the run's fetch", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const json = { type: 'authorized_user', client_id: 'id', client_secret: 'not-a-secret', refresh_token: 'r' };
    const client = new GoogleAuth({ scopes: [SCOPE] }).fromJSON(json as never);
    const { sent, fetch } = recordingFetch(() => [200, { access_token: 'user', expires_in: 3600 }]);
    configureLibraryTransport(client, fetch);
    expect((await client.getAccessToken()).token).toBe('user');
    expect(sent).toEqual(['oauth2.googleapis.com/token']);
  });

  it("sends an external_account's STS exchange once when it fails (no retries of the library's own)", async () => {
    const client = clientOf(current.fakes.externalAccountFile);
    const { sent, fetch } = recordingFetch(() => [503, { error: 'temporarily_unavailable' }]);
    configureLibraryTransport(client, fetch);
    await expect(client.getAccessToken()).rejects.toThrow();
    expect(sent).toHaveLength(1);
  });
});
