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
  return notes.splice(0);
}
