// One run of the gcp provider: settings read once, credentials found once (none for an emulator), one
// token shared by every request, one keep-alive client; all references of a batch fetched in parallel.
import { ProviderError } from '../../errors/errors.js';
import type { Reference } from '../../refs/index.js';
import type { Outcome, ProviderContext } from '../../resolve/types.js';
import { loadCredentials, type GcpCredentials } from './auth.js';
import { createClient } from './client.js';
import { classifyGcpError } from './errors.js';
import { accessUrl, addressOf, resourceName } from './names.js';
import { readPayload } from './payload.js';
import { readSettings, type GcpSettings } from './settings.js';
import type { Egress } from '../shared/egress.js';
import { prepareNetwork } from '../shared/network-setup.js';

export interface GcpRun {
  resolve(batch: readonly Reference[]): Promise<Outcome[]>;
  close(): void;
}

/** Creates the run's state; throws (Invalid) when a setting is wrong. */
export function createRun(ctx: ProviderContext): GcpRun {
  const settings = readSettings(ctx);
  // The run's CA and proxy, made process-wide before the first request (the auth library's too).
  let network: Promise<Egress> | undefined;
  const ready = (): Promise<Egress> => (network ??= prepareNetwork(ctx));
  const client = createClient(ctx.log, ready);
  let credentials: Promise<GcpCredentials> | undefined;
  let project: Promise<string> | undefined;

  // Shared by every batch of the run; a failure is forgotten so that a retry starts again.
  const getCredentials = (): Promise<GcpCredentials> => {
    const started = Date.now();
    credentials ??= loadCredentials(ctx, ready).then(
      (c) => {
        ctx.log.debug('gcp.credentials', `credentials from ${c.source}`, { ms: Date.now() - started });
        return c;
      },
      (error: unknown) => {
        credentials = undefined;
        throw error;
      },
    );
    return credentials;
  };
  const getProject = (): Promise<string> => {
    const credentialsFor = settings.target.kind === 'emulator' ? undefined : getCredentials;
    project ??= defaultProject(settings, credentialsFor).catch((error: unknown) => {
      project = undefined;
      throw error;
    });
    return project;
  };

  const fetchOne = async (ref: Reference): Promise<Outcome> => {
    await ready();
    const address = addressOf(ref);
    const name = resourceName(address, address.project ?? (await getProject()));
    const creds = settings.target.kind === 'emulator' ? undefined : await getCredentials();
    const started = Date.now();
    const headers = creds === undefined ? {} : await creds.headers();
    const token = Date.now() - started;
    try {
      const url = accessUrl(settings.target, address, name);
      const source = creds?.source ?? 'no credentials (emulator)';
      const body = await client.access({ url, name, headers, source, signal: ctx.signal });
      return readPayload(body, name);
    } finally {
      ctx.log.debug('gcp.access', `accessed ${name}`, { token_ms: token, ms: Date.now() - started - token });
    }
  };

  return {
    resolve: (batch) => Promise.all(batch.map((ref) => fetchOne(ref).catch(classifyGcpError))),
    close: () => client.close(),
  };
}

// The project of references that name none, in the documented order: GOOGLE_CLOUD_PROJECT,
// CLOUDSDK_CORE_PROJECT, the credentials file's project_id, the metadata server.
async function defaultProject(
  settings: GcpSettings,
  credentials: (() => Promise<GcpCredentials>) | undefined,
): Promise<string> {
  if (settings.envProject) return settings.envProject.id;
  const creds = credentials === undefined ? undefined : await credentials();
  const found = creds?.fileProject ?? (await creds?.metadataProject());
  if (found !== undefined && found !== '') return found;
  throw new ProviderError(
    'Invalid',
    'no Google project for a reference that names none: write gcp-sm://PROJECT/NAME, or set GOOGLE_CLOUD_PROJECT' +
      (creds ? ` (${creds.source} names no project)` : ''),
  );
}
