// OCI Vault start-up and fan-out (issue #12), against the loopback OCI fake (every request's signature
// verified):
//   - the start-up added by Oracle's auth code and signer: one oci-vault:// reference answered at once,
//     per auth mode, against a run with no reference at all;
//   - 50 oci-vault:// references with 50 ms added to every answer: time to exec, beside one round trip
//     plus start-up (what parallel calls should give) and the sequential cost of 50 × 50 ms.
// Timed with async spawns (medians), so that the fake in this process can answer while a run waits.
import { median, printTable, timedRuns } from './measure.mjs';
import { importTs } from './ts-module.mjs';

// The fake and its helpers are TypeScript; esbuild turns them into modules this script can import.
async function loadFake() {
  return importTs(...['secrets', 'test-env', 'instance-certs'].map((f) => `test/fakes/oci/${f}.ts`));
}

/** Median of `runs` runs after one warm-up, and the fastest run (less sensitive to a busy machine). */
async function minAndMedian(argv, env, runs = 15) {
  const times = await timedRuns(argv, env, { runs });
  return { median: median(times), min: Math.min(...times) };
}

export async function run({ binary }) {
  const fakes = await loadFake();
  const { startOciFake, VAULT, makeOciKeys, apiKeyEnv, configFileEnv } = fakes;
  const { resourcePrincipalEnv, instancePrincipalEnv } = fakes;
  const fake = await startOciFake();
  const keys = makeOciKeys(fake);
  try {
    const ids = Array.from({ length: 50 }, (_, i) => fake.putSecret(VAULT, `s${i}`, `value-${i}`));
    fake.serveInstance(fakes.generateInstanceIdentity());
    const base = { PATH: '/usr/bin:/bin', SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:1' };
    const exec = [binary, '--', 'true'];
    const one = { S: `oci-vault://${ids[0]}` };
    const fifty = Object.fromEntries(ids.map((id, i) => [`S${i}`, `oci-vault://${id}`]));

    const none = await minAndMedian(exec, base);
    const apiKey = await minAndMedian(exec, { ...base, ...apiKeyEnv(fake, keys), ...one });
    const config = await minAndMedian(exec, { ...base, ...configFileEnv(fake, keys), ...one });
    const resource = await minAndMedian(exec, { ...base, ...resourcePrincipalEnv(fake, keys), ...one });
    const instance = await minAndMedian(exec, { ...base, ...instancePrincipalEnv(fake), ...one }, 9);
    const fiftyFast = await minAndMedian(exec, { ...base, ...apiKeyEnv(fake, keys), ...fifty }, 9);
    fake.latencyMs = 50;
    const oneSlow = await minAndMedian(exec, { ...base, ...apiKeyEnv(fake, keys), ...one }, 9);
    fake.reset();
    fake.latencyMs = 50;
    const fiftySlow = await minAndMedian(exec, { ...base, ...apiKeyEnv(fake, keys), ...fifty }, 9);
    const peak = fake.peakInFlight;

    const added = (t, key) => (t[key] - none[key]).toFixed(1);
    const row = (label, t) => [label, t.median.toFixed(1), added(t, 'median'), added(t, 'min')];
    printTable(
      ['run (secrets-exec -- true)', 'median ms', 'added (median)', 'added (fastest runs)'],
      [
        ['no references (start-up only)', none.median.toFixed(1), '-', '-'],
        row('1 oci-vault:// reference, API key from OCI_CLI_* (0 ms latency)', apiKey),
        row('1 oci-vault:// reference, API key from the config file', config),
        row('1 oci-vault:// reference, resource principal v2.2', resource),
        row('1 oci-vault:// reference, instance principal (metadata + federation)', instance),
        row('50 oci-vault:// references, API key, 0 ms latency', fiftyFast),
        row('1 oci-vault:// reference, API key, 50 ms latency', oneSlow),
        row(`50 oci-vault:// references, API key, 50 ms latency (${peak} requests at once at most)`, fiftySlow),
      ],
    );
    console.log('');
    printTable(
      ['50 references at 50 ms a request', 'ms'],
      [
        ['measured time to exec', fiftySlow.median.toFixed(1)],
        ['one round trip + start-up (1 reference at 50 ms)', oneSlow.median.toFixed(1)],
        ['sequential cost 50 × 50 ms (latency alone)', '2500.0'],
        ['sequential estimate: start-up + 50 × 50 ms', (apiKey.median + 2500).toFixed(1)],
      ],
    );
  } finally {
    await fake.close();
    keys.remove();
  }
}
