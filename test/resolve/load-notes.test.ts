// The load notes say when a run has loaded Node's fetch implementation: the e2e tests that a provider does not
// (test/e2e/provider-chunks.test.ts, test/e2e/gcp-fetch-implementation.test.ts) rely on this line appearing once
// something has loaded it.
import { describe, expect, it } from 'vitest';
import { noteLoad, takeLoadNotes } from '../../src/resolve/load-notes.js';

describe('load notes', () => {
  it("note Node's fetch implementation once something has loaded it, once", () => {
    takeLoadNotes();
    // Reading the global loads undici (in this worker perhaps already).
    expect(typeof globalThis.Headers).toBe('function');
    noteLoad('chunk demo: code cache none');
    expect(takeLoadNotes()).toEqual(['chunk demo: code cache none', 'node: fetch implementation (undici) loaded']);
    expect(takeLoadNotes()).toEqual([]);
  });
});
