// The load notes say when a run has loaded one of Node's HTTP clients: the e2e tests that a provider does not
// (test/e2e/provider-chunks.test.ts, test/e2e/gcp-fetch-implementation.test.ts) rely on these lines appearing
// once something has loaded it.
import { describe, expect, it } from 'vitest';
import { noteLoad, takeLoadNotes } from '../../src/resolve/load-notes.js';

describe('load notes', () => {
  it("note each of Node's HTTP clients once something has loaded it, once", async () => {
    // This worker may have loaded either already: then the first call notes it.
    const before = takeLoadNotes();
    // Reading the global loads undici; importing node:http loads its client.
    expect(typeof globalThis.Headers).toBe('function');
    expect(typeof (await import('node:http')).request).toBe('function');
    noteLoad('chunk demo: code cache none');
    const after = takeLoadNotes();
    expect(after[0]).toBe('chunk demo: code cache none');
    expect([...before, ...after].filter((note) => note.startsWith('node: ')).sort()).toEqual([
      'node: HTTP client (node:http) loaded',
      'node: fetch implementation (undici) loaded',
    ]);
    expect(takeLoadNotes()).toEqual([]);
  });
});
