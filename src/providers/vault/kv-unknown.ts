// Reading a path whose mount Vault would not name (sys/internal/ui/mounts answered 404 on an old Vault, or
// 403 through a proxy that filters sys/). The path is read as it is; a KV v2 mount answers that with the
// warning "Invalid path for a versioned K/V secrets engine" (or, for a policy written for data/ paths,
// with 403), and then the path is read as KV v2 under each possible mount, shortest first, until one
// answers. A KV v2 secret must never come out as NotFound because it was read as KV v1.
import { ProviderError } from '../../errors/errors.js';
import { VaultHttpError } from './client.js';
import { asRead, get, readKv2, type Access, type MountCache, type MountInfo, type ReadResult } from './kv.js';

const KV2_WARNING = 'Invalid path for a versioned K/V secrets engine';
/** How many leading segments a mount path may have (team/kv/ is two). */
const MAX_MOUNT_DEPTH = 4;

const saysKv2 = (body: Record<string, unknown> | undefined): boolean =>
  Array.isArray(body?.warnings) && body.warnings.some((w) => typeof w === 'string' && w.includes(KV2_WARNING));

// A KV v2 read at the wrong mount: Vault routed it elsewhere (the warning), to no mount, or the policy
// has no rule for that shape of path.
function wrongMount(error: unknown): boolean {
  const cause = error instanceof ProviderError ? error.cause : error;
  if (!(cause instanceof VaultHttpError)) return false;
  return (
    cause.status === 403 ||
    saysKv2(cause.body) ||
    (cause.status === 404 && cause.errors.some((e) => e.includes('no handler for route')))
  );
}

export async function readUnknown(input: {
  path: string;
  version: string | undefined;
  access: Access;
  learn: MountCache['learn'];
}): Promise<ReadResult> {
  const { path, version, access } = input;
  let first: ProviderError | undefined;
  if (version === undefined) {
    try {
      const answer = await get(access, path, undefined, `read ${path}`);
      if (!saysKv2(answer)) return asRead(path, answer);
    } catch (error) {
      const cause = error instanceof ProviderError ? error.cause : undefined;
      if (!(cause instanceof VaultHttpError) || !(saysKv2(cause.body) || cause.status === 403)) throw error;
      // Vault refused the path as written: a KV v2 policy names data/ paths. Kept to report if v2 fails too.
      if (cause.status === 403) first = error as ProviderError;
    }
  }
  const segments = path.split('/');
  let last: ProviderError | undefined;
  for (let depth = 1; depth < segments.length && depth <= MAX_MOUNT_DEPTH; depth++) {
    const mount: MountInfo = { path: `${segments.slice(0, depth).join('/')}/`, type: 'kv', kvVersion: 2 };
    try {
      const result = await readKv2({ path, version, mount, access });
      input.learn(mount);
      return result;
    } catch (error) {
      if (!(error instanceof ProviderError) || !wrongMount(error)) throw error;
      last ??= error;
    }
  }
  if (first) {
    // Both shapes were refused: the policy a reader needs depends on what the mount is, which Vault did not say.
    const v2 = last?.cause instanceof VaultHttpError ? decodeURIComponent(last.cause.path) : undefined;
    const also = last?.kind === 'Denied' && v2 ? `; if the mount is KV version 2, 'read' on ${v2}` : '';
    throw new ProviderError('Denied', `${first.message}${also}`, { cause: first });
  }
  if (last?.kind === 'Denied') throw last;
  throw new ProviderError(
    'Invalid',
    `read ${path}${version === undefined ? ': Vault says the path is under a KV version 2 mount, but' : ':'} ` +
      'no mount above it answered a KV version 2 read; Vault did not tell which mount it is ' +
      '(sys/internal/ui/mounts was refused)',
    { cause: last },
  );
}
