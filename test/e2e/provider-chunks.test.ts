// The executable keeps each provider's code in a chunk with a code cache made at build time by running
// that provider (docs/performance.md). A run that uses a provider loads its chunk, and V8 must accept the
// cache: a rejected one (another Node.js, other V8 flags) still works but silently loses the speed-up.
// A run without references loads no chunk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_SETUPS, type RunningSetup } from '../support/provider-setups.js';
import { runBinary } from '../support/run-binary.js';

const CHUNKED = PROVIDER_SETUPS.filter((s) => s.name !== 'local');
const running = new Map<string, RunningSetup>();
beforeAll(async () => {
  for (const setup of CHUNKED) running.set(setup.name, await setup.start());
}, 60_000);
afterAll(async () => {
  for (const r of running.values()) await r.close();
});

describe('provider chunks', () => {
  it.each(CHUNKED.map((s) => s.name))('%s: the chunk is loaded with its code cache accepted', async (name) => {
    const setup = running.get(name);
    if (setup === undefined) throw new Error(`no set-up for ${name}`);
    const result = await runBinary(['--log-level', 'debug', '--', 'sh', '-c', 'printf %s "$REF"'], {
      env: setup.env,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(setup.value);
    expect(result.stderr).toContain(`chunk ${name}: code cache accepted`);
    expect(result.stderr.match(/chunk \w+: code cache/g)).toEqual([`chunk ${name}: code cache`]);
  });

  it('a run without references loads no chunk', async () => {
    const result = await runBinary(['--log-level', 'debug', '--', 'true']);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('code cache');
  });
});
