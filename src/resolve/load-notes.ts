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
  noteHttpClients();
  return notes.splice(0);
}

// Which of Node's HTTP clients a run loaded is worth a debug line, and lets a test keep the providers that avoid
// one so. Node.js loads its fetch implementation (undici, with about 130 of its internal modules: 35–55 ms) the
// first time code reads Headers, Request, Response or FormData or calls fetch: vendor libraries do that as a
// feature probe. node:http (ten modules, and its functions compiled on the first request: ≈ 7 ms) is what
// most providers send with; Vault and AWS, without a proxy, write theirs on a socket instead
// (providers/shared/http1-client.ts).
const CLIENTS: readonly (readonly [module: string, note: string])[] = [
  ['NativeModule internal/deps/undici/undici', 'node: fetch implementation (undici) loaded'],
  ['NativeModule _http_client', 'node: HTTP client (node:http) loaded'],
];
const noted = new Set<string>();
function noteHttpClients(): void {
  const loaded = (process as { moduleLoadList?: readonly string[] }).moduleLoadList ?? [];
  for (const [module, note] of CLIENTS) {
    if (noted.has(note) || !loaded.includes(module)) continue;
    noted.add(note);
    notes.push(note);
  }
}
