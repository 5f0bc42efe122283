// Makes each provider chunk's code cache (scripts/chunks.mjs) by running the warm-up build of secrets-exec
// (`main-warm.cjs`, chunks read from files beside it) with the target's Node.js against each provider's
// loopback fake, the set-ups the tests use (test/support/provider-setups.ts). Before it execs, that build
// writes the code cache of every chunk it compiled, now holding the functions the run called. A second run
// of one chunk would start from the first one's cache and add to it (the warm-up build reads it back).
// Loopback only: every set-up gives explicit credentials and endpoints on 127.0.0.1, metadata probes are off.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { importTs } from '../bench/ts-module.mjs';

const BASE_ENV = { PATH: '/usr/bin:/bin', AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' };

/** Runs one build-time warm-up process: silent, unless it fails (then its stderr is in the error). */
export function runAsync(argv, env, what = 'warm-up run') {
  return new Promise((done, fail) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (status) =>
      status === 0 ? done() : fail(new Error(`${what} exited ${status}: ${stderr.slice(0, 2000)}`)),
    );
  });
}

// Chunks whose cache comes from compiling the script without running it (top-level code only): Vault's AWS
// login is one login method of one provider, and its cache after a run (435 kB) does not fit the size budget.
const COMPILED_ONLY = new Set(['vault-aws-login']);

// Made by the target's Node.js, like every code cache: V8 rejects a cache from another version or architecture.
const COMPILE = `const vm=require('node:vm'),fs=require('node:fs'),[,src,name,out]=process.argv;
fs.writeFileSync(out,new vm.Script(fs.readFileSync(src,'utf8'),{filename:'secrets-exec:'+name}).createCachedData())`;

/** Runs the warm-up build once per chunk in `dir`; fails when a chunk got no code cache. */
export async function warmChunks({ dir, names, nodeCommand }) {
  const { PROVIDER_SETUPS, AWS_SSM_SETUP } = await importTs('test/support/provider-setups.ts');
  for (const name of names) {
    if (COMPILED_ONLY.has(name)) {
      await runAsync(nodeCommand(['-e', COMPILE, join(dir, `${name}.js`), name, join(dir, `${name}.cache`)]), BASE_ENV);
      continue;
    }
    const warm = (env) => runAsync(nodeCommand([join(dir, 'main-warm.cjs'), '--', 'true']), { ...BASE_ENV, ...env });
    // Vault's commonest run first (a token), then the set-up's AppRole login, which adds to that cache.
    if (name === 'vault') await warmVaultToken(warm);
    const setup = PROVIDER_SETUPS.find((s) => s.name === name);
    if (setup === undefined) throw new Error(`warm-chunks.mjs: no set-up for chunk ${name}`);
    await warmWith(warm, setup);
    // The AWS chunk holds both services: an SSM read adds Parameter Store's client to the same cache.
    if (name === 'aws') await warmWith(warm, AWS_SSM_SETUP);
    if (!existsSync(join(dir, `${name}.cache`))) throw new Error(`warm-chunks.mjs: no code cache for ${name}`);
  }
}

// A read with VAULT_TOKEN from the loopback fake Vault.
async function warmVaultToken(warm) {
  const { startFakeVault } = await importTs('test/fakes/vault.ts');
  const vault = await startFakeVault();
  try {
    vault.mountKv('secret', 2);
    vault.putSecret('secret', 'app/db', { password: 'warm-up' });
    vault.putPolicy('app', { 'secret/data/app/*': ['read'] });
    const token = vault.issueToken({ policies: ['app'] });
    await warm({ VAULT_ADDR: vault.url, VAULT_TOKEN: token, REF: 'vault://secret/app/db#password' });
  } finally {
    await vault.close();
  }
}

// A run of the chunk with a set-up's reference, adding what it calls to the cache.
async function warmWith(warm, setup) {
  const started = await setup.start();
  try {
    // Only the provider's own reference: the set-up's local store is in the main script.
    const { SECRETS_EXEC_LOCAL_FILE: _file, WARN_REF: _warn, ...env } = started.env;
    await warm(env);
  } finally {
    await started.close();
  }
}
