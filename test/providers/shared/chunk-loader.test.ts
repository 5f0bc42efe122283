// The loader of the executable's provider chunks: a chunk gets the main script's own modules (so that
// `instanceof ProviderError` holds across the two), Node.js builtins and nothing else, and whether its code
// cache was used is noted for the debug log.
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as errors from '../../../src/errors/errors.js';
import { type ChunkAssets, loadChunk } from '../../../src/providers/shared/chunk-loader.js';
import { takeLoadNotes } from '../../../src/resolve/load-notes.js';

const SOURCE = `(function(exports,require,module){
const { ProviderError } = require('se-core:src/errors/errors.ts');
module.exports.fail = () => new ProviderError('NotFound', 'no such secret');
module.exports.sep = require('node:path').sep;
})`;
const TABLE = { 'src/errors/errors.ts': errors };

function assets(cache?: Uint8Array, source = SOURCE): ChunkAssets {
  return { source: () => source, cache: () => cache };
}

describe('loadChunk', () => {
  it("shares the main script's modules and Node.js builtins with the chunk", () => {
    takeLoadNotes();
    const chunk = loadChunk('demo', assets(), TABLE);
    expect((chunk.fail as () => unknown)()).toBeInstanceOf(errors.ProviderError);
    expect(chunk.sep).toBe('/');
    expect(takeLoadNotes()).toEqual(['chunk demo: code cache none']);
  });

  it('notes whether the code cache was accepted', () => {
    takeLoadNotes();
    const cache = new Script(SOURCE, { filename: 'secrets-exec:demo' }).createCachedData();
    loadChunk('demo', assets(cache), TABLE);
    // Another source text: V8 would otherwise take the script compiled above from its own in-memory cache.
    loadChunk('demo', assets(new Uint8Array([1, 2, 3, 4]), `${SOURCE}\n`), TABLE);
    expect(takeLoadNotes()).toEqual(['chunk demo: code cache accepted', 'chunk demo: code cache rejected']);
  });

  it('loads another chunk that a chunk requires (Vault loads its AWS login)', () => {
    takeLoadNotes();
    const sources: Record<string, string> = {
      outer: `(function(exports,require,module){module.exports.inner=require('se-chunk:inner').name})`,
      inner: `(function(exports,require,module){module.exports.name='inner chunk'})`,
    };
    const chunk = loadChunk('outer', { source: (n) => sources[n] ?? '', cache: () => undefined }, TABLE);
    expect(chunk.inner).toBe('inner chunk');
    expect(takeLoadNotes()).toEqual(['chunk outer: code cache none', 'chunk inner: code cache none']);
  });

  it('refuses a module the main script did not give it', () => {
    const source = `(function(exports,require,module){require('se-core:src/cli/options.ts')})`;
    expect(() => loadChunk('demo', { source: () => source, cache: () => undefined }, TABLE)).toThrow(
      /no module se-core:src\/cli\/options.ts/,
    );
  });
});
