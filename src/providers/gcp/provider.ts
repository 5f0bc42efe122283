// Google Secret Manager: the provider module that index.ts loads on first use.
//
// References:
//   gcp-sm://NAME, gcp-sm://PROJECT/NAME, gcp-sm://projects/P/secrets/S[/versions/V]
//   gcp-sm://projects/P/locations/L/secrets/S[/versions/V], or ?location=L   (regional secrets)
//   ?version=N|latest (default latest), ?project=P, #KEY / JSON pointer, --load
//   secret://NAME → gcp-sm://NAME: projects/$PROJECT/secrets/NAME/versions/latest
// Project of a reference that names none: GOOGLE_CLOUD_PROJECT, CLOUDSDK_CORE_PROJECT, the credentials
//   file's project_id, the metadata server — in that order.
// Environment read (ctx.env): GOOGLE_APPLICATION_CREDENTIALS, CLOUDSDK_CONFIG / HOME (gcloud's ADC file),
//   GOOGLE_CLOUD_PROJECT, CLOUDSDK_CORE_PROJECT, SECRET_MANAGER_EMULATOR_HOST (plain HTTP, no credentials,
//   a warning), SECRETS_EXEC_GCP_ENDPOINT (a private or fixed endpoint; credentials are sent). Google's
//   library reads its own: METADATA_SERVER_DETECTION, GCE_METADATA_HOST, GOOGLE_CLOUD_QUOTA_PROJECT.
// Credentials: Application Default Credentials through google-auth-library (auth.ts).
// API call: GET https://secretmanager.googleapis.com/v1/{name}:access — regional secrets at
//   https://secretmanager.L.rep.googleapis.com — needing secretmanager.versions.access; REST over one
//   HTTP/2 connection per endpoint, or HTTP/1.1 (client.ts), payload.dataCrc32c verified (payload.ts).
// The implementation (and the library) is imported on the first batch.
import type { Reference } from '../../refs/index.js';
import type { Outcome, ProviderModule } from '../../resolve/types.js';
import { classifyGcpError } from './errors.js';
import type { GcpRun } from './instance.js';
import { mapGenericName } from './names.js';

export const gcpProvider: ProviderModule = {
  create(ctx) {
    let run: Promise<GcpRun> | undefined;
    const getRun = (): Promise<GcpRun> => {
      run ??= import('./instance.js').then((m) => m.createRun(ctx));
      return run;
    };
    return {
      mapGeneric: (name: string): Reference => mapGenericName(name),
      resolve: async (batch: readonly Reference[]): Promise<Outcome[]> => (await getRun()).resolve(batch),
      async close(): Promise<void> {
        const pending = run;
        run = undefined;
        (await pending?.catch(() => undefined))?.close();
      },
    };
  },
  classify: classifyGcpError,
};
