// Application Default Credentials through Google's own library (google-auth-library), loaded on first
// use. The places ADC looks, in its order: GOOGLE_APPLICATION_CREDENTIALS (a service-account key, an
// external_account for workload identity federation — file, URL, AWS or executable sourced —, an
// impersonated_service_account or authorized_user file), then gcloud's application_default_credentials.json
// ($CLOUDSDK_CONFIG, else ~/.config/gcloud), then the metadata server (GKE Workload Identity, Cloud Run,
// GCE), which the library probes only when METADATA_SERVER_DETECTION allows it. Files are read through
// ctx.readFile and handed to the library; the library signs, exchanges and refreshes every token.
import { join } from 'node:path';
import type { AuthClient } from 'google-auth-library';
import type { ProviderContext } from '../../resolve/types.js';
import { GcpAuthError } from './errors.js';
import { getVar } from './settings.js';

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

interface CredentialFile {
  readonly path: string;
  readonly variable: string;
  readonly json: Record<string, unknown>;
}

/** Finds the credentials the way ADC does and prepares the library's client; nothing is fetched yet. */
export async function loadCredentials(ctx: ProviderContext): Promise<GcpCredentials> {
  const file = await findCredentialFile(ctx);
  const lib = await import('google-auth-library');
  // Node's own fetch for the library's requests: without it gaxios evaluates its bundled node-fetch and
  // web-streams polyfill on first use, which costs more start-up than everything else here.
  const transporterOptions = { fetchImplementation: globalThis.fetch };
  lib.gaxios.instance.defaults.fetchImplementation ??= globalThis.fetch;
  const quotaProject = getVar(ctx.env, 'GOOGLE_CLOUD_QUOTA_PROJECT');
  const source = file ? `${file.variable} (${describeFile(file.json)})` : 'the metadata server';
  // The library's own pieces of ADC, without GoogleAuth.getClient(): that also looks for a project id,
  // which runs `gcloud config config-helper` in a shell and asks the metadata server even when the
  // credentials are explicit. The project is worked out here instead, in the documented order.
  let client: AuthClient;
  if (file) {
    try {
      // fromJSON picks the client for the file's type (JWT, ExternalAccountClient, Impersonated, …).
      client = new lib.GoogleAuth({ scopes: [SCOPE] }).fromJSON(file.json as never, { transporterOptions });
    } catch (error) {
      throw new GcpAuthError('Invalid', `${file.variable} ${file.path}: Google's library cannot use it (${shortMessage(error)})`, { cause: error });
    }
  } else {
    // What ADC does last: the metadata server, when gcp-metadata finds one (METADATA_SERVER_DETECTION,
    // GCE_METADATA_HOST apply).
    const onGoogle = lib.gcpMetadata.getGCPResidency() || (await lib.gcpMetadata.isAvailable().catch(() => false));
    if (!onGoogle) throw new GcpAuthError('Denied', noCredentialsMessage(ctx));
    client = new lib.Compute({ scopes: [SCOPE], transporterOptions });
  }
  if (quotaProject !== undefined) client.quotaProjectId = quotaProject;
  if (file) honourTokenUri(client, file.json);
  let headers: Promise<Record<string, string>> | undefined;
  return {
    source,
    fileProject: typeof file?.json.project_id === 'string' ? file.json.project_id : undefined,
    headers() {
      headers ??= client.getRequestHeaders().then(
        (h) => Object.fromEntries(h.entries()),
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
        return String(await lib.gcpMetadata.project('project-id'));
      } catch (error) {
        throw new GcpAuthError('Unavailable', `cannot read the project id from the metadata server (${shortMessage(error)})`, { cause: error });
      }
    },
  };
}

// GOOGLE_APPLICATION_CREDENTIALS when set (a file that cannot be read is an error, never skipped), else
// gcloud's well-known file when it exists.
async function findCredentialFile(ctx: ProviderContext): Promise<CredentialFile | undefined> {
  const explicit = getVar(ctx.env, 'GOOGLE_APPLICATION_CREDENTIALS');
  if (explicit !== undefined) return readCredentialFile(ctx, explicit, 'GOOGLE_APPLICATION_CREDENTIALS', true);
  const wellKnown = wellKnownFile(ctx.env);
  return wellKnown === undefined ? undefined : readCredentialFile(ctx, wellKnown, 'gcloud application default credentials', false);
}

function wellKnownFile(env: ProviderContext['env']): string | undefined {
  const dir = getVar(env, 'CLOUDSDK_CONFIG') ?? (getVar(env, 'HOME') === undefined ? undefined : join(getVar(env, 'HOME') as string, '.config', 'gcloud'));
  return dir === undefined ? undefined : join(dir, 'application_default_credentials.json');
}

async function readCredentialFile(ctx: ProviderContext, path: string, variable: string, required: boolean): Promise<CredentialFile | undefined> {
  let text: string;
  try {
    text = (await ctx.readFile(path)).toString('utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GcpAuthError('Invalid', `${variable} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GcpAuthError('Invalid', `${variable} ${path} is not JSON (a credentials file from gcloud or the console is)`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json) || typeof (json as { type?: unknown }).type !== 'string') {
    throw new GcpAuthError('Invalid', `${variable} ${path} has no "type": it is not a Google credentials file`);
  }
  return { path, variable, json: json as Record<string, unknown> };
}

// The kind of credential, and whose (never a key or a secret).
function describeFile(json: Record<string, unknown>): string {
  const type = String(json.type);
  if (type === 'service_account' && typeof json.client_email === 'string') return `service_account ${json.client_email}`;
  if (type === 'external_account' && typeof json.audience === 'string') return `external_account for ${json.audience}`;
  return type;
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

// A refused or failed token request: refusals (4xx) are Denied, the rest may pass (Unavailable).
function tokenError(error: unknown, source: string): GcpAuthError {
  const status = (error as { status?: unknown; response?: { status?: unknown } }).response?.status ?? (error as { status?: unknown }).status;
  const said = shortMessage(error);
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
    return new GcpAuthError('Denied', `credentials rejected: no access token for ${source} (HTTP ${status}: ${said})`, { cause: error });
  }
  return new GcpAuthError('Unavailable', `no access token for ${source} (${typeof status === 'number' ? `HTTP ${status}: ` : ''}${said})`, { cause: error });
}

function noCredentialsMessage(ctx: ProviderContext): string {
  const detection = getVar(ctx.env, 'METADATA_SERVER_DETECTION');
  const places = [
    'GOOGLE_APPLICATION_CREDENTIALS (not set)',
    `${wellKnownFile(ctx.env) ?? "gcloud's application_default_credentials.json (no HOME or CLOUDSDK_CONFIG)"} (absent)`,
    detection === 'none' ? 'the metadata server (skipped: METADATA_SERVER_DETECTION=none)' : 'the metadata server (no answer)',
  ];
  return `no Google credentials: Application Default Credentials looked at ${places.join(', ')}; set GOOGLE_APPLICATION_CREDENTIALS to a key or workload identity file, or run on Google Cloud`;
}

// The library's message, on one line, short; OAuth error bodies are {error, error_description}.
function shortMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } }).response?.data as { error?: unknown; error_description?: unknown } | undefined;
  const oauth = typeof data?.error === 'string' ? `${data.error}${typeof data.error_description === 'string' ? `: ${data.error_description}` : ''}` : undefined;
  const text = (oauth ?? (error instanceof Error ? error.message : String(error))).replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
