// The Google fakes of one test, started together: a token authority, the OAuth2/STS token endpoints, a
// Secret Manager (with bearer-token checks) and a metadata server; plus the files and environment that
// point secrets-exec at them: a service-account key file whose token_uri is the fake's, and an
// external_account (workload identity federation, file-sourced) configuration.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGoogleMetadataFake, type GoogleMetadataFake } from './metadata.js';
import { startOAuthFake, type OAuthFake, type ServiceAccountKey } from './oauth.js';
import { startSecretManagerFake, type SecretManagerFake } from './secret-manager.js';
import { createTokenAuthority, type TokenAuthority } from './tokens.js';

export const TEST_PROJECT = 'se-test-project';
export const SA_EMAIL = `reader@${TEST_PROJECT}.iam.gserviceaccount.com`;
export const METADATA_EMAIL = `${TEST_PROJECT}-compute@developer.gserviceaccount.com`;
export const WIF_AUDIENCE =
  '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/pool/providers/oidc';
export const WIF_PRINCIPAL =
  'principal://iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/pool/subject/ci';

export interface GoogleFakes {
  readonly authority: TokenAuthority;
  readonly oauth: OAuthFake;
  readonly sm: SecretManagerFake;
  readonly metadata: GoogleMetadataFake;
  readonly key: ServiceAccountKey;
  readonly dir: string;
  /** The service-account key file (token_uri → the OAuth fake). */
  readonly keyFile: string;
  /** An external_account file whose subject token comes from a file and is exchanged at the STS fake. */
  readonly externalAccountFile: string;
  /** The same, then impersonating SA_EMAIL (service_account_impersonation_url at the fake). */
  readonly impersonatingAccountFile: string;
  /**
   * An impersonated_service_account file (as `gcloud auth application-default login
   * --impersonate-service-account` writes), impersonating SA_EMAIL with the external_account as its source.
   */
  readonly impersonatedServiceAccountFile: string;
  /** Environment for a run with the key file against the Secret Manager fake. */
  keyFileEnv(): Record<string, string>;
  close(): Promise<void>;
}

export async function startGoogleFakes(
  options: { emulator?: boolean; tls?: { cert: Buffer; key: Buffer; http1Only?: boolean } } = {},
): Promise<GoogleFakes> {
  const authority = createTokenAuthority();
  const oauth = await startOAuthFake(authority);
  const sm = await startSecretManagerFake({ authority, emulator: options.emulator, tls: options.tls });
  const metadata = await startGoogleMetadataFake({ authority, projectId: TEST_PROJECT, email: METADATA_EMAIL });
  const key = oauth.createServiceAccount(SA_EMAIL, TEST_PROJECT);
  const dir = mkdtempSync(join(tmpdir(), 'gcp-fakes-'));
  const keyFile = join(dir, 'key.json');
  writeFileSync(keyFile, JSON.stringify(key.json));
  const subjectTokenFile = join(dir, 'oidc-token');
  const claims = Buffer.from(JSON.stringify({ sub: 'ci', aud: WIF_AUDIENCE })).toString('base64url');
  const subjectToken = `eyJhbGciOiJSUzI1NiJ9.${claims}.c2ln`;
  writeFileSync(subjectTokenFile, subjectToken);
  oauth.trustSubjectToken({ audience: WIF_AUDIENCE, subjectToken, principal: WIF_PRINCIPAL });
  const externalAccountFile = join(dir, 'external-account.json');
  writeFileSync(
    externalAccountFile,
    JSON.stringify({
      type: 'external_account',
      audience: WIF_AUDIENCE,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: oauth.stsUrl,
      credential_source: { file: subjectTokenFile },
    }),
  );
  const impersonatingAccountFile = join(dir, 'external-account-impersonating.json');
  const externalAccount = JSON.parse(readFileSync(externalAccountFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    impersonatingAccountFile,
    JSON.stringify({ ...externalAccount, service_account_impersonation_url: oauth.impersonationUrl(SA_EMAIL) }),
  );
  const impersonatedServiceAccountFile = join(dir, 'impersonated-service-account.json');
  writeFileSync(
    impersonatedServiceAccountFile,
    JSON.stringify({
      type: 'impersonated_service_account',
      service_account_impersonation_url: oauth.impersonationUrl(SA_EMAIL),
      source_credentials: externalAccount,
      delegates: [],
    }),
  );
  oauth.allowImpersonation(WIF_PRINCIPAL, SA_EMAIL);
  return {
    authority,
    oauth,
    sm,
    metadata,
    key,
    dir,
    keyFile,
    externalAccountFile,
    impersonatingAccountFile,
    impersonatedServiceAccountFile,
    keyFileEnv: () => ({ GOOGLE_APPLICATION_CREDENTIALS: keyFile, SECRETS_EXEC_GCP_ENDPOINT: sm.url }),
    async close() {
      await Promise.all([oauth.close(), sm.close(), metadata.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
