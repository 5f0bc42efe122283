// The one place that turns provider descriptors into a run's instances (docs/architecture.md): each provider is
// loaded and created at most once per run, on first use, and every instance created is closed when the
// run's resolution ends — on success, on failure and on interruption alike (`closeAll` runs in a
// `finally`). Nothing here knows a provider by name: the list comes in as a parameter.
import { ProviderError, UsageError } from '../errors/errors.js';
import type { Logger } from '../log/logger.js';
import { isReference, type Scheme } from '../refs/index.js';
import { takeLoadNotes } from './load-notes.js';
import type { ProviderContext, ProviderDescriptor, ProviderInstance } from './types.js';

/** A provider ready for this run: its instance and its error classification. */
export interface LoadedProvider {
  readonly name: string;
  readonly instance: ProviderInstance;
  /** The module's `lasting`: the instance may serve several resolutions. */
  readonly lasting?: boolean;
  classify(error: unknown): ProviderError;
}

/** The providers of one run. */
interface ProviderSet {
  /** The provider's instance for this run, loaded and created on the first call; rejects with a ProviderError. */
  get(name: string): Promise<LoadedProvider>;
  /** The provider that serves a scheme directly; `secret://` has none (it goes through the chain). */
  forScheme(scheme: Scheme): string | undefined;
  /** Closes every instance created so far; a failing close is logged, never thrown. */
  closeAll(): Promise<void>;
  /** Closes and forgets the instances that are not lasting (between two resolutions of a kept set). */
  closeTransient(): Promise<void>;
}

/** The descriptor of a provider name; an unknown name is a usage error that lists the known ones. */
export function findProvider(providers: readonly ProviderDescriptor[], name: string): ProviderDescriptor {
  const found = providers.find((p) => p.name === name);
  if (!found) throw new UsageError(`unknown provider '${name}' (known: ${providers.map((p) => p.name).join(', ')})`);
  return found;
}

/** Every variable any provider treats as its own credential. */
export function listCredentialEnv(providers: readonly ProviderDescriptor[]): string[] {
  return providers.flatMap((p) => p.credentialEnv);
}

/** Opens the run's provider set over `providers`, with `ctx` for every instance. */
export function openProviders(input: {
  providers: readonly ProviderDescriptor[];
  ctx: ProviderContext;
  log: Logger;
}): ProviderSet {
  const { providers, ctx, log } = input;
  const loaded = new Map<string, Promise<LoadedProvider>>();
  const load = async (name: string): Promise<LoadedProvider> => {
    const descriptor = findProvider(providers, name);
    if (descriptor.load === undefined)
      throw new ProviderError('Invalid', `provider ${name} is not available in this build`);
    refuseReferencesInOwnVariables(descriptor, ctx.env);
    const module = await descriptor.load();
    logLoadNotes();
    return {
      name,
      instance: module.create(ctx),
      lasting: module.lasting === true,
      classify: (error) => module.classify(error),
    };
  };
  // Providers clean up what they created (a Vault token obtained by login is revoked) whether or not
  // resolution succeeded.
  // A provider may load more of its code while it fetches (e.g. one login method's SDK): noted by then.
  const logLoadNotes = (): void => {
    for (const note of takeLoadNotes()) log.debug('provider.load', note);
  };
  const close = async (which: (provider: LoadedProvider | undefined) => boolean): Promise<void> => {
    logLoadNotes();
    for (const [name, pending] of [...loaded]) {
      const provider = await pending.catch(() => undefined);
      if (!which(provider)) continue;
      loaded.delete(name);
      await provider?.instance.close().catch((error: unknown) => {
        const reason = error instanceof ProviderError ? error.message : 'unexpected error';
        log.warn('provider.close', `${provider.name}: cleanup failed: ${reason}`);
      });
    }
  };
  return {
    get(name) {
      let provider = loaded.get(name);
      if (!provider) {
        provider = load(name);
        loaded.set(name, provider);
      }
      return provider;
    },
    forScheme: (scheme) => providers.find((p) => p.schemes.includes(scheme))?.name,
    closeAll: () => close(() => true),
    closeTransient: () => close((provider) => provider?.lasting !== true),
  };
}

// A provider reads its own variables (VAULT_TOKEN, AWS_ACCESS_KEY_ID, …) before any reference is resolved,
// so a reference there would be sent to the store as written. Refused; only the scheme is named, the rest of
// the text may be long or sensitive.
function refuseReferencesInOwnVariables(
  descriptor: ProviderDescriptor,
  env: Readonly<Record<string, string | undefined>>,
): void {
  for (const name of [...descriptor.credentialEnv, ...descriptor.env]) {
    const value = env[name];
    if (value === undefined || !isReference(value)) continue;
    const scheme = /^[a-z][a-z0-9-]*:\/\//.exec(value)?.[0];
    throw new ProviderError(
      'Invalid',
      `${name} holds a ${scheme === undefined ? '' : `${scheme} `}reference, but ${descriptor.name} reads ${name} ` +
        `itself before any reference is resolved (it would be used as written): give ${name} the value itself`,
    );
  }
}
