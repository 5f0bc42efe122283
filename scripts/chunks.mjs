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
// Providers that stay in the main script: no SDK (local), or so little code that inflating and deserialising a
// chunk cost more than compiling it (Vault: measured +76 ms of CPU time as a chunk, +49 ms in the main script).
const IN_MAIN = new Set(['local', 'vault']);
// Other lazily imported modules that become chunks: Vault's AWS login brings the AWS SDK's credential chain.
const EXTRA = [{ name: 'vault-aws-login', entry: 'src/providers/vault/aws-login.ts' }];

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
  for (const { name, entry } of chunkEntries(root)) {
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
            b.onResolve({ filter: /^\.\.?\// }, (args) => {
              if (!args.importer.startsWith(`${src}/`)) return undefined;
              const file = resolve(dirname(args.importer), args.path).replace(/\.js$/, '.ts');
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
 * inflate). A run that loads a chunk pays about 2 ms to inflate it; node:zlib itself is loaded by every SDK's
 * HTTP stack anyway, except Vault's (about 4 ms more there).
 */
export function packChunk(script) {
  return gzipSync(script, { level: 9 });
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
      ? `const sea=require('node:sea');
const assets={source:(n)=>require('node:zlib').gunzipSync(sea.getAsset(n+'.js.gz')).toString('utf8'),
cache:(n)=>new Uint8Array(sea.getAsset(n+'.cache'))};`
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
