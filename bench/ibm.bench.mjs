// IBM Secrets Manager start-up and fan-out (issue #13), against the loopback fakes (IAM token endpoint and
// Secrets Manager v2; every bearer token verified):
//   - the start-up added by one ibm-sm:// reference answered at once (ibm-cloud-sdk-core evaluated, one
//     IAM token request, one GET), against a run with no reference at all; also with a bearer token
//     (no IAM round trip), and how long the core took to load and build its client (the debug log);
//   - 50 ibm-sm:// references with 50 ms added to every answer (IAM's too): time to exec, beside one
//     reference at 50 ms and the sequential cost of 50 × 50 ms.
// Timed with async spawns (medians), so that the fakes in this process can answer while a run waits.
import { median, medianRun, printTable, runTimed } from './measure.mjs';
import { importTs } from './ts-module.mjs';

export async function run({ binary }) {
  const { startIbmFakes, ibmTestEnv, IBM_TEST } = await importTs('test/fakes/ibm/index.ts');
  const fakes = await startIbmFakes();
  try {
    const put = (i) => fakes.sm.putSecret({ type: 'arbitrary', name: `bench-${i}`, fields: { payload: `value-${i}` } });
    const ids = Array.from({ length: 50 }, (_, i) => put(i).id);
    const env = { PATH: '/usr/bin:/bin', SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:1', ...ibmTestEnv(fakes) };
    const bearerEnv = {
      PATH: env.PATH,
      SECRETS_MANAGER_URL: fakes.sm.url,
      SECRETS_MANAGER_AUTH_TYPE: 'bearerToken',
      SECRETS_MANAGER_BEARER_TOKEN: fakes.issuer.issue(IBM_TEST.serviceId, 'bench', 7200),
    };
    const exec = [binary, '--', 'true'];
    const one = { S: `ibm-sm://${ids[0]}` };
    const fifty = Object.fromEntries(ids.map((id, i) => [`S${i}`, `ibm-sm://${id}`]));

    const none = await medianRun(exec, env);
    const oneFast = await medianRun(exec, { ...env, ...one });
    const oneBearer = await medianRun(exec, { ...bearerEnv, ...one });
    const loads = [];
    for (let i = 0; i < 9; i++) {
      const { stderr } = await runTimed([binary, '--log-level', 'debug', '--', 'true'], { ...env, ...one });
      const ms = /Secrets Manager client ready.*\bms=(\d+)/.exec(stderr)?.[1];
      if (ms !== undefined) loads.push(Number(ms));
    }
    const fiftyFast = await medianRun(exec, { ...env, ...fifty });
    fakes.sm.latencyMs = 50;
    fakes.iam.latencyMs = 50;
    const oneSlow = await medianRun(exec, { ...env, ...one }, 9);
    const fiftySlow = await medianRun(exec, { ...env, ...fifty }, 9);

    const row = (label, ms) => [label, ms.toFixed(1), (ms - none).toFixed(1)];
    printTable(
      ['run (secrets-exec -- true)', 'median ms', 'added to no references'],
      [
        ['no references (start-up only)', none.toFixed(1), '-'],
        row('1 ibm-sm:// reference, 0 ms latency (core load + IAM token + 1 GET)', oneFast),
        row('1 ibm-sm:// reference, bearer token (core load + 1 GET)', oneBearer),
        ['  of which: loading ibm-cloud-sdk-core, building the client (debug log)', median(loads).toFixed(1), ''],
        row('50 ibm-sm:// references, 0 ms latency', fiftyFast),
        row('1 ibm-sm:// reference, 50 ms latency (IAM + GET: 2 round trips)', oneSlow),
        row('50 ibm-sm:// references, 50 ms latency (1 token, 50 GETs in parallel)', fiftySlow),
      ],
    );
    console.log('');
    printTable(
      ['50 references at 50 ms a request', 'ms'],
      [
        ['measured time to exec', fiftySlow.toFixed(1)],
        ['one reference at 50 ms (token + read) + start-up', oneSlow.toFixed(1)],
        ['sequential estimate: start-up + token + 50 × 50 ms', (oneFast + 50 + 2500).toFixed(1)],
      ],
    );
  } finally {
    await fakes.close();
  }
}
