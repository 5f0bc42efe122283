// One run's IBM session (loaded lazily by index.ts): settings, the core's authenticator and the v2 client,
// created once, and the reads of a batch, all in parallel. A reference is one of:
//   ID                 GET /api/v2/secrets/{id}
//   ID?version=V       GET /api/v2/secrets/{id}/versions/{V} (+ /metadata for an arbitrary secret's labels)
//   GROUP/TYPE/NAME    GET /api/v2/secret_groups/{GROUP}/secret_types/{TYPE}/secrets/{NAME}; with ?version=
//                      the secret's id from that answer, then its version; with ?fallback=T, type T when the
//                      first type has no secret of that name (NotFound)
// The engine never sees a thrown error from here: each reference gets its own classified outcome.
import { ProviderError } from '../../errors/errors.js';
import type { Reference } from '../../refs/index.js';
import { IBM_SECRET_TYPES } from '../../refs/schemes.js';
import type { Fetched, Outcome, ProviderContext } from '../../resolve/types.js';
import { createAuthenticator } from './auth.js';
import { createClient, type SecretsManagerClient } from './client.js';
import { prepareNetwork } from '../shared/network-setup.js';
import { classifyIbmError } from './errors.js';
import { readSettings } from './settings.js';
import { labelsOf, toFetched } from './values.js';
import { checkVendorFiles, type VendorFile } from '../shared/vendor-file.js';

export interface IbmSession {
  resolve(batch: readonly Reference[]): Promise<Outcome[]>;
  close(): void;
}

const SECRET = '/api/v2/secrets/{id}';
const VERSION = '/api/v2/secrets/{secret_id}/versions/{id}';
const METADATA = '/api/v2/secrets/{id}/metadata';
const BY_NAME = '/api/v2/secret_groups/{secret_group_name}/secret_types/{secret_type}/secrets/{name}';
const VERSION_ID = /^(?:current|previous|[A-Za-z0-9-]{1,64})$/;

/** Builds the run's session: settings (Invalid when incomplete), then the core's authenticator and client. */
export async function createSession(ctx: ProviderContext): Promise<IbmSession> {
  const started = Date.now();
  const settings = readSettings(ctx.env, ctx.log);
  if (settings.auth.type === 'container') await checkVendorFiles(ctx.readFile, crTokenFiles(settings.auth.options));
  // Before the first request: the core's token calls (axios over Node's global agents) follow the run's
  // CA and proxy too.
  const { proxyEnv } = await prepareNetwork(ctx);
  const authenticator = await createAuthenticator(settings.auth);
  const { serviceUrl, disableSsl } = settings;
  const client = createClient({ serviceUrl, disableSsl, authenticator, proxyEnv });
  const fields = { url: settings.serviceUrl, auth: settings.auth.type, ms: Date.now() - started };
  ctx.log.debug('ibm.client', 'Secrets Manager client ready', fields);
  const read = (ref: Reference): Promise<Fetched> => readReference(client, ref, ctx);
  return {
    resolve: (batch) =>
      Promise.all(batch.map((ref) => read(ref).catch((error: unknown) => classifyIbmError(error, describe(ref))))),
    close: () => client.close(),
  };
}

// The compute-resource token the core's container authenticator reads itself, uncapped, at every token
// request: SECRETS_MANAGER_CR_TOKEN_FILENAME, else the first of its default paths that exists. A missing
// file is left to the core, whose failure is a denial naming the auth type.
const DEFAULT_CR_TOKEN_FILES = [
  '/var/run/secrets/tokens/vault-token',
  '/var/run/secrets/tokens/sa-token',
  '/var/run/secrets/codeengine.cloud.ibm.com/compute-resource-token/token',
];

function crTokenFiles(options: Readonly<Record<string, unknown>>): VendorFile[] {
  const named = options.crTokenFilename;
  if (typeof named === 'string' && named !== '')
    return [{ path: named, what: 'SECRETS_MANAGER_CR_TOKEN_FILENAME', mayBeMissing: true }];
  return DEFAULT_CR_TOKEN_FILES.map((path) => ({ path, what: 'the compute-resource token', mayBeMissing: true }));
}

async function readReference(client: SecretsManagerClient, ref: Reference, ctx: ProviderContext): Promise<Fetched> {
  if (ref.scheme !== 'ibm-sm') {
    throw new ProviderError('Invalid', `the ibm provider does not serve ${ref.scheme}:// references`);
  }
  if (ref.version !== undefined && !VERSION_ID.test(ref.version)) {
    throw new ProviderError('Invalid', `version '${ref.version}' is not a version id, current or previous`);
  }
  const timed = async (what: string, url: string, params: Record<string, string>): Promise<Record<string, unknown>> => {
    const started = Date.now();
    try {
      return await client.get(url, params, ctx.signal);
    } finally {
      ctx.log.debug('ibm.call', what, { ms: Date.now() - started });
    }
  };
  const segments = ref.path.split('/');
  const fallback = ref.params.fallback;
  if (fallback !== undefined && (segments.length !== 3 || !IBM_SECRET_TYPES.includes(fallback))) {
    const types = IBM_SECRET_TYPES.join(', ');
    throw new ProviderError('Invalid', `fallback= takes a secret type (${types}) and a GROUP/TYPE/NAME reference`);
  }
  if (segments.length === 3) {
    const [group = '', type = '', name = ''] = segments;
    const secret = await readByName(timed, { group, type, name, fallback });
    if (ref.version === undefined) return toFetched(secret, labelsOf(secret), undefined);
    if (typeof secret.id !== 'string') throw new ProviderError('Invalid', 'the answer by name has no secret id');
    const version = await timed('GET secret version', VERSION, { secret_id: secret.id, id: ref.version });
    return toFetched(version, labelsOf(secret), versionLabel(version));
  }
  const id = ref.path;
  if (ref.version === undefined) {
    const secret = await timed('GET secret', SECRET, { id });
    return toFetched(secret, labelsOf(secret), undefined);
  }
  const version = await timed('GET secret version', VERSION, { secret_id: id, id: ref.version });
  // A version carries no labels: an arbitrary secret's base64 label is on the secret's metadata.
  const labels = version.secret_type === 'arbitrary' ? labelsOf(await timed('GET metadata', METADATA, { id })) : [];
  return toFetched(version, labels, versionLabel(version));
}

type Timed = (what: string, url: string, params: Record<string, string>) => Promise<Record<string, unknown>>;

interface ByName {
  readonly group: string;
  readonly type: string;
  readonly name: string;
  readonly fallback: string | undefined;
}

async function readByName(timed: Timed, at: ByName): Promise<Record<string, unknown>> {
  const { group, type, name, fallback } = at;
  const get = (t: string): Promise<Record<string, unknown>> =>
    timed(`GET ${t} secret by name`, BY_NAME, { secret_group_name: group, secret_type: t, name });
  try {
    return await get(type);
  } catch (error) {
    if (fallback === undefined || fallback === type || classifyIbmError(error).kind !== 'NotFound') throw error;
    try {
      return await get(fallback);
    } catch (second) {
      const failure = classifyIbmError(second, describe({ path: `${group}/${fallback}/${name}` }));
      if (failure.kind !== 'NotFound') throw failure;
      const message = `no ${type} or ${fallback} secret named ${name} in secret group ${group}`;
      throw new ProviderError('NotFound', message, { cause: second });
    }
  }
}

// What `check` shows for a version: its id and alias (current / previous).
function versionLabel(version: Record<string, unknown>): string | undefined {
  const id = typeof version.id === 'string' ? version.id : undefined;
  const alias = typeof version.alias === 'string' ? version.alias : undefined;
  return id === undefined ? alias : alias === undefined ? id : `${id} (${alias})`;
}

function describe(ref: Pick<Reference, 'path'> & { version?: string | undefined }): string {
  const segments = ref.path.split('/');
  const [group, type, name] = segments;
  const base = segments.length === 3 ? `${type} secret ${name} in secret group ${group}` : `secret ${ref.path}`;
  return ref.version === undefined ? base : `${base}, version ${ref.version}`;
}
