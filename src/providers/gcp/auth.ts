// Application Default Credentials through Google's own library (google-auth-library), loaded on first
// use. ADC's order: a credentials file (credential-file.ts: a service-account key, an external_account
// for workload identity federation — file, URL, AWS or executable sourced —, an
// impersonated_service_account or authorized_user file), else the metadata server (GKE Workload Identity,
// Cloud Run, GCE), which the library looks for only as METADATA_SERVER_DETECTION allows. The library
// signs, exchanges and refreshes every token; this file only hands it the file and asks for headers.
import type { AuthClient } from 'google-auth-library';
import type { ProviderContext } from '../../resolve/types.js';
import { describeFile, findCredentialFile, wellKnownFile, type CredentialFile } from './credential-file.js';
import { GcpAuthError } from './errors.js';
import { getVar } from './settings.js';
import { asUntrusted } from '../shared/egress-errors.js';
import { isBodyTooLarge, MAX_FETCHED_BODY } from '../shared/capped-fetch.js';
import type { Egress } from '../shared/egress.js';
import { createHttpFetch } from '../shared/http-fetch.js';
import { configureLibraryTransport, hasAccessToken, withoutLibraryRetries } from './token-transport.js';
import { libraryFiles } from './library-files.js';
import { checkVendorFiles } from '../shared/vendor-file.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** One run's credentials. */
export interface GcpCredentials {
  /** Where they came from, for messages ("GOOGLE_APPLICATION_CREDENTIALS (service_account …)"). */
  readonly source: string;
  /** The project the credentials file names (service_account's project_id), if any. */
  readonly fileProject: string | undefined;
  /** Authorization (and x-goog-user-project) headers; the token is fetched once and shared. */
  headers(): Promise<Record<string, string>>;
  /** The project of the metadata server, when the credentials come from it. */
  metadataProject(): Promise<string | undefined>;
}

/**
 * Finds the credentials the way ADC does and prepares the library's client; nothing is fetched yet. The
 * library's requests go out as `network` (the run's egress) says.
 */
export async function loadCredentials(ctx: ProviderContext, network: () => Promise<Egress>): Promise<GcpCredentials> {
  const file = await findCredentialFile(ctx);
  if (file) await checkLibraryFiles(ctx, file);
  const lib = await import('google-auth-library');
  // A fetch over node:http(s) for the library's requests (the token requests, STS, impersonation, the
  // metadata server): otherwise gaxios evaluates its bundled node-fetch and web-streams polyfill on first
  // use, and Node's own fetch would load undici. Capped: a token endpoint cannot make the run buffer
  // without bound. Given to every transporter of the client (token-transport.ts), and to gaxios's shared
  // instance, which the metadata server's requests go through.
  const fetchImplementation = createHttpFetch(network, MAX_FETCHED_BODY) as unknown as typeof fetch;
  lib.gaxios.instance.defaults.fetchImplementation = fetchImplementation;
  // The library's own pieces of ADC rather than GoogleAuth.getClient(): that also looks for a project
  // id, which runs `gcloud config config-helper` in a shell and asks the metadata server even when the
  // credentials are explicit. The project is worked out in instance.ts instead, in the documented order.
  let client: AuthClient;
  if (file) {
    try {
      // fromJSON picks the client for the file's type (JWT, ExternalAccountClient, Impersonated, …).
      client = new lib.GoogleAuth({ scopes: [SCOPE] }).fromJSON(file.json as never);
    } catch (error) {
      const why = shortMessage(error);
      const message = `${file.variable} ${file.path}: Google's library cannot use it (${why})`;
      throw new GcpAuthError('Invalid', message, { cause: error });
    }
    honourTokenUri(client, file.json);
  } else {
    const { gcpMetadata } = lib;
    const onGoogle = gcpMetadata.getGCPResidency() || (await gcpMetadata.isAvailable().catch(() => false));
    if (!onGoogle) throw new GcpAuthError('Denied', noCredentialsMessage(ctx));
    client = new lib.Compute({ scopes: [SCOPE] });
  }
  configureLibraryTransport(client, fetchImplementation);
  withoutLibraryRetries(lib.gaxios.instance);
  const quotaProject = getVar(ctx.env, 'GOOGLE_CLOUD_QUOTA_PROJECT');
  if (quotaProject !== undefined) client.quotaProjectId = quotaProject;
  return wrapClient(client, file, () => lib.gcpMetadata.project('project-id'));
}

// The token files the library reads itself are checked first; the failure is the library's kind of error.
async function checkLibraryFiles(ctx: ProviderContext, file: CredentialFile): Promise<void> {
  try {
    await checkVendorFiles(ctx.readFile, libraryFiles(file, ctx.env));
  } catch (error) {
    throw new GcpAuthError('Invalid', (error as Error).message, { cause: error });
  }
}

function wrapClient(
  client: AuthClient,
  file: CredentialFile | undefined,
  askProject: () => Promise<unknown>,
): GcpCredentials {
  const source = file ? describeFile(file) : 'the metadata server';
  let headers: Promise<Record<string, string>> | undefined;
  return {
    source,
    fileProject: typeof file?.json.project_id === 'string' ? file.json.project_id : undefined,
    headers() {
      headers ??= client.getRequestHeaders().then(
        (h) => {
          const entries: Record<string, string> = Object.fromEntries(h.entries());
          if (hasAccessToken(entries)) return entries;
          headers = undefined;
          const message = `the token endpoint's answer for ${source} holds no access token (is its address right?)`;
          throw new GcpAuthError('Invalid', message);
        },
        (error: unknown) => {
          headers = undefined;
          throw tokenError(error, source);
        },
      );
      return headers;
    },
    async metadataProject() {
      if (file) return undefined;
      try {
        return String(await askProject());
      } catch (error) {
        const why = shortMessage(error);
        const message = `cannot read the project id from the metadata server (${why})`;
        throw new GcpAuthError('Unavailable', message, { cause: error });
      }
    },
  };
}

// A service-account key names its token endpoint (`token_uri`), and Google's Python and Go libraries
// send the signed assertion there; the Node library always posts to oauth2.googleapis.com. The
// request is redirected to the key's endpoint so that private and test token endpoints work as well.
function honourTokenUri(client: AuthClient, json: Record<string, unknown>): void {
  const tokenUri = json.token_uri;
  if (json.type !== 'service_account' || typeof tokenUri !== 'string' || tokenUri === GOOGLE_TOKEN_URL) return;
  client.transporter.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUri);
      return config;
    },
  });
}

// A refused or failed token request: refusals (4xx) are Denied, an oversized answer Invalid, the rest may
// pass (Unavailable; a 429 is throttling).
function tokenError(error: unknown, source: string): GcpAuthError {
  if (error instanceof GcpAuthError) return error;
  const url = (error as { config?: { url?: unknown } }).config?.url;
  const untrusted = asUntrusted(error, `Google's token endpoint ${url ? new URL(String(url)).host : ''}`.trim(), []);
  if (untrusted) return new GcpAuthError('Invalid', `no access token for ${source}: ${untrusted.message}`);
  if (isBodyTooLarge(error)) {
    const message =
      `the token endpoint's answer for ${source} is larger than ${MAX_FETCHED_BODY} bytes ` + '(is its address right?)';
    return new GcpAuthError('Invalid', message, { cause: error });
  }
  const e = error as { status?: unknown; response?: { status?: unknown } };
  const status = e.response?.status ?? e.status;
  const said = shortMessage(error);
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
    const message = `credentials rejected: no access token for ${source} (HTTP ${status}: ${said})`;
    return new GcpAuthError('Denied', message, { cause: error });
  }
  const http = typeof status === 'number' ? `HTTP ${status}: ` : '';
  return new GcpAuthError('Unavailable', `no access token for ${source} (${http}${said})`, {
    cause: error,
    throttled: status === 429,
  });
}

function noCredentialsMessage(ctx: ProviderContext): string {
  const skipped = getVar(ctx.env, 'METADATA_SERVER_DETECTION') === 'none';
  const places = [
    'GOOGLE_APPLICATION_CREDENTIALS (not set)',
    wellKnownFile(ctx.env) === undefined
      ? "gcloud's application_default_credentials.json (no HOME or CLOUDSDK_CONFIG to find it)"
      : `${wellKnownFile(ctx.env)} (absent)`,
    skipped ? 'the metadata server (skipped: METADATA_SERVER_DETECTION=none)' : 'the metadata server (no answer)',
  ];
  return (
    `no Google credentials: Application Default Credentials looked at ${places.join(', ')}; ` +
    'set GOOGLE_APPLICATION_CREDENTIALS to a key or workload identity file, or run on Google Cloud'
  );
}

// The library's message, on one line, short; OAuth error bodies are {error, error_description}.
function shortMessage(error: unknown): string {
  type OAuthBody = { error?: unknown; error_description?: unknown } | undefined;
  const data = (error as { response?: { data?: unknown } }).response?.data as OAuthBody;
  const description = typeof data?.error_description === 'string' ? `: ${data.error_description}` : '';
  const oauth = typeof data?.error === 'string' ? `${data.error}${description}` : undefined;
  const text = (oauth ?? (error instanceof Error ? error.message : String(error))).replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
