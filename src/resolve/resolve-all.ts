// The whole of resolution after planning: fetch every distinct reference once, then apply #KEY,
// ?optional and --load to each variable. Fails closed (README "Security model"): any failure of a non-optional
// reference throws ResolutionFailed listing every failed variable.
import { ProviderError, ResolutionFailed, ResolveError } from '../errors/errors.js';
import type { Secret } from '../log/secret.js';
import { toFetchReference, formatReference, type Reference } from '../refs/index.js';
import { fetchAll, type FetchOptions, type FetchResult } from './fetch-all.js';
import { expandMap } from './load.js';
import { isUnsafeToLoad } from './unsafe-names.js';
import type { LoadWant, Plan } from './plan.js';
import { parseSecretMap, selectKey } from './select.js';

/** One variable as resolution left it: set from a provider, or left unset because it was optional. */
export interface ResolvedVariable {
  readonly variable: string;
  readonly reference: string;
  readonly provider: string;
  readonly source: string;
  readonly version?: string | undefined;
  /** Undefined when an optional reference was missing: the variable is removed. */
  readonly value?: Secret | undefined;
}

/**
 * Variables computed from fetched secrets by something other than a plain load — an Ansible Vault file
 * decrypted with a fetched password. Its references are fetched with everything else.
 */
export interface DerivedLoad {
  /** What errors name in place of a variable (`--ansible-vault FILE`) when a password cannot be fetched. */
  readonly source: string;
  /** What errors of the file itself name in place of a variable (`--ansible-vault`), with `reference`. */
  readonly option: string;
  /** What was read (the file), shown as the reference of every variable it yields. */
  readonly reference: string;
  /** What `check` and logs show as the provider (`ansible-vault`). */
  readonly provider: string;
  readonly refs: readonly Reference[];
  /** May replace variables of the environment, and of an earlier load of the same provider (layered files). */
  readonly override: boolean;
  /** The option that sets `override`, which errors suggest (`--ansible-vault-override`). */
  readonly overrideOption: string;
  derive(values: ReadonlyMap<string, Secret>): Promise<ReadonlyMap<string, Secret>>;
}

export interface Resolution {
  readonly variables: readonly ResolvedVariable[];
  /** Providers that answered at least one reference, in first-use order. */
  readonly providers: readonly string[];
  /** What failed: always empty unless `keepFailures` was asked for (`check` prints every row). */
  readonly failures: readonly ResolveError[];
}

/** Fetches and applies everything the plan asks for; `env` is the environment the plan came from. */
export async function resolveAll(input: {
  plan: Plan;
  env: Readonly<Record<string, string | undefined>>;
  derived?: readonly DerivedLoad[];
  fetch: FetchOptions;
  /** Names a loaded secret may set although they change how the program starts (--allow-name). */
  allowNames?: readonly string[];
  /** Return failures with the rest instead of throwing ResolutionFailed (a run never asks: it fails closed). */
  keepFailures?: boolean;
}): Promise<Resolution> {
  const { plan, env, fetch } = input;
  const allowNames = new Set(input.allowNames ?? []);
  const derived = input.derived ?? [];
  const fetchRefs = [
    ...plan.wants.map((w) => toFetchReference(w.ref)),
    ...plan.loads.map((l) => toFetchReference(l.ref)),
    ...derived.flatMap((d) => d.refs.map(toFetchReference)),
  ];
  const results = await fetchAll(fetchRefs, fetch);
  const resultOf = (ref: Reference): FetchResult => results.get(formatReference(toFetchReference(ref))) as FetchResult;

  const errors: ResolveError[] = [];
  const variables: ResolvedVariable[] = [];
  const fail = (variable: string, reference: string, result: FetchResult, error: ProviderError): void => {
    errors.push(
      new ResolveError({
        kind: error.kind,
        variable,
        reference,
        provider: result.provider,
        reason: withTiers(error, result),
        cause: error,
      }),
    );
  };

  for (const want of plan.wants) {
    const result = resultOf(want.ref);
    const base = { variable: want.variable, reference: want.reference, provider: result.provider, source: want.source };
    try {
      if (!result.ok) throw result.error;
      const value = want.ref.key === undefined ? result.fetched.value : selectKey(result.fetched.value, want.ref.key);
      variables.push({ ...base, version: result.fetched.version, value });
    } catch (error) {
      const failure = asProviderError(error);
      if (want.ref.optional && failure.kind === 'NotFound') {
        // Left unset on purpose, but said at debug level: a misspelt optional path is otherwise invisible.
        fetch.log.debug('resolve.optional_skipped', `${want.variable} is left unset: ?optional and not found`, {
          reference: want.reference,
          reason: failure.message,
        });
        variables.push(base);
      } else fail(want.variable, want.reference, result, failure);
    }
  }

  // Who set each variable: a derived load's provider may be layered over by a later one with `override`.
  const taken = new Map<string, { by: string; layer?: string }>(
    variables.map((v) => [v.variable, { by: v.reference }]),
  );
  const addLoaded = (
    source: {
      reference: string;
      provider: string;
      override: boolean;
      version?: string | undefined;
      layer?: string;
      overrideOption?: string;
    },
    map: ReadonlyMap<string, Secret>,
  ): void => {
    const hint = source.overrideOption === undefined ? 'add ?override' : `add ${source.overrideOption}`;
    for (const [variable, value] of map) {
      if (isUnsafeToLoad(variable) && !allowNames.has(variable)) {
        throw new ProviderError(
          'Invalid',
          `a key becomes ${variable}, which changes how the program starts; a loaded secret may set it only ` +
            `with --allow-name ${variable}`,
        );
      }
      const earlier = taken.get(variable);
      const layered = earlier !== undefined && earlier.layer !== undefined && earlier.layer === source.layer;
      if (earlier !== undefined && !(layered && source.override)) {
        throw new ProviderError(
          'Invalid',
          layered
            ? `${variable} is already set by ${earlier.by}; ${hint} to let the later file win`
            : `${variable} is already set by another reference or load`,
        );
      }
      if (Object.hasOwn(env, variable) && env[variable] !== undefined && !source.override) {
        throw new ProviderError('Invalid', `${variable} is already set in the environment; ${hint} to replace it`);
      }
      if (layered)
        variables.splice(
          variables.findIndex((v) => v.variable === variable),
          1,
        );
      taken.set(variable, { by: source.reference, ...(source.layer === undefined ? {} : { layer: source.layer }) });
      variables.push({
        variable,
        reference: source.reference,
        provider: source.provider,
        source: '--load',
        version: source.version,
        value,
      });
    }
  };
  for (const load of plan.loads) {
    const result = resultOf(load.ref);
    try {
      if (!result.ok) throw result.error;
      addLoaded(
        { ...load, provider: result.provider, version: result.fetched.version },
        expandLoad(load, result.fetched.value),
      );
    } catch (error) {
      const failure = asProviderError(error);
      if (!(load.ref.optional && failure.kind === 'NotFound')) fail('--load', load.reference, result, failure);
    }
  }
  for (const d of derived) {
    const values = new Map<string, Secret>();
    for (const ref of d.refs) {
      const result = resultOf(ref);
      try {
        if (!result.ok) throw result.error;
        values.set(
          formatReference(ref),
          ref.key === undefined ? result.fetched.value : selectKey(result.fetched.value, ref.key),
        );
      } catch (error) {
        fail(d.source, formatReference(ref), result, asProviderError(error));
      }
    }
    if (values.size < d.refs.length) continue;
    try {
      const { reference, provider, override, overrideOption } = d;
      addLoaded({ reference, provider, override, overrideOption, layer: provider }, await d.derive(values));
    } catch (error) {
      // The file failed (a wrong password, a key it cannot load): named by the file, the reason names the key.
      const failure = asProviderError(error);
      errors.push(
        new ResolveError({
          kind: failure.kind,
          variable: d.option,
          reference: d.reference,
          provider: d.provider,
          reason: failure.message,
          cause: error,
        }),
      );
    }
  }

  if (errors.length > 0 && input.keepFailures !== true) throw new ResolutionFailed(errors);
  const providers = [...new Set(variables.filter((v) => v.value !== undefined).map((v) => v.provider))];
  return { variables, providers, failures: errors };
}

function expandLoad(load: LoadWant, value: Secret): ReadonlyMap<string, Secret> {
  const source = load.ref.key === undefined ? value : selectKey(value, load.ref.key);
  return expandMap(parseSecretMap(source, '--load cannot read its keys'), load);
}

function asProviderError(error: unknown): ProviderError {
  // An unexpected error's message may quote data (a parser quoting its input): only its class is shown.
  return error instanceof ProviderError
    ? error
    : new ProviderError(
        'Invalid',
        `unexpected ${error instanceof Error ? error.name : 'failure'} (a bug: please report it)`,
        { cause: error },
      );
}

// The final error of a `secret://` reference lists what every tier said (docs/architecture.md).
function withTiers(error: ProviderError, result: FetchResult): string {
  if (result.attempts.length <= 1) return error.message;
  return `${error.message} [tiers: ${result.attempts.map((a) => `${a.provider} ${a.kind ?? 'ok'}`).join(', ')}]`;
}
