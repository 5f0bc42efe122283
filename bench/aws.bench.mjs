// AWS fan-out and start-up (issue #3), against the loopback AWS fake (SigV4 verified on every request):
//   - the start-up added by loading the AWS SDK: one aws-sm:// (or aws-ssm://) reference answered at once,
//     against a run with no reference at all;
//   - 50 aws-sm:// references with 50 ms added to every AWS answer: time to exec, printed beside one
//     round trip plus start-up (what batching and parallel calls should give) and beside the sequential
//     cost of 50 × 50 ms.
// Timed with async spawns (medians), so that the fake in this process can answer while a run waits.
import { medianRun, printTable } from './measure.mjs';
import { importTs } from './ts-module.mjs';

export async function run({ binary }) {
  const { startAwsFake, awsTestEnv } = await importTs('test/fakes/aws.ts');
  const fake = await startAwsFake();
  try {
    for (let i = 0; i < 50; i++) fake.putSecret(`bench/s${i}`, `value-${i}`);
    fake.putParameter('/bench/p', 'param');
    const env = {
      PATH: '/usr/bin:/bin',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...awsTestEnv(fake),
    };
    const exec = [binary, '--', 'true'];
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`S${i}`, `aws-sm://bench/s${i}`]));

    const none = await medianRun(exec, env);
    const oneSm = await medianRun(exec, { ...env, S: 'aws-sm://bench/s0' });
    const oneSsm = await medianRun(exec, { ...env, P: 'aws-ssm:///bench/p' });
    const fiftyFast = await medianRun(exec, { ...env, ...fifty });
    fake.latencyMs = 50;
    const oneSlow = await medianRun(exec, { ...env, S: 'aws-sm://bench/s0' }, 9);
    fake.reset();
    fake.latencyMs = 50;
    const fiftySlow = await medianRun(exec, { ...env, ...fifty }, 9);
    const batchCalls = fake.count('secretsmanager.BatchGetSecretValue') / 10;

    printTable(
      ['run (secrets-exec -- true)', 'median ms', 'added to no references'],
      [
        ['no references (start-up only)', none.toFixed(1), '-'],
        [
          '1 aws-sm:// reference, 0 ms latency (Secrets Manager SDK load + 1 call)',
          oneSm.toFixed(1),
          (oneSm - none).toFixed(1),
        ],
        ['1 aws-ssm:// reference, 0 ms latency (SSM SDK load + 1 call)', oneSsm.toFixed(1), (oneSsm - none).toFixed(1)],
        ['50 aws-sm:// references, 0 ms latency', fiftyFast.toFixed(1), (fiftyFast - none).toFixed(1)],
        ['1 aws-sm:// reference, 50 ms latency', oneSlow.toFixed(1), (oneSlow - none).toFixed(1)],
        [
          `50 aws-sm:// references, 50 ms latency (${batchCalls} BatchGetSecretValue calls a run)`,
          fiftySlow.toFixed(1),
          (fiftySlow - none).toFixed(1),
        ],
      ],
    );
    console.log('');
    printTable(
      ['50 references at 50 ms a request', 'ms'],
      [
        ['measured time to exec', fiftySlow.toFixed(1)],
        ['one round trip + start-up (1 reference at 50 ms)', oneSlow.toFixed(1)],
        ['sequential cost 50 × 50 ms (latency alone)', '2500.0'],
        ['sequential estimate: start-up + 50 × 50 ms', (oneSm + 2500).toFixed(1)],
      ],
    );
  } finally {
    await fake.close();
  }
}
