// The executable's core as an asset (docs/performance.md, "The core"): the SEA's main script becomes a loader of
// a few lines that compiles the core (the main script secrets-exec would otherwise be) from an asset, with a code
// cache made after build-time runs of it, so that the functions every start calls (argument parsing, the
// environment scan, resolution, logging, exec) come compiled. Node.js makes the main script's own cache by
// compiling it without running it: that cache holds top-level code only.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAsync } from './warm-chunks.mjs';

const FILENAME = 'secrets-exec:core';
const ARGS = 'exports,require,module,__filename,__dirname';

/** The core's script: the main script's CommonJS code (without its #! line) as one function expression. */
export function wrapCore(code) {
  return `(function(${ARGS}){${code.replace(/^#!.*\n/, '')}\n})`;
}

/** The SEA's main script: compiles the core from the executable's assets with its code cache, then runs it. */
export const seaCoreLoader = `const sea=require('node:sea');
const script=new (require('node:vm').Script)(sea.getAsset('core.js','utf8'),
{filename:${JSON.stringify(FILENAME)},cachedData:new Uint8Array(sea.getAsset('core.cache'))});
globalThis[Symbol.for('secrets-exec.core-cache')]=script.cachedDataRejected?'rejected':'accepted';
script.runInThisContext()(${ARGS});
`;

// The warm-up loader (files beside it): reads back the cache earlier runs made and, just before the run execs,
// writes the cache again, now holding what this run compiled too.
const warmCoreLoader = `const fs=require('node:fs'),path=require('node:path');
const file=(ext)=>path.join(__dirname,'core'+ext);
const cachedData=fs.existsSync(file('.cache'))?fs.readFileSync(file('.cache')):undefined;
const script=new (require('node:vm').Script)(fs.readFileSync(file('.js'),'utf8'),
{filename:${JSON.stringify(FILENAME)},cachedData});
const ex=process.execve;process.execve=function(...a){fs.writeFileSync(file('.cache'),script.createCachedData());
return ex.apply(this,a)};
script.runInThisContext()(${ARGS});
`;

/**
 * Writes `core.js` and `core.cache` into `dir`: the cache after a run with no reference and one with a
 * local:// reference (every start's path, and resolution's), made by the target's Node.js.
 */
export async function warmCore({ dir, code, nodeCommand }) {
  writeFileSync(join(dir, 'core.js'), wrapCore(code));
  writeFileSync(join(dir, 'core-warm.cjs'), warmCoreLoader);
  const store = mkdtempSync(join(tmpdir(), 'core-warm-'));
  try {
    const file = join(store, 'local.json');
    writeFileSync(file, JSON.stringify({ db: { password: 'warm-up' } }));
    const base = { PATH: '/usr/bin:/bin', AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' };
    const run = (env) =>
      runAsync(nodeCommand([join(dir, 'core-warm.cjs'), '--', 'true']), { ...base, ...env }, 'core warm-up run');
    await run({});
    await run({ SECRETS_EXEC_LOCAL_FILE: file, REF: 'local://db#password' });
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
  if (!existsSync(join(dir, 'core.cache'))) throw new Error('core-asset.mjs: no code cache for the core');
  // The Node.js that made the cache must take it back (a rejected cache would run, only slower).
  await runAsync(nodeCommand(['-e', CHECK, join(dir, 'core.js'), join(dir, 'core.cache')]), { PATH: '/usr/bin:/bin' });
}

const CHECK = `const fs=require('node:fs'),[,src,cache]=process.argv;
const s=new (require('node:vm').Script)(fs.readFileSync(src,'utf8'),
{filename:${JSON.stringify(FILENAME)},cachedData:fs.readFileSync(cache)});
if(s.cachedDataRejected)throw new Error('the core code cache was rejected')`;
