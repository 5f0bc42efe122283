// Glue from a per-run provider instance to the registry's Provider shape: the instance is created on
// the first call of a run (one ProviderContext per run) and keeps its state (clients, tokens) in its
// own closure instead of module-level maps. `classify` is stateless: the engine calls it without a run.
import type { ProviderError } from '../errors/errors.js';
import type { Reference, Scheme } from '../refs/index.js';
import type { Outcome, Provider, ProviderContext } from '../resolve/types.js';

/** One provider's state for one run. */
export interface ProviderInstance {
  mapGeneric(name: string): Reference;
  resolve(batch: readonly Reference[]): Promise<Outcome[]>;
  close(): Promise<void>;
}

export interface PerRunProvider {
  readonly name: string;
  readonly schemes: readonly Scheme[];
  create(ctx: ProviderContext): ProviderInstance;
  classify(error: unknown): ProviderError;
}

/** Adapts a per-run provider to the Provider interface, one instance per run. */
export function perRun(spec: PerRunProvider): Provider {
  const instances = new WeakMap<ProviderContext, ProviderInstance>();
  const get = (ctx: ProviderContext): ProviderInstance => {
    let instance = instances.get(ctx);
    if (instance === undefined) {
      instance = spec.create(ctx);
      instances.set(ctx, instance);
    }
    return instance;
  };
  return {
    name: spec.name,
    schemes: spec.schemes,
    mapGeneric: (generic, ctx) => get(ctx).mapGeneric(generic),
    resolve: (batch, ctx) => get(ctx).resolve(batch),
    classify: (error) => spec.classify(error),
    close: async (ctx) => instances.get(ctx)?.close(),
  };
}
