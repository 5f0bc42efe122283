// Builds dist/secrets-exec.cjs (one bundle that runs on any Node.js ≥ 22.15) and dist/secrets-exec
// (a Node.js single executable application that needs no Node.js in the image); `--arch arm64` builds
// dist/secrets-exec-linux-arm64 instead (scripts/node-targets.mjs). The pipeline:
//   esbuild → CommonJS bundle (ESM mains are not run by every SEA-capable Node; google-gax breaks in ESM)
//   → SEA blob made by the SAME Node binary that is injected (another version's blob segfaults)
//   → copy that binary, strip the copy, THEN inject (stripping after injection breaks the binary).
// The executable's main script leaves out the providers' implementations: each is a chunk stored as an asset of
// the executable with a code cache made by running it against its loopback fake (scripts/chunks.mjs).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeTarget } from './scripts/node-targets.mjs';
import {
  buildChunks,
  chunkAsset,
  chunkedProvidersPlugin,
  packCache,
  packChunk,
  warmBanner,
  wrapChunk,
} from './scripts/chunks.mjs';
import { assertVendorFilesChanged, vendorLoadPlugin } from './scripts/vendor-load.mjs';
import { patchNode } from './scripts/patch-node.mjs';
import { noJitterPlugin, timeLazyEvaluation, timingBanner, timingPlugin } from './scripts/timing-probe.mjs';
import { warmChunks } from './scripts/warm-chunks.mjs';
import { awsEsmPlugin } from './scripts/aws-esm.mjs';
import { seaCoreLoader, warmCore } from './scripts/core-asset.mjs';

const root = dirname(fileURLToPath(import.meta.url));
// SECRETS_EXEC_DIST_DIR lets parallel work build into a folder of its own.
const dist = process.env.SECRETS_EXEC_DIST_DIR ?? join(root, 'dist');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const archFlag = process.argv.indexOf('--arch');
// The pinned Node.js of the target architecture, never the machine's.
const target = nodeTarget(archFlag === -1 ? 'x64' : process.argv[archFlag + 1]);
const bundle = join(dist, 'secrets-exec.cjs');
const executable = join(dist, target.executableName);
const started = Date.now();
// A benchmark build that logs the time of each phase (scripts/timing-probe.mjs); never released.
const timings = process.env.SECRETS_EXEC_TIMINGS === '1';
const noJitter = process.env.SECRETS_EXEC_NO_JITTER === '1';

mkdirSync(dist, { recursive: true });
rmSync(executable, { force: true });

// Shared by the npm bundle, the executable's main script and its provider chunks.
const options = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  minify: true,
  legalComments: 'none',
  define: { SECRETS_EXEC_VERSION: JSON.stringify(pkg.version) },
  plugins: [vendorLoadPlugin, awsEsmPlugin, ...(timings ? [timingPlugin] : []), ...(noJitter ? [noJitterPlugin] : [])],
  logLevel: 'warning',
};
// The bundle is also the npm package's `bin`.
const banner = `#!/usr/bin/env node${timings ? timingBanner : ''}`;
const finish = (code) => (timings ? timeLazyEvaluation(requireNodeBuiltins(code)) : requireNodeBuiltins(code));
const entryPoints = [join(root, 'src', 'entrypoint.ts')];

// The npm bundle: one file with every provider in it, for any Node.js >= 22.15.
const result = await build({ ...options, entryPoints, outfile: bundle, write: false, banner: { js: banner } });
assertVendorFilesChanged();
writeFileSync(bundle, finish(result.outputFiles[0].text));

// The executable: a main script without the providers' implementations, and one chunk per provider with a
// code cache made by running it (scripts/chunks.mjs, scripts/warm-chunks.mjs).
const chunkDir = join(dist, 'chunks');
rmSync(chunkDir, { recursive: true, force: true });
mkdirSync(chunkDir);
const { chunks, shared } = await buildChunks(root, options);
for (const chunk of chunks) {
  const script = wrapChunk(finish(chunk.code));
  writeFileSync(join(chunkDir, `${chunk.name}.js`), script);
  if (chunkAsset(chunk.name) !== `${chunk.name}.js`) {
    writeFileSync(join(chunkDir, chunkAsset(chunk.name)), packChunk(chunk.name, script));
  }
}
const mainScript = async (source, extra) => {
  const built = await build({
    ...options,
    entryPoints,
    write: false,
    banner: { js: banner + extra },
    plugins: [...options.plugins, chunkedProvidersPlugin(root, { shared, source })],
  });
  return finish(built.outputFiles[0].text);
};
const main = join(chunkDir, 'main.cjs');
writeFileSync(main, await mainScript('sea', ''));
writeFileSync(join(chunkDir, 'main-warm.cjs'), await mainScript('warm', warmBanner));
await warmChunks({ dir: chunkDir, names: chunks.map((c) => c.name), nodeCommand: target.nodeCommand });
// The core as an asset with a warmed cache (scripts/core-asset.mjs); `=0` builds the main script as the core,
// for comparisons.
const coreAsset = process.env.SECRETS_EXEC_CORE_ASSET !== '0';
if (coreAsset) {
  await warmCore({ dir: chunkDir, code: readFileSync(main, 'utf8'), nodeCommand: target.nodeCommand });
  console.log(`core ${kB(join(chunkDir, 'core.js'))}+${kB(join(chunkDir, 'core.cache'))}`);
  writeFileSync(join(chunkDir, 'core-loader.cjs'), seaCoreLoader);
}

// Each chunk's code cache as stored (gzipped for some, scripts/chunks.mjs).
function cacheAsset(name) {
  const { asset, data } = packCache(name, readFileSync(join(chunkDir, `${name}.cache`)));
  if (asset !== `${name}.cache`) writeFileSync(join(chunkDir, asset), data);
  return asset;
}
function kB(file) {
  return `${Math.round(statSync(file).size / 1000)} kB`;
}
const chunkSizes = chunks.map(
  ({ name }) => `${name} ${kB(join(chunkDir, chunkAsset(name)))}+${kB(join(chunkDir, `${name}.cache`))}`,
);
console.log(`main script ${kB(main)}; chunks (script, gzipped but Vault's, + code cache): ${chunkSizes.join(', ')}`);

const seaConfig = join(dist, 'sea-config.json');
const blob = join(dist, 'secrets-exec.blob');
writeFileSync(
  seaConfig,
  JSON.stringify({
    main: coreAsset ? join(chunkDir, 'core-loader.cjs') : main,
    output: blob,
    // Without the code cache a large bundle costs ~200 ms of parsing at every start.
    useCodeCache: true,
    // Otherwise the SEA obeys the *program's* NODE_OPTIONS (e.g. --require ./otel.js) and crashes.
    execArgvExtension: 'none',
    disableExperimentalSEAWarning: true,
    assets: Object.fromEntries(
      (coreAsset ? ['core.js', 'core.cache'] : [])
        .map((n) => [n, join(chunkDir, n)])
        .concat(
          chunks.flatMap(({ name }) => [
            [chunkAsset(name), join(chunkDir, chunkAsset(name))],
            [cacheAsset(name), join(chunkDir, cacheAsset(name))],
          ]),
        ),
    ),
  }),
);
target.runNode(['--experimental-sea-config', seaConfig], { stdio: ['ignore', 'ignore', 'inherit'] });

copyFileSync(target.nodeBinary, executable);
chmodSync(executable, 0o755);
// strip warns about Node 26's unnamed .note sections; its output matters only when it fails.
execFileSync(target.tools.strip, [executable], { stdio: 'pipe' });
patchNode(executable, target);
const strippedNodeBytes = statSync(executable).size;
// postject runs on this machine's pinned Node.js whatever the target: it only rewrites the ELF file.
execFileSync(
  process.execPath,
  [
    require.resolve('postject/dist/cli.js'),
    executable,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ],
  // postject's ELF library warns about Node 26's unnamed .note sections; its output matters only when it fails
  // (execFileSync then throws with it).
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
rmSync(blob);
rmSync(chunkDir, { recursive: true, force: true });
// The distribution's size budget: every provider's SDK together may add at most 5 MiB to Node.js itself.
const addedBytes = statSync(executable).size - strippedNodeBytes;
if (addedBytes > 5 * 1024 * 1024) {
  throw new Error(
    `build.mjs: the executable is ${(addedBytes / 1048576).toFixed(1)} MiB larger than its Node.js (budget: 5 MiB)`,
  );
}
// esbuild keeps `import('node:http')` as a real dynamic import in a CommonJS bundle, and the first one
// initialises Node's whole ESM loader: measured +60 ms on a run that probes the metadata service, paid
// again inside SDKs that do the same (`import('node:async_hooks')`). A builtin needs no loader, so each
// such import becomes a deferred require() (in a single executable, `require` loads exactly the builtins),
// with the module also as `default`, as import() would give it.
function requireNodeBuiltins(code) {
  const pattern = /\bimport\((["'])(node:[a-z_/]+)\1\)/g;
  return code.replace(
    pattern,
    (_, quote, name) =>
      `Promise.resolve().then(()=>{const m=require(${quote}${name}${quote});return{__proto__:m,default:m}})`,
  );
}

rmSync(seaConfig);
console.log(
  `built ${executable} (${(statSync(executable).size / 1e6).toFixed(1)} MB, ${(addedBytes / 1e6).toFixed(1)} MB over its Node.js) and ${bundle} in ${Date.now() - started} ms`,
);
