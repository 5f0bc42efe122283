// Google Secret Manager start-up and fan-out (issue #11), against the loopback Google fakes (the OAuth
// fake verifies the RS256 assertion of a test service-account key; Secret Manager checks the bearer):
//   - the start-up added by one gcp-sm:// reference answered at once, against a run with no reference:
//     with a key file (google-auth-library loaded, an assertion signed, one token request, one access)
//     and in emulator mode (no credentials: the REST client alone);
//   - 50 gcp-sm:// references with 50 ms added to every answer (token endpoint and Secret Manager): time
//     to exec, beside one reference at 50 ms (token + access: two round trips) and the sequential cost.
// Timed with async spawns (medians), so that the fakes in this process can answer while a run waits.
import { medianRun, printTable } from './measure.mjs';
import { importTs } from './ts-module.mjs';

// The fakes are TypeScript (test/fakes/); esbuild turns them into modules this script can import.
async function loadFakes() {
  const { generateTlsFiles } = await importTs('test/fakes/vault-tls.ts');
  return { ...(await importTs('test/fakes/gcp/google.ts')), generateTlsFiles };
}

export async function run({ binary }) {
  const { startGoogleFakes, TEST_PROJECT, generateTlsFiles } = await loadFakes();
  const fakes = await startGoogleFakes();
  const tls = generateTlsFiles();
  const tlsFakes = await startGoogleFakes({ tls: { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey) } });
  try {
    for (let i = 0; i < 50; i++) tlsFakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/s${i}`, `value-${i}`);
    for (let i = 0; i < 50; i++) fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/s${i}`, `value-${i}`);
    const base = {
      PATH: '/usr/bin:/bin',
      METADATA_SERVER_DETECTION: 'none',
      SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:1',
    };
    const keyEnv = { ...base, ...fakes.keyFileEnv() };
    const emulatorEnv = { ...base, SECRET_MANAGER_EMULATOR_HOST: fakes.sm.host, GOOGLE_CLOUD_PROJECT: TEST_PROJECT };
    const exec = [binary, '--', 'true'];
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`S${i}`, `gcp-sm://s${i}`]));

    const none = await medianRun(exec, base);
    const oneKey = await medianRun(exec, { ...keyEnv, S: 'gcp-sm://s0' });
    fakes.sm.emulator = true;
    const oneEmulator = await medianRun(exec, { ...emulatorEnv, S: 'gcp-sm://s0' });
    fakes.sm.emulator = false;
    const fiftyFast = await medianRun(exec, { ...keyEnv, ...fifty });
    fakes.sm.latencyMs = 50;
    fakes.oauth.latencyMs = 50;
    const oneSlow = await medianRun(exec, { ...keyEnv, S: 'gcp-sm://s0' }, 9);
    fakes.sm.requests.length = 0;
    const fiftySlow = await medianRun(exec, { ...keyEnv, ...fifty }, 9);
    const calls = fakes.sm.requests.length / 10;
    // The same over https: HTTP/2, one connection for the 50 streams.
    tlsFakes.sm.latencyMs = 50;
    tlsFakes.oauth.latencyMs = 50;
    const tlsEnv = { ...base, ...tlsFakes.keyFileEnv(), SECRETS_EXEC_CA_FILE: tls.caCert };
    const fiftyH2 = await medianRun(exec, { ...tlsEnv, ...fifty }, 9);
    const h2Connections = tlsFakes.sm.connections() / 10;

    printTable(
      ['run (secrets-exec -- true)', 'median ms', 'added to no references'],
      [
        ['no references (start-up only)', none.toFixed(1), '-'],
        [
          '1 gcp-sm:// reference, key file, 0 ms latency (auth library + token + 1 access)',
          oneKey.toFixed(1),
          (oneKey - none).toFixed(1),
        ],
        [
          '1 gcp-sm:// reference, emulator mode, 0 ms latency (REST client only)',
          oneEmulator.toFixed(1),
          (oneEmulator - none).toFixed(1),
        ],
        ['50 gcp-sm:// references, key file, 0 ms latency', fiftyFast.toFixed(1), (fiftyFast - none).toFixed(1)],
        ['1 gcp-sm:// reference, 50 ms latency (token + access)', oneSlow.toFixed(1), (oneSlow - none).toFixed(1)],
        [
          `50 gcp-sm:// references, 50 ms latency (${calls} access calls a run)`,
          fiftySlow.toFixed(1),
          (fiftySlow - none).toFixed(1),
        ],
        [
          `50 gcp-sm:// references over https, 50 ms latency (HTTP/2, ${h2Connections} connection(s) a run)`,
          fiftyH2.toFixed(1),
          (fiftyH2 - none).toFixed(1),
        ],
      ],
    );
    console.log('');
    printTable(
      ['50 references at 50 ms a request', 'ms'],
      [
        ['measured time to exec', fiftySlow.toFixed(1)],
        ['start-up + 2 round trips (token, then all accesses at once)', (oneKey + 100).toFixed(1)],
        ['one reference at 50 ms (token + access)', oneSlow.toFixed(1)],
        ['sequential estimate: start-up + token + 50 × 50 ms', (oneKey + 50 + 2500).toFixed(1)],
      ],
    );
  } finally {
    await Promise.all([fakes.close(), tlsFakes.close()]);
    tls.remove();
  }
}
