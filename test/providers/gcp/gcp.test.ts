// The gcp provider driven in-process against the Google fakes: ADC with a service-account key (the
// RS256 assertion verified by the OAuth fake), the metadata server and workload identity federation;
// regional secrets, versions, the CRC32C check and the error classes of issue #11.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { gcpProvider } from '../../../src/providers/gcp/provider.js';
import { SA_EMAIL, TEST_PROJECT, WIF_PRINCIPAL } from '../../fakes/gcp/google.js';
import { current, errorOf, gcpContext, resolveRefs, useGoogleFakes, valueOf } from './support.js';

useGoogleFakes();
const P = TEST_PROJECT;

describe('gcp provider with a service-account key', () => {
  it('fetches the latest version with a token from the key file, signed and verified', async () => {
    const { sm, oauth, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/db`, 'old-value');
    sm.addVersion(`projects/${P}/secrets/db`, 'gcp-unit-VALUE');
    const [outcome] = await resolveRefs([`gcp-sm://${P}/db`], keyFileEnv());
    expect(valueOf(outcome)).toBe('gcp-unit-VALUE');
    expect(outcome && 'version' in outcome ? outcome.version : undefined).toBe('2');
    expect(oauth.requests).toEqual([
      expect.objectContaining({ path: '/token', status: 200, outcome: `issued to ${SA_EMAIL}` }),
    ]);
    expect(sm.requests.map((r) => [r.path, r.auth, r.identity])).toEqual([
      [`/v1/projects/${P}/secrets/db/versions/latest:access`, 'ok', SA_EMAIL],
    ]);
  });

  it('takes the project from the key file, then GOOGLE_CLOUD_PROJECT, then CLOUDSDK_CORE_PROJECT', async () => {
    const { sm, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/a`, 'from-key-project');
    sm.addVersion('projects/env-project/secrets/a', 'from-env-project');
    sm.addVersion('projects/sdk-project/secrets/a', 'from-sdk-project');
    expect(valueOf((await resolveRefs(['gcp-sm://a'], keyFileEnv()))[0])).toBe('from-key-project');
    expect(
      valueOf((await resolveRefs(['gcp-sm://a'], { ...keyFileEnv(), CLOUDSDK_CORE_PROJECT: 'sdk-project' }))[0]),
    ).toBe('from-sdk-project');
    const both = { ...keyFileEnv(), GOOGLE_CLOUD_PROJECT: 'env-project', CLOUDSDK_CORE_PROJECT: 'sdk-project' };
    expect(valueOf((await resolveRefs(['gcp-sm://a'], both))[0])).toBe('from-env-project');
  });

  it('accepts resource names, ?version=, ?project= and regional secrets', async () => {
    const { sm, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/s`, 'v1');
    sm.addVersion(`projects/${P}/secrets/s`, 'v2');
    sm.addVersion('projects/other/secrets/s', 'other-v1');
    sm.addVersion(`projects/${P}/locations/europe-west1/secrets/r`, 'regional-value');
    const outcomes = await resolveRefs(
      [
        `gcp-sm://projects/${P}/secrets/s/versions/1`,
        `gcp-sm://s?version=2`,
        'gcp-sm://s?project=other',
        `gcp-sm://projects/${P}/locations/europe-west1/secrets/r`,
        'gcp-sm://r?location=europe-west1',
      ],
      keyFileEnv(),
    );
    expect(outcomes.map(valueOf)).toEqual(['v1', 'v2', 'other-v1', 'regional-value', 'regional-value']);
    expect(sm.requests.map((r) => r.path)).toContain(
      `/v1/projects/${P}/locations/europe-west1/secrets/r/versions/latest:access`,
    );
  });

  it('fetches one token for a whole batch and sends the requests in parallel', async () => {
    const { sm, oauth, keyFileEnv } = current.fakes;
    for (let i = 0; i < 30; i++) sm.addVersion(`projects/${P}/secrets/s${i}`, `value-${i}`);
    sm.latencyMs = 100;
    const started = Date.now();
    const outcomes = await resolveRefs(
      Array.from({ length: 30 }, (_, i) => `gcp-sm://s${i}`),
      keyFileEnv(),
    );
    expect(outcomes.map(valueOf)).toEqual(Array.from({ length: 30 }, (_, i) => `value-${i}`));
    expect(oauth.requests).toHaveLength(1);
    // 30 sequential requests would take 3 s; in parallel they take about one latency.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('is Denied, naming the key, when the token endpoint refuses the assertion', async () => {
    const { oauth, keyFileEnv } = current.fakes;
    oauth.disableKey(SA_EMAIL);
    const error = errorOf((await resolveRefs(['gcp-sm://x'], keyFileEnv()))[0]);
    expect(error.kind).toBe('Denied');
    expect(error.message).toMatch(
      /credentials rejected: no access token for GOOGLE_APPLICATION_CREDENTIALS \(service_account reader@/,
    );
    expect(error.message).toContain('invalid_grant');
  });

  it('is Invalid when GOOGLE_APPLICATION_CREDENTIALS cannot be read or is not a credentials file', async () => {
    const missing = errorOf(
      (await resolveRefs(['gcp-sm://p/x'], { GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/key.json' }))[0],
    );
    expect([missing.kind, missing.message]).toEqual([
      'Invalid',
      'GOOGLE_APPLICATION_CREDENTIALS /nonexistent/key.json: cannot read it (ENOENT)',
    ]);
    const ctx = gcpContext({ GOOGLE_APPLICATION_CREDENTIALS: '/k.json' });
    const notJson = errorOf(
      (await resolveRefs(['gcp-sm://p/x'], {}, { ...ctx, readFile: async () => Buffer.from('{nope') }))[0],
    );
    expect(notJson.message).toMatch(/is not JSON/);
  });
});

describe('gcp provider with the metadata server and workload identity federation', () => {
  it('uses the metadata server when ADC finds no file, and takes its project id', async () => {
    const { sm, metadata } = current.fakes;
    vi.stubEnv('METADATA_SERVER_DETECTION', undefined);
    vi.stubEnv('GCE_METADATA_HOST', metadata.host);
    sm.addVersion(`projects/${P}/secrets/m`, 'from-metadata-token');
    const [outcome] = await resolveRefs(['gcp-sm://m'], { SECRETS_EXEC_GCP_ENDPOINT: sm.url });
    expect(valueOf(outcome)).toBe('from-metadata-token');
    expect(sm.requests[0]?.identity).toMatch(/-compute@developer\.gserviceaccount\.com$/);
    expect(metadata.requests.every((r) => r.flavor)).toBe(true);
    expect(metadata.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/computeMetadata/v1/instance/service-accounts/default/token',
        '/computeMetadata/v1/project/project-id',
      ]),
    );
  });

  it('exchanges a file-sourced subject token at STS for an external_account', async () => {
    const { sm, oauth, externalAccountFile } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/w`, 'federated-value');
    const [outcome] = await resolveRefs([`gcp-sm://${P}/w`], {
      GOOGLE_APPLICATION_CREDENTIALS: externalAccountFile,
      SECRETS_EXEC_GCP_ENDPOINT: sm.url,
    });
    expect(valueOf(outcome)).toBe('federated-value');
    expect(oauth.requests).toEqual([expect.objectContaining({ path: '/v1/token', status: 200 })]);
    expect(sm.requests[0]?.identity).toBe(WIF_PRINCIPAL);
  });

  it('impersonates a service account with the federated token (service_account_impersonation_url)', async () => {
    const { sm, oauth, impersonatingAccountFile } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/i`, 'impersonated-value');
    const env = { GOOGLE_APPLICATION_CREDENTIALS: impersonatingAccountFile, SECRETS_EXEC_GCP_ENDPOINT: sm.url };
    const [outcome] = await resolveRefs([`gcp-sm://${P}/i`], env);
    expect(valueOf(outcome)).toBe('impersonated-value');
    expect(oauth.requests.map((r) => [r.path, r.status])).toEqual([
      ['/v1/token', 200],
      [`/v1/projects/-/serviceAccounts/${SA_EMAIL}:generateAccessToken`, 200],
    ]);
    expect(sm.requests[0]?.identity).toBe(SA_EMAIL);
  });

  it('is Denied when the federated principal may not impersonate the service account', async () => {
    const { sm, impersonatingAccountFile } = current.fakes;
    const json = JSON.parse(readFileSync(impersonatingAccountFile, 'utf8')) as Record<string, unknown>;
    const other = current.fakes.oauth.impersonationUrl('other@se-test-project.iam.gserviceaccount.com');
    writeFileSync(impersonatingAccountFile, JSON.stringify({ ...json, service_account_impersonation_url: other }));
    const env = { GOOGLE_APPLICATION_CREDENTIALS: impersonatingAccountFile, SECRETS_EXEC_GCP_ENDPOINT: sm.url };
    const error = errorOf((await resolveRefs([`gcp-sm://${P}/i`], env))[0]);
    expect(error.kind).toBe('Denied');
    expect(error.message).toMatch(
      /credentials rejected: no access token for GOOGLE_APPLICATION_CREDENTIALS \(external_account .*HTTP 403/,
    );
    expect(sm.requests).toHaveLength(0);
  });

  it('says where ADC looked when it finds no credentials, and sends nothing', async () => {
    const { sm } = current.fakes;
    const error = errorOf(
      (
        await resolveRefs(['gcp-sm://p/x'], {
          SECRETS_EXEC_GCP_ENDPOINT: sm.url,
          HOME: '/nonexistent-home',
          METADATA_SERVER_DETECTION: 'none',
        })
      )[0],
    );
    expect(error.kind).toBe('Denied');
    expect(error.message).toContain(
      'no Google credentials: Application Default Credentials looked at GOOGLE_APPLICATION_CREDENTIALS (not set), ' +
        '/nonexistent-home/.config/gcloud/application_default_credentials.json (absent), ' +
        'the metadata server (skipped: METADATA_SERVER_DETECTION=none)',
    );
    expect(sm.requests).toHaveLength(0);
  });
});

describe('gcp provider errors and integrity', () => {
  it("is NotFound for a missing secret and for a missing version, with Google's words", async () => {
    const { sm, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/real`, 'x');
    const [gone, noVersion] = (
      await resolveRefs([`gcp-sm://${P}/gone`, `gcp-sm://${P}/real?version=9`], keyFileEnv())
    ).map(errorOf);
    expect(gone?.kind).toBe('NotFound');
    expect(gone?.message).toMatch(
      /^no secret version projects\/se-test-project\/secrets\/gone\/versions\/latest \(Google: Secret \[/,
    );
    expect(noVersion?.kind).toBe('NotFound');
    expect(noVersion?.message).toMatch(/versions\/9 \(Google: Secret Version .* not found/);
  });

  it.each(['DISABLED', 'DESTROYED'] as const)('is NotFound naming the state of a %s version', async (state) => {
    const { sm, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/st`, 'gcp-STATE-value', state);
    const error = errorOf((await resolveRefs([`gcp-sm://${P}/st`], keyFileEnv()))[0]);
    expect(error.kind).toBe('NotFound');
    expect(error.message).toContain(`version projects/${P}/secrets/st/versions/latest is ${state}`);
    expect(error.message).not.toContain('gcp-STATE-value');
  });

  it('is Denied naming secretmanager.versions.access on the secret when IAM refuses', async () => {
    const { sm, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/locked`, 'gcp-LOCKED-value');
    sm.deny(`projects/${P}/secrets/locked`, SA_EMAIL);
    const error = errorOf((await resolveRefs([`gcp-sm://${P}/locked`], keyFileEnv()))[0]);
    expect(error.kind).toBe('Denied');
    expect(error.message).toContain(`needs secretmanager.versions.access on projects/${P}/secrets/locked`);
    expect(error.message).toContain(`service_account ${SA_EMAIL}`);
  });

  it('is Denied with the credential source when the token is rejected (401)', async () => {
    const { sm, authority, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/t`, 'x');
    const run = gcpProvider.create(gcpContext(keyFileEnv()));
    await run.resolve([{ scheme: 'gcp-sm', path: `${P}/t`, optional: false, params: {} }]);
    for (const { token } of authority.issued) authority.revoke(token);
    const error = errorOf(
      (await run.resolve([{ scheme: 'gcp-sm', path: `${P}/t`, version: '1', optional: false, params: {} }]))[0],
    );
    await run.close();
    expect(error.kind).toBe('Denied');
    expect(error.message).toMatch(
      /^credentials rejected: Secret Manager did not accept the token from GOOGLE_APPLICATION_CREDENTIALS \(service_/,
    );
  });

  it.each(['throttle', 'internal', 'unavailable'] as const)(
    'is Unavailable on %s (retried by the engine)',
    async (fault) => {
      const { sm, keyFileEnv } = current.fakes;
      sm.addVersion(`projects/${P}/secrets/u`, 'x');
      sm.inject(fault, 1);
      expect(errorOf((await resolveRefs([`gcp-sm://${P}/u`], keyFileEnv()))[0]).kind).toBe('Unavailable');
    },
  );

  it('refuses a payload whose CRC32C does not match, and never returns it', async () => {
    const { sm, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/c`, 'gcp-CORRUPT-value');
    sm.corruptChecksum(`projects/${P}/secrets/c`, 1);
    const error = errorOf((await resolveRefs([`gcp-sm://${P}/c`], keyFileEnv()))[0]);
    expect([error.kind, error.message]).toEqual([
      'Invalid',
      `the payload of projects/${P}/secrets/c/versions/latest fails its CRC32C check (payload.dataCrc32c): ` +
        'it was corrupted on the way; nothing was used',
    ]);
  });

  it('refuses a payload that is not UTF-8 text', async () => {
    const { sm, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/bin`, Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    const error = errorOf((await resolveRefs([`gcp-sm://${P}/bin`], keyFileEnv()))[0]);
    expect([error.kind, error.message]).toEqual([
      'Invalid',
      `the payload of projects/${P}/secrets/bin/versions/latest is not UTF-8 text (environment values are text)`,
    ]);
  });

  it('sends GOOGLE_CLOUD_QUOTA_PROJECT as x-goog-user-project', async () => {
    const { sm, keyFileEnv } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/q`, 'x');
    await resolveRefs([`gcp-sm://${P}/q`], { ...keyFileEnv(), GOOGLE_CLOUD_QUOTA_PROJECT: 'billing-project' });
    expect(sm.requests[0]?.headers['x-goog-user-project']).toBe('billing-project');
  });

  it('is a Timeout when the deadline passes', async () => {
    const { sm, keyFileEnv } = current.fakes;
    sm.slow = true;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const ctx = { ...gcpContext(keyFileEnv()), signal: controller.signal };
    const error = errorOf((await resolveRefs([`gcp-sm://${P}/slow`], {}, ctx))[0]);
    expect(error.kind).toBe('Timeout');
  });

  it('maps secret://NAME and refuses names Google cannot hold', () => {
    const run = gcpProvider.create(gcpContext({}));
    expect(run.mapGeneric('db-password')).toEqual({
      scheme: 'gcp-sm',
      path: 'db-password',
      optional: false,
      params: {},
    });
    expect(() => run.mapGeneric('app/db')).toThrow(
      /cannot be a Google secret name: Google secret names hold only letters, digits, _ and -/,
    );
    expect(() => run.mapGeneric('x'.repeat(256))).toThrow(/longer than 255 characters/);
  });
});

describe('gcp provider in emulator mode', () => {
  it('talks plain HTTP to SECRET_MANAGER_EMULATOR_HOST without credentials, with a warning', async () => {
    const { sm, oauth, keyFile } = current.fakes;
    sm.addVersion(`projects/${P}/secrets/e`, 'emulated');
    const lines: string[] = [];
    const env = {
      SECRET_MANAGER_EMULATOR_HOST: sm.host,
      GOOGLE_CLOUD_PROJECT: P,
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
    };
    const outcomes = await resolveRefs(['gcp-sm://e'], env, gcpContext(env, lines));
    // The fake plays Google here (it demands a token): the emulator path must not send one.
    expect(errorOf(outcomes[0]).message).toMatch(
      /credentials rejected: Secret Manager did not accept the token from no credentials \(emulator\)/,
    );
    expect(sm.requests[0]?.headers.authorization).toBeUndefined();
    expect(oauth.requests).toHaveLength(0);
    expect(lines.join('')).toMatch(/warn: SECRET_MANAGER_EMULATOR_HOST is set: .* plain HTTP, without credentials/);
  });
});
