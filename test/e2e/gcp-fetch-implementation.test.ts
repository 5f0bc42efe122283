// Issue 17: a gcp-sm:// run must not load Node's fetch implementation (undici, 35–55 ms of start-up), whatever
// the source of its Application Default Credentials. Google's auth library sends through node:http(s) and builds
// its Headers with a look-alike (scripts/vendor-load.mjs); a library upgrade or a new code path that reads the
// fetch globals again shows as the debug line src/resolve/load-notes.ts writes when a run has loaded undici.
// The line is looked for among the provider's load notes, which the run logs after its last request.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GoogleFakes, SA_EMAIL, startGoogleFakes, TEST_PROJECT } from '../fakes/gcp/google.js';
import { runBinary } from '../support/run-binary.js';

const UNDICI = 'node: fetch implementation (undici) loaded';
const VALUE = 'gcp-no-undici-7f3e';
let fakes: GoogleFakes;
beforeEach(async () => {
  fakes = await startGoogleFakes();
  fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/db`, VALUE);
});
afterEach(() => fakes.close());

type Source = [
  string,
  env: () => Record<string, string>,
  /** The token requests that source makes, as the fakes saw them. */
  sent: () => unknown[],
];
const SOURCES: Source[] = [
  [
    'a service-account key (signed JWT at the token endpoint)',
    () => fakes.keyFileEnv(),
    () => fakes.oauth.requests.map((r) => [r.path, r.grantType, r.status]),
  ],
  [
    'the metadata server',
    () => ({
      METADATA_SERVER_DETECTION: 'ping-only',
      GCE_METADATA_HOST: fakes.metadata.host,
      SECRETS_EXEC_GCP_ENDPOINT: fakes.sm.url,
    }),
    () => fakes.metadata.requests.filter((r) => r.path.endsWith('/token')).map((r) => [r.flavor, r.status]),
  ],
  [
    'an external_account (subject token exchanged at STS)',
    () => ({
      GOOGLE_APPLICATION_CREDENTIALS: fakes.externalAccountFile,
      GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
      SECRETS_EXEC_GCP_ENDPOINT: fakes.sm.url,
    }),
    () => fakes.oauth.requests.map((r) => [r.path, r.status]),
  ],
  [
    'an external_account impersonating a service account',
    () => ({
      GOOGLE_APPLICATION_CREDENTIALS: fakes.impersonatingAccountFile,
      GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
      SECRETS_EXEC_GCP_ENDPOINT: fakes.sm.url,
    }),
    () => fakes.oauth.requests.map((r) => [r.path, r.status]),
  ],
];
const EXPECTED_REQUESTS: unknown[][] = [
  [['/token', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 200]],
  [[true, 200]],
  [['/v1/token', 200]],
  [
    ['/v1/token', 200],
    [`/v1/projects/-/serviceAccounts/${SA_EMAIL}:generateAccessToken`, 200],
  ],
];

describe("a gcp-sm:// run without Node's fetch implementation", () => {
  it.each(SOURCES.map((s, i) => [s[0], s, EXPECTED_REQUESTS[i]] as const))(
    'with %s: gets its token and the value, and loads no undici',
    async (_, [, env, sent], expected) => {
      const result = await runBinary(['--log-level', 'debug', '--', 'sh', '-c', 'printf %s "$DB"'], {
        env: { ...env(), DB: 'gcp-sm://db' },
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(VALUE);
      expect(sent()).toEqual(expected);
      // The load notes were logged (after the run's requests), and say nothing of undici.
      expect(result.stderr).toContain('chunk gcp: code cache accepted');
      expect(result.stderr).not.toContain(UNDICI);
    },
  );
});
