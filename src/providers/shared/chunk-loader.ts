// Loads a provider's code from a chunk of the single executable (docs/performance.md): the build puts each
// provider, with its SDK, in a script of its own beside the main one, with a V8 code cache made by running
// that provider against its loopback fake. Only a run that uses the provider reads and compiles its chunk,
// and the functions its run calls come precompiled instead of being compiled on their first call.
// The npm bundle does not use this: there every provider stays inside the one bundled file.
import { noteLoad } from '../../resolve/load-notes.js';

/** Where a chunk's script and code cache come from (the executable's assets, or files in a warm-up build). */
export interface ChunkAssets {
  /** The chunk's script: a function expression `(exports, require, module) => …` in CommonJS form. */
  source(name: string): string;
  /** The code cache made for that script at build time, if there is one. */
  cache(name: string): Uint8Array | undefined;
  /** Called with each compiled script (the warm-up build keeps them, to write their code caches). */
  compiled?(name: string, script: import('node:vm').Script): void;
}

/** The main script's modules a chunk shares (errors, Secret, the logger…), by their path in the repository. */
export type ModuleTable = Readonly<Record<string, unknown>>;

// The prefix the build gives to a chunk's imports of the main script's modules.
const SHARED = 'se-core:';
// The prefix of a chunk's lazy import of another chunk (Vault's AWS login, from the Vault chunk).
const CHUNK = 'se-chunk:';

/** Evaluates the chunk `name` and returns its exports. */
export function loadChunk(name: string, assets: ChunkAssets, table: ModuleTable): Record<string, unknown> {
  const vm = globalThis.process.getBuiltinModule('node:vm');
  const cachedData = assets.cache(name);
  const script = new vm.Script(assets.source(name), { filename: `secrets-exec:${name}`, cachedData });
  // A rejected cache still runs, only slower: the note (debug level) lets a test and a user see which.
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'accepted';
  noteLoad(`chunk ${name}: code cache ${cache}`);
  assets.compiled?.(name, script);
  const factory = script.runInThisContext() as (
    exports: object,
    require: (id: string) => unknown,
    module: object,
  ) => void;
  const module = { exports: {} as Record<string, unknown> };
  factory(module.exports, (id) => requireShared(id, assets, table), module);
  return module.exports;
}

// A chunk requires the main script's modules (shared, so that `instanceof ProviderError` holds), other
// chunks and Node.js builtins, nothing else: every package it uses is bundled into it.
function requireShared(id: string, assets: ChunkAssets, table: ModuleTable): unknown {
  if (id.startsWith(CHUNK)) return loadChunk(id.slice(CHUNK.length), assets, table);
  const found = id.startsWith(SHARED) ? table[id.slice(SHARED.length)] : globalThis.process.getBuiltinModule(id);
  if (found === undefined) throw new Error(`chunk loader: no module ${id} for a chunk`);
  return found;
}
