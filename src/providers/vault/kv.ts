// Reading one logical path the way the vault CLI does: GET sys/internal/ui/mounts/PATH tells which mount
// the path is under and, for a `kv` mount, its version (options.version "2" → v2, anything else → v1; a
// 404 or 403 there leaves the mount unknown: see readUnknown). KV v2 reads MOUNT/data/REST[?version=N]
// and returns data.data (a deleted or destroyed version is NotFound); everything else (KV v1, database/
// creds/ROLE, …) is read as it is and returns its `data`. The payload is the data map as JSON text. When
// the lookup is refused (404, 403), the path is read as it is first, and as KV v2 when Vault says so.
import { ProviderError } from '../../errors/errors.js';
import { numberOf } from '../../formats/exact-json.js';
import { Secret } from '../../log/secret.js';
import type { Fetched } from '../../resolve/types.js';
import { encodePath, VaultHttpError, type VaultClient } from './client.js';
import { toProviderError } from './errors.js';
import { readUnknown } from './kv-unknown.js';

export interface MountInfo {
  /** The mount's path with its trailing '/', relative to the namespace (`secret/`); '' when unknown. */
  readonly path: string;
  readonly type: string;
  readonly kvVersion: 1 | 2 | undefined;
}

/** What reading one path gave: the value, and the lease when the secret was dynamic. */
export interface ReadResult extends Fetched {
  readonly leaseId?: string | undefined;
  /** The lease's TTL in seconds, and whether sys/leases/renew may extend it. */
  readonly leaseDuration?: number | undefined;
  readonly renewable?: boolean | undefined;
}

/** Finds the mount of a path; `learn` records a mount found by reading (when the lookup was refused). */
export interface MountCache {
  (path: string, access: Access): Promise<MountInfo>;
  learn(info: MountInfo): void;
}

export interface Access {
  readonly client: VaultClient;
  readonly token: string;
  readonly signal: AbortSignal;
}

/**
 * One run's mount table, filled on demand (docs/architecture.md): concurrent references under one mount share one
 * lookup. Lookups are keyed by the first path segment while in flight (a mount never nests inside
 * another), and answers are kept by mount path; a failed lookup is forgotten so that a retry asks again.
 */
export function createMountCache(): MountCache {
  // Mounts learnt from a read (learn) come first: they are more specific than an unknown-mount answer.
  const known: MountInfo[] = [];
  const inFlight = new Map<string, Promise<MountInfo>>();
  // A Vault without the endpoint (404) has it for no path: that one answer (path '') covers every path.
  const covers = (m: MountInfo, path: string): boolean => m.path === '' || `${path}/`.startsWith(m.path);
  const findKnown = (path: string): MountInfo | undefined => known.find((m) => covers(m, path));

  const lookUp = async (path: string, access: Access): Promise<MountInfo> => {
    const first = path.split('/')[0] ?? path;
    const pending = inFlight.get(first);
    if (pending) {
      try {
        const shared = await pending;
        if (covers(shared, path)) return shared;
      } catch (error) {
        // A server-wide failure (sealed, unreachable) is shared; a denial may be about the other path only.
        if (!(error instanceof ProviderError && error.kind === 'Denied')) throw error;
      }
      return findKnown(path) ?? lookUp(path, access);
    }
    const promise = fetchMount(path, access);
    inFlight.set(first, promise);
    try {
      const info = await promise;
      known.push(info);
      return info;
    } finally {
      inFlight.delete(first);
    }
  };
  const mountOf = (path: string, access: Access): Promise<MountInfo> => {
    const hit = findKnown(path);
    return hit ? Promise.resolve(hit) : lookUp(path, access);
  };
  return Object.assign(mountOf, { learn: (info: MountInfo) => void known.unshift(info) });
}

async function fetchMount(path: string, access: Access): Promise<MountInfo> {
  const apiPath = `sys/internal/ui/mounts/${encodePath(path)}`;
  let answer: Record<string, unknown> | undefined;
  try {
    answer = await access.client.send({ method: 'GET', path: apiPath, token: access.token, signal: access.signal });
  } catch (error) {
    // 404: a Vault older than the endpoint; 403: a proxy that filters sys/, or a token whose policies name
    // the path but not the mount. Either way the mount is unknown, and the read finds out (readUnknown).
    if (error instanceof VaultHttpError && (error.status === 404 || error.status === 403))
      return { path: '', type: 'unknown', kvVersion: undefined };
    throw toProviderError(
      error,
      { action: `look up the mount of ${path}`, redact: [access.token] },
      access.client.address,
    );
  }
  const data = answer?.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object' || typeof data.path !== 'string') {
    throw new ProviderError('Invalid', `look up the mount of ${path}: Vault's answer has no data.path`);
  }
  const type = typeof data.type === 'string' ? data.type : 'unknown';
  const version = (data.options as Record<string, unknown> | null | undefined)?.version;
  const kvVersion = type === 'kv' || type === 'generic' ? (version === '2' ? 2 : 1) : undefined;
  const named = data.path.endsWith('/') ? data.path : `${data.path}/`;
  // An auth method's mount is named without its auth/ prefix by some Vault versions (token/ for auth/token/…).
  const mountPath = path.startsWith('auth/') && !named.startsWith('auth/') ? `auth/${named}` : named;
  if (!`${path}/`.startsWith(mountPath)) {
    throw new ProviderError(
      'Invalid',
      `look up the mount of ${path}: Vault named mount ${mountPath}, ` +
        'which does not contain it (is VAULT_NAMESPACE right?)',
    );
  }
  return { path: mountPath, type, kvVersion };
}

/** Reads one path under its mount; `version` only on KV v2. */
export async function readPath(input: {
  path: string;
  version?: string | undefined;
  mount: MountInfo;
  access: Access;
  learn: MountCache['learn'];
}): Promise<ReadResult> {
  const { path, version, mount, access } = input;
  if (mount.kvVersion === 2) return readKv2({ path, version, mount, access });
  if (mount.type === 'unknown') return readUnknown({ path, version, access, learn: input.learn });
  if (version !== undefined) {
    const what = mount.kvVersion === 1 ? 'a KV version 1 mount' : `a ${mount.type} mount`;
    return Promise.reject(
      new ProviderError('Invalid', `?version= needs a KV version 2 mount, and ${mount.path || path} is ${what}`),
    );
  }
  return asRead(path, await get(access, path, undefined, `read ${path}`));
}

/** The value of a read that is not KV v2: its `data` map, and its lease when it has one. */
export function asRead(path: string, answer: Record<string, unknown> | undefined): ReadResult {
  const data = answer?.data;
  if (!isMap(data)) throw new ProviderError('Invalid', `read ${path}: Vault's answer has no data object`);
  const leaseId = typeof answer?.lease_id === 'string' && answer.lease_id !== '' ? answer.lease_id : undefined;
  if (leaseId === undefined) return { value: new Secret(JSON.stringify(data)) };
  const leaseDuration = numberOf(answer?.lease_duration) ?? 0;
  return { value: new Secret(JSON.stringify(data)), leaseId, leaseDuration, renewable: answer?.renewable === true };
}

export async function readKv2(input: {
  path: string;
  version: string | undefined;
  mount: MountInfo;
  access: Access;
}): Promise<ReadResult> {
  const { path, version, mount, access } = input;
  const rest = path.slice(mount.path.length);
  if (rest === '')
    throw new ProviderError('Invalid', `vault://${path} names the mount ${mount.path}, not a secret under it`);
  // Version 0 is the latest, as Vault has it.
  if (version !== undefined && !/^(0|[1-9]\d{0,9})$/.test(version)) {
    throw new ProviderError('Invalid', `?version=${version}: a KV version 2 version is a number (0 is the latest)`);
  }
  const apiPath = `${mount.path}data/${rest}`;
  const at = version === undefined ? apiPath : `${apiPath} version ${version}`;
  let answer: Record<string, unknown> | undefined;
  try {
    answer = await get(access, apiPath, version, `read ${at}`);
  } catch (error) {
    // KV v2 answers 404 *with* the metadata of a version that was deleted or destroyed.
    const gone =
      error instanceof ProviderError && error.cause instanceof VaultHttpError
        ? describeGone(error.cause.body)
        : undefined;
    if (gone) throw new ProviderError('NotFound', `read ${at}: ${gone}`, { cause: error });
    if (
      error instanceof ProviderError &&
      (error.kind === 'NotFound' || error.kind === 'Denied') &&
      rest.startsWith('data/')
    ) {
      const hint =
        `write vault://${mount.path}${rest.slice('data/'.length)} ` +
        '(without data/: the KV v2 prefix is added for you)';
      throw new ProviderError(error.kind, `${error.message}; ${hint}`, {
        cause: error,
        throttled: error.throttled === true,
        retryAfterMs: error.retryAfterMs,
      });
    }
    throw error;
  }
  const outer = answer?.data;
  if (!isMap(outer)) throw new ProviderError('Invalid', `read ${at}: Vault's answer has no data object`);
  const gone = describeGone(answer);
  if (gone || outer.data === null)
    throw new ProviderError('NotFound', `read ${at}: ${gone ?? 'the version has no data'}`);
  if (!isMap(outer.data)) throw new ProviderError('Invalid', `read ${at}: Vault's answer has no data.data object`);
  const metaVersion = (outer.metadata as Record<string, unknown> | undefined)?.version;
  return {
    value: new Secret(JSON.stringify(outer.data)),
    version: numberOf(metaVersion) === undefined ? version : String(numberOf(metaVersion)),
  };
}

function describeGone(body: Record<string, unknown> | undefined): string | undefined {
  const metadata = (body?.data as Record<string, unknown> | null | undefined)?.metadata as
    | Record<string, unknown>
    | undefined;
  if (!metadata) return undefined;
  const n = numberOf(metadata.version);
  const v = n === undefined ? 'the version' : `version ${n}`;
  if (metadata.destroyed === true) return `${v} was destroyed`;
  if (typeof metadata.deletion_time === 'string' && metadata.deletion_time !== '')
    return `${v} was deleted (undelete it, or ask for another ?version=)`;
  return undefined;
}

export async function get(
  access: Access,
  apiPath: string,
  version: string | undefined,
  action: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await access.client.send({
      method: 'GET',
      path: encodePath(apiPath),
      query: version === undefined ? undefined : { version },
      token: access.token,
      signal: access.signal,
    });
  } catch (error) {
    throw toProviderError(
      error,
      { action, capability: 'read', apiPath, redact: [access.token] },
      access.client.address,
    );
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
