// The executable keeps the SDK-based providers' code in chunks, each with a code cache made at build time by
// running it (docs/performance.md). A run that uses such a provider loads its chunk, and V8 must accept the
// cache: a rejected one (another Node.js, other V8 flags) still works but silently loses the speed-up.
// The local store (no SDK, little code) stays in the core, and a run without references loads no chunk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVault } from '../fakes/vault.js';
import { PROVIDER_SETUPS, type RunningSetup } from '../support/provider-setups.js';
import { runBinary } from '../support/run-binary.js';

const IN_MAIN = ['local'];
const running = new Map<string, RunningSetup>();
beforeAll(async () => {
  for (const setup of PROVIDER_SETUPS) running.set(setup.name, await setup.start());
}, 60_000);
afterAll(async () => {
  for (const r of running.values()) await r.close();
});

async function debugRun(env: Record<string, string>): Promise<{ value: string; chunks: string[] }> {
  const result = await runBinary(['--log-level', 'debug', '--', 'sh', '-c', 'printf %s "$REF"'], { env });
  expect(result.status).toBe(0);
  return { value: result.stdout, chunks: result.stderr.match(/chunk [\w-]+: code cache \w+/g) ?? [] };
}

describe('provider chunks', () => {
  it.each(PROVIDER_SETUPS.map((s) => s.name))('%s: the code cache of its chunk is accepted', async (name) => {
    const setup = running.get(name);
    if (setup === undefined) throw new Error(`no set-up for ${name}`);
    const { value, chunks } = await debugRun(setup.env);
    expect(value).toBe(setup.value);
    expect(chunks).toEqual(IN_MAIN.includes(name) ? [] : [`chunk ${name}: code cache accepted`]);
  });

  // Node.js's fetch implementation costs 35–55 ms to load (src/resolve/load-notes.ts): only the providers whose
  // vendor library sends its own requests through fetch may load it. IBM's axios probed for it when evaluated,
  // and Google's auth library builds fetch Headers for its requests (scripts/vendor-load.mjs changes both).
  // node:http costs ≈ 7 ms more than a request written on a socket: Vault and AWS (without a proxy) do without it.
  const LOADS_FETCH: string[] = [];
  const LOADS_NODE_HTTP = ['ibm', 'gcp', 'oci'];
  it.each(PROVIDER_SETUPS.map((s) => s.name))(
    "%s: loads Node's fetch implementation only if it sends with fetch, node:http only if it sends with it",
    async (name) => {
      const setup = running.get(name);
      if (setup === undefined) throw new Error(`no set-up for ${name}`);
      const result = await runBinary(['--log-level', 'debug', '--', 'true'], { env: setup.env });
      expect(result.status).toBe(0);
      expect(result.stderr.includes('node: fetch implementation (undici) loaded')).toBe(LOADS_FETCH.includes(name));
      expect(result.stderr.includes('node: HTTP client (node:http) loaded')).toBe(LOADS_NODE_HTTP.includes(name));
    },
  );

  it("Vault's AWS login is a chunk of its own, loaded by the Vault chunk for that login method only", async () => {
    const vault = await startFakeVault();
    try {
      vault.mountKv('secret', 2);
      vault.putSecret('secret', 'app/db', { password: 'chunk-aws-login-5e1' });
      vault.putPolicy('app', { 'secret/data/app/*': ['read'] });
      const credentials = { accessKeyId: 'AKIDCHUNKTEST', secretAccessKey: 'chunk-test-secret-key' };
      vault.enableAws({ role: 'app', arn: 'arn:aws:iam::123456789012:role/app', credentials, policies: ['app'] });
      const { value, chunks } = await debugRun({
        VAULT_ADDR: vault.url,
        SECRETS_EXEC_VAULT_AUTH: 'aws',
        SECRETS_EXEC_VAULT_ROLE: 'app',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        REF: 'vault://secret/app/db#password',
      });
      expect(value).toBe('chunk-aws-login-5e1');
      expect(chunks).toEqual(['chunk vault: code cache accepted', 'chunk vault-aws-login: code cache accepted']);
    } finally {
      await vault.close();
    }
  });

  it("a run without references loads no chunk; the core's code cache (made at build time) is accepted", async () => {
    const result = await runBinary(['--log-level', 'debug', '--', 'true']);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/chunk [\w-]+: code cache/);
    expect(result.stderr).toContain('core: code cache accepted');
  });
});
