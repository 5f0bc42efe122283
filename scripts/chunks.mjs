// The single executable's provider chunks (docs/performance.md, "Provider chunks"). The SEA's main script holds
// the core only; each provider's implementation (the module its descriptor's `load()` imports, with the SDK)
// is built into a script of its own, stored as a SEA asset and compiled at run time by
// src/providers/shared/chunk-loader.ts with a code cache made here by running that provider once against its
// loopback fake (scripts/warm-chunks.mjs). The code cache Node.js makes for a SEA's main script comes from
// compiling it without running it, so it holds only eagerly compiled code; a cache made after a run also
// holds every function the run called.
//
// A chunk shares the main script's modules (errors, Secret, the logger, the contract types): its imports of
// anything under src/ outside its provider folder and src/providers/shared/ become `require('se-core:PATH')`,
// answered from a table of those modules that the main script builds when it first loads a chunk.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const SHARED = 'se-core:';
// A descriptor's lazy import of its implementation: `load: async () => (await import('./aws.js')).awsProvider`.
const LOAD_IMPORT = /load: async \(\) => \(await import\('(\.\/[\w-]+\.js)'\)\)/;
const CHUNK = 'se-chunk:';
// Providers that stay in the main script: no SDK and little code (local).
const IN_MAIN = new Set(['local']);
// Other lazily imported modules that become chunks: Vault's AWS login brings the AWS SDK's credential chain,
// which the Vault chunk loads only for that login method.
const EXTRA = [{ name: 'vault-aws-login', entry: 'src/providers/vault/aws-login.ts' }];
// Chunks whose script is stored as it is: their runs would otherwise load node:zlib (about 4 ms) only to
// inflate them, and inflating takes as long again. Vault's is small; AWS's (its own JSON client, the SDK's
// credential chain and signer) adds 0.45 MB with its code cache, for ≈ 6 ms less per AWS run; OCI's, whose run
// no longer loads node:zlib otherwise (scripts/vendor-load.mjs), 0.55 MB for ≈ 9 ms (docs/performance.md);
// IBM's, whose libraries now load node:zlib only to inflate a compressed token answer, 0.38 MB.
// Google's libraries load node:zlib anyway.
const STORED_RAW = new Set(['vault', 'aws', 'oci', 'ibm']);
// Chunks whose code cache is stored gzipped, to stay within the size budget: Vault's AWS login (a compile-only
// cache, 155 kB, 60 kB gzipped; inflating it takes under a millisecond, and its script loads node:zlib anyway).
const CACHE_GZIPPED = new Set(['vault-aws-login']);

/** The chunks: each provider's implementation (the module its descriptor loads) and EXTRA; name and entry. */
export function chunkEntries(root) {
  const providers = join(root, 'src', 'providers');
  return readdirSync(providers, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'shared' && !IN_MAIN.has(e.name))
    .map((e) => {
      const index = join(providers, e.name, 'index.ts');
      const found = LOAD_IMPORT.exec(readFileSync(index, 'utf8'));
      if (found === null) throw new Error(`chunks.mjs: no \`load: async () => (await import(…))\` in ${index}`);
      return { name: e.name, entry: resolve(dirname(index), found[1]).replace(/\.js$/, '.ts') };
    })
    .concat(EXTRA.map((c) => ({ name: c.name, entry: join(root, c.entry) })));
}

/**
 * Builds every chunk with esbuild's `options` (those of the main script, minus entry and output); returns
 * `{ name, code }` per chunk (CommonJS, not yet wrapped) and the main script's modules they import.
 */
export async function buildChunks(root, options) {
  const src = join(root, 'src');
  const sharedProviderCode = join(src, 'providers', 'shared');
  const shared = new Set();
  const chunks = [];
  const entries = chunkEntries(root);
  const byEntry = new Map(entries.map((c) => [c.entry, c.name]));
  for (const { name, entry } of entries) {
    const own = dirname(entry);
    const result = await build({
      ...options,
      entryPoints: [entry],
      write: false,
      banner: undefined,
      plugins: [
        ...(options.plugins ?? []),
        {
          name: 'chunk-shares-core',
          setup(b) {
            // A lazy import of another chunk's entry loads that chunk (module.exports of a tiny module, which
            // esbuild evaluates once, on the import).
            b.onResolve({ filter: /^se-chunk:/ }, (args) => ({ path: args.path, external: true }));
            b.onLoad({ filter: /.*/, namespace: 'other-chunk' }, ({ path }) => ({
              contents: `module.exports=require(${JSON.stringify(CHUNK + path)});`,
              loader: 'js',
            }));
            b.onResolve({ filter: /^\.\.?\// }, (args) => {
              if (!args.importer.startsWith(`${src}/`)) return undefined;
              const file = resolve(dirname(args.importer), args.path).replace(/\.js$/, '.ts');
              const other = byEntry.get(file);
              if (args.kind === 'dynamic-import' && other !== undefined && other !== name) {
                return { path: other, namespace: 'other-chunk' };
              }
              if (file.startsWith(`${own}/`) || file.startsWith(`${sharedProviderCode}/`)) return undefined;
              const path = relative(root, file);
              shared.add(path);
              return { path: SHARED + path, external: true };
            });
          },
        },
      ],
    });
    chunks.push({ name, code: result.outputFiles[0].text });
  }
  return { chunks, shared: [...shared].sort() };
}

/**
 * A chunk's script as the executable stores it: gzip keeps every provider's SDK within the size budget
 * (the sources shrink to a quarter; their code caches compress less and would cost milliseconds more to
 * inflate). A run that loads a chunk pays about 2 ms to inflate it; node:zlib itself is loaded by Google's
 * libraries anyway. The chunks whose runs need no node:zlib otherwise are stored as they are (STORED_RAW).
 */
export function packChunk(name, script) {
  return STORED_RAW.has(name) ? Buffer.from(script) : gzipSync(script, { level: 9 });
}

/** The name of the asset that holds a chunk's script (packChunk's form). */
export function chunkAsset(name) {
  return STORED_RAW.has(name) ? `${name}.js` : `${name}.js.gz`;
}

/** A chunk's code cache as the executable stores it, and the name of its asset. */
export function packCache(name, cache) {
  return CACHE_GZIPPED.has(name)
    ? { asset: `${name}.cache.gz`, data: gzipSync(cache, { level: 9 }) }
    : { asset: `${name}.cache`, data: cache };
}

/** A chunk's CommonJS code as the one function expression the loader compiles and calls. */
export function wrapChunk(code) {
  return `(function(exports,require,module){${code}\n})`;
}

/**
 * The esbuild plugin of the main script: an `import('./x.js')` of a chunk's entry becomes the load of the chunk,
 * through one host module that holds the table of shared modules and where the chunks come from:
 * `sea` (the executable's assets) or `warm` (files beside the script; compiled scripts kept for
 * scripts/warm-chunks.mjs).
 */
export function chunkedProvidersPlugin(root, { shared, source }) {
  const byEntry = new Map(chunkEntries(root).map((c) => [c.entry, c.name]));
  const loader = join(root, 'src', 'providers', 'shared', 'chunk-loader.ts');
  const table = shared.map((path, i) => `import * as m${i} from ${JSON.stringify(join(root, path))};`);
  const entries = shared.map((path, i) => `${JSON.stringify(path)}:m${i}`).join(',');
  const assets =
    source === 'sea'
      ? `const sea=require('node:sea'),raw=new Set(${JSON.stringify([...STORED_RAW])}),
gz=new Set(${JSON.stringify([...CACHE_GZIPPED])}),gunzip=(a)=>require('node:zlib').gunzipSync(sea.getAsset(a));
const assets={source:(n)=>raw.has(n)?sea.getAsset(n+'.js','utf8'):gunzip(n+'.js.gz').toString('utf8'),
cache:(n)=>gz.has(n)?new Uint8Array(gunzip(n+'.cache.gz')):new Uint8Array(sea.getAsset(n+'.cache'))};`
      : `const fs=require('node:fs'),path=require('node:path');
const file=(n,ext)=>path.join(__dirname,n+ext);
const assets={source:(n)=>fs.readFileSync(file(n,'.js'),'utf8'),
cache:(n)=>fs.existsSync(file(n,'.cache'))?fs.readFileSync(file(n,'.cache')):undefined,
compiled:(n,s)=>(globalThis.__seWarmScripts??=[]).push([file(n,'.cache'),s])};`;
  const host = `import { loadChunk } from ${JSON.stringify(loader)};
${table.join('\n')}
${assets}
const modules={${entries}};
export const load=(name)=>loadChunk(name,assets,modules);`;
  return {
    name: 'provider-chunks',
    setup(b) {
      b.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const chunk = byEntry.get(resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts'));
        return chunk === undefined ? undefined : { path: chunk, namespace: 'provider-chunk' };
      });
      b.onLoad({ filter: /.*/, namespace: 'provider-chunk' }, ({ path }) => ({
        contents: `module.exports=require('se-chunk-host').load(${JSON.stringify(path)});`,
        loader: 'js',
        resolveDir: root,
      }));
      b.onResolve({ filter: /^se-chunk-host$/ }, () => ({ path: 'host', namespace: 'chunk-host' }));
      b.onLoad({ filter: /.*/, namespace: 'chunk-host' }, () => ({ contents: host, loader: 'js', resolveDir: root }));
    },
  };
}

// The warm-up build's addition to the banner: before the run execs, each chunk's code cache (now holding
// what the run compiled) is written beside it.
export const warmBanner = `
{const ex=process.execve;process.execve=function(...a){
for(const[f,s]of globalThis.__seWarmScripts??[])require('fs').writeFileSync(f,s.createCachedData());
return ex.apply(this,a)}}
`;
