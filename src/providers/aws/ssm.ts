// SSM Parameter Store fetching for one region (issue #3): GetParameters with WithDecryption (SecureString
// values come back decrypted; String and StringList as they are), at most 10 names a call, all calls at
// once. `?version=` becomes the selector NAME:VERSION (a number or a label). Names AWS lists as
// InvalidParameters are NotFound alone. SSM refuses a whole call when any one name is denied, so a
// denied call of several names is split into one call per name, and the error lands on the right variable.
import { ProviderError } from '../../errors/errors.js';
import { Secret } from '../../log/secret.js';
import type { Reference } from '../../refs/index.js';
import type { Outcome } from '../../resolve/types.js';
import type { AwsRun } from './clients.js';
import { recordsOf, stringOf, stringsOf } from './answers.js';

// The members of a `Parameter` of a GetParameter(s) answer that are used.
type Parameter = Readonly<Record<string, unknown>>;

/** The most names one GetParameters call takes (API reference). */
const PARAMETERS_PER_CALL = 10;

/** The name as GetParameters takes it: the name or ARN, with `:VERSION` or `:LABEL` when a version is asked for. */
function parameterSelector(ref: Reference): string {
  return ref.version === undefined ? ref.path : `${ref.path}:${ref.version}`;
}

/**
 * Fetches SSM references of one region; outcomes in the order of `refs`. Per-parameter failures are
 * outcomes; it throws only for what concerns them all (the SDK or the endpoint setting).
 */
export async function fetchParameters(
  run: AwsRun,
  region: string | undefined,
  refs: readonly Reference[],
): Promise<Outcome[]> {
  const client = await run.ssm(region);
  const call = <T>(operation: string, count: number, send: () => Promise<T>): Promise<T> =>
    run.timed({ operation: `ssm:${operation}`, region, count }, send);

  const getOne = async (name: string): Promise<Outcome> => {
    try {
      const out = await call('GetParameter', 1, () =>
        client.call('GetParameter', { Name: name, WithDecryption: true }),
      );
      return out.Parameter !== null && typeof out.Parameter === 'object'
        ? toFetched(out.Parameter as Parameter)
        : new ProviderError('Invalid', 'AWS answered GetParameter without a parameter');
    } catch (error) {
      return run.classify(error);
    }
  };

  const getChunk = async (names: readonly string[]): Promise<Array<readonly [string, Outcome]>> => {
    let out: Readonly<Record<string, unknown>>;
    try {
      out = await call('GetParameters', names.length, () =>
        client.call('GetParameters', { Names: [...names], WithDecryption: true }),
      );
    } catch (error) {
      const failure = run.classify(error);
      if (
        failure.kind === 'Denied' &&
        names.length > 1 &&
        (error as { name?: unknown }).name === 'AccessDeniedException'
      ) {
        return (await Promise.all(names.map((n) => getChunk([n])))).flat();
      }
      return names.map((n) => [n, failure] as const);
    }
    return Promise.all(
      names.map(async (name) => {
        // A chunk asks for each parameter once, so the answer's name (or ARN) alone says which request it is.
        const found = recordsOf(out.Parameters).find((p) => isParameterFor(p, name, bases.get(name) as Reference));
        if (found) return [name, toFetched(found)] as const;
        if (stringsOf(out.InvalidParameters).includes(name)) return [name, notFound(versioned.has(name))] as const;
        // Neither answered nor listed as invalid (a name AWS spelled differently): ask for it alone.
        return [name, await getOne(name)] as const;
      }),
    );
  };

  const bases = new Map(refs.map((r) => [parameterSelector(r), r] as const));
  const versioned = new Set(refs.filter((r) => r.version !== undefined).map(parameterSelector));
  const chunks = toChunks([...bases.values()]);
  const results = new Map((await Promise.all(chunks.map(getChunk))).flat());
  return refs.map((ref) => results.get(parameterSelector(ref)) as Outcome);
}

// Calls of at most 10 selectors in which no parameter appears twice (`/p` and `/p:2` go in different calls):
// the answer's optional `Selector` field is then not needed to tell the entries apart.
function toChunks(refs: readonly Reference[]): string[][] {
  const chunks: Array<{ names: string[]; paths: Set<string> }> = [];
  for (const ref of refs) {
    let chunk = chunks.find((c) => c.names.length < PARAMETERS_PER_CALL && !c.paths.has(ref.path));
    if (!chunk) {
      chunk = { names: [], paths: new Set() };
      chunks.push(chunk);
    }
    chunk.names.push(parameterSelector(ref));
    chunk.paths.add(ref.path);
  }
  return chunks.map((c) => c.names);
}

// The entry for a request: its name (or ARN, when asked by ARN); a numeric version, when asked for one and
// the answer carries it, must agree. `Selector` is optional in the API reference, so it is not relied on.
function isParameterFor(parameter: Parameter, requested: string, ref: Reference): boolean {
  const same = parameter.Name === ref.path || (parameter.ARN !== undefined && parameter.ARN === ref.path);
  if (!same) return false;
  if (ref.version !== undefined && /^\d+$/.test(ref.version) && versionOf(parameter) !== undefined)
    return versionOf(parameter) === ref.version;
  const selector = stringOf(parameter.Selector);
  if (selector !== undefined && selector !== '') return `${ref.path}${selector}` === requested;
  return true;
}

function notFound(versioned: boolean): ProviderError {
  return new ProviderError(
    'NotFound',
    versioned
      ? 'no such parameter, or no such version or label of it (InvalidParameters)'
      : 'no such parameter (InvalidParameters)',
  );
}

function toFetched(parameter: Parameter): Outcome {
  if (typeof parameter.Value !== 'string')
    return new ProviderError('Invalid', 'AWS returned the parameter without a value');
  return {
    value: new Secret(parameter.Value),
    version: versionOf(parameter),
  };
}

// `Version` is a number (a long) in the API reference.
function versionOf(parameter: Parameter): string | undefined {
  const version = parameter.Version;
  return typeof version === 'number' || typeof version === 'string' ? String(version) : undefined;
}
