// What loading a provider's code had to say (e.g. whether a precompiled code cache was used), kept until
// the run's provider set logs it at debug level. The loader runs before any logger exists for the run, and
// a provider's `load()` returns the module alone, so the note waits here.
// The executable's loader of the core leaves here whether V8 took the core's code cache (docs/performance.md);
// it is logged with the first provider's notes.
const coreCache = (globalThis as Record<symbol, unknown>)[Symbol.for('secrets-exec.core-cache')];
const notes: string[] = typeof coreCache === 'string' ? [`core: code cache ${coreCache}`] : [];

/** Records a line about the provider code just loaded. */
export function noteLoad(text: string): void {
  notes.push(text);
}

/** Every line recorded since the last call. */
export function takeLoadNotes(): string[] {
  noteFetchImplementation();
  return notes.splice(0);
}

// Node.js loads its fetch implementation (undici, with about 130 of its internal modules: 35–55 ms) the first
// time code reads Headers, Request, Response or FormData or calls fetch. Vendor libraries do that as a feature
// probe; which runs pay for it is worth a debug line, and lets a test keep the providers that avoid it so.
const FETCH_IMPLEMENTATION = 'NativeModule internal/deps/undici/undici';
let fetchNoted = false;
function noteFetchImplementation(): void {
  if (fetchNoted) return;
  const loaded = (process as { moduleLoadList?: readonly string[] }).moduleLoadList ?? [];
  if (!loaded.includes(FETCH_IMPLEMENTATION)) return;
  fetchNoted = true;
  notes.push('node: fetch implementation (undici) loaded');
}
