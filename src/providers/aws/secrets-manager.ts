// Secrets Manager fetching for one region (issue #3): references without a version go through
// BatchGetSecretValue, at most 20 ids a call and all calls at once; a reference with ?version= (and a
// lone reference, which needs no batch) uses GetSecretValue. Ids that AWS lists in `Errors[]` fail
// alone; ids it answers neither way are asked again one by one. When the BatchGetSecretValue action
// itself is denied (many policies grant only secretsmanager:GetSecretValue), the region falls back to
// GetSecretValue for the rest of the run, so the error named is the one per secret.
import { ProviderError } from '../../errors/errors.js';
import { Secret } from '../../log/secret.js';
import type { Reference } from '../../refs/index.js';
import type { Outcome } from '../../resolve/types.js';
import type { AwsRun } from './clients.js';
import { errorFromCode, isActionDenied } from './errors.js';
import { base64Bytes, recordsOf, stringOf, stringsOf } from './answers.js';

/** The most ids one BatchGetSecretValue call takes (API reference). */
const SECRETS_PER_BATCH = 20;

// Version ids that Secrets Manager generates are UUIDs; anything else (AWSCURRENT, AWSPREVIOUS, a
// custom label) is a staging label first. A version id can also be any 32-64 character token (the
// ClientRequestToken of PutSecretValue), so such a text that is no label is asked for as a VersionId.
const VERSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN_ID = /^[A-Za-z0-9_-]{32,64}$/;

// The members of a GetSecretValue answer (and of a BatchGetSecretValue `SecretValues` entry) that are used.
type SecretEntry = Readonly<Record<string, unknown>>;

/**
 * Fetches Secrets Manager references of one region; outcomes in the order of `refs`. Per-secret failures
 * are outcomes; it throws only for what concerns them all (the SDK or the endpoint setting).
 */
export async function fetchSecrets(
  run: AwsRun,
  region: string | undefined,
  refs: readonly Reference[],
): Promise<Outcome[]> {
  const client = await run.secretsManager(region);
  const regionKey = region ?? '';
  const call = <T>(operation: string, count: number, send: () => Promise<T>): Promise<T> =>
    run.timed({ operation: `secretsmanager:${operation}`, region, count }, send);

  const getOne = async (id: string, version?: string, asId = false): Promise<Outcome> => {
    const selector =
      version === undefined
        ? {}
        : asId || VERSION_ID.test(version)
          ? { VersionId: version }
          : { VersionStage: version };
    try {
      const out = await call('GetSecretValue', 1, () => client.call('GetSecretValue', { SecretId: id, ...selector }));
      return toFetched(out);
    } catch (error) {
      const failure = run.classify(error);
      const retryAsId = !asId && version !== undefined && 'VersionStage' in selector && TOKEN_ID.test(version);
      return retryAsId && failure.kind === 'NotFound' ? getOne(id, version, true) : failure;
    }
  };

  const getBatch = async (ids: readonly string[]): Promise<Array<readonly [string, Outcome]>> => {
    if (ids.length === 1 || run.batchDenied.has(regionKey))
      return Promise.all(ids.map(async (id) => [id, await getOne(id)] as const));
    let out: Readonly<Record<string, unknown>>;
    try {
      out = await call('BatchGetSecretValue', ids.length, () =>
        client.call('BatchGetSecretValue', { SecretIdList: [...ids] }),
      );
    } catch (error) {
      const failure = run.classify(error);
      if (!isActionDenied(error)) return ids.map((id) => [id, failure] as const);
      if (!run.batchDenied.has(regionKey)) {
        run.log.debug('aws.fallback', 'BatchGetSecretValue is denied: fetching each secret with GetSecretValue', {
          region: region ?? '(configured)',
        });
      }
      run.batchDenied.add(regionKey);
      return Promise.all(ids.map(async (id) => [id, await getOne(id)] as const));
    }
    return Promise.all(
      ids.map(async (id) => {
        const entry = recordsOf(out.SecretValues).find((v) => isEntryFor(v, id));
        if (entry) return [id, toFetched(entry)] as const;
        const failure = recordsOf(out.Errors).find((e) => e.SecretId === id);
        if (failure)
          return [id, errorFromCode(stringOf(failure.ErrorCode) ?? 'UnknownError', stringOf(failure.Message))] as const;
        // Neither answered nor refused (an id AWS spelled differently): ask for it alone.
        return [id, await getOne(id)] as const;
      }),
    );
  };

  const plain = [...new Set(refs.filter((r) => r.version === undefined).map((r) => r.path))];
  const chunks: string[][] = [];
  for (let i = 0; i < plain.length; i += SECRETS_PER_BATCH) chunks.push(plain.slice(i, i + SECRETS_PER_BATCH));
  const [batched, versioned] = await Promise.all([
    Promise.all(chunks.map(getBatch)).then((lists) => new Map(lists.flat())),
    Promise.all(refs.map((r) => (r.version === undefined ? undefined : getOne(r.path, r.version)))),
  ]);
  return refs.map((ref, i) => versioned[i] ?? (batched.get(ref.path) as Outcome));
}

// An id is a name, a full ARN, or a partial ARN (the ARN without the six-character suffix AWS adds).
function isEntryFor(entry: SecretEntry, id: string): boolean {
  if (!id.startsWith('arn:')) return entry.Name === id;
  const arn = stringOf(entry.ARN) ?? '';
  return arn === id || (arn.length === id.length + 7 && arn.startsWith(`${id}-`));
}

// SecretString is used as it is; SecretBinary as its bytes, which must be UTF-8 (env values are text).
function toFetched(entry: SecretEntry): Outcome {
  const versionId = stringOf(entry.VersionId);
  const stages = stringsOf(entry.VersionStages);
  const version = versionId === undefined ? undefined : `${versionId}${stages.length ? ` (${stages.join(',')})` : ''}`;
  if (typeof entry.SecretString === 'string') return { value: new Secret(entry.SecretString), version };
  if (entry.SecretBinary !== undefined) {
    // A blob travels as base64 in the JSON protocols.
    const bytes = base64Bytes(entry.SecretBinary);
    if (bytes === undefined) return new ProviderError('Invalid', 'AWS returned a SecretBinary that is not base64');
    try {
      return {
        value: new Secret(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)),
        version,
      };
    } catch {
      return new ProviderError(
        'Invalid',
        'the secret is binary (SecretBinary) and not valid UTF-8 text, and environment values are text: ' +
          'store it as text (e.g. base64) instead',
      );
    }
  }
  return new ProviderError('Invalid', 'AWS returned neither SecretString nor SecretBinary for the secret');
}
