// The user-visible cost of cloud detection (issue #5): whole `secrets-exec detect` runs off-cloud (the
// metadata address refuses, or stays silent until the 300 ms budget), on a fake cloud (the loopback
// metadata fake answering as AWS or Google), and where no probe is sent (explicit --provider, or a
// platform variable decides), next to `--version` for the start-up alone. Loopback only: every run points
// SECRETS_EXEC_METADATA_URL at 127.0.0.1. Timed with async spawns so the fake, in this process, can answer.
import { median, printTable, timedRuns } from './measure.mjs';
import { startMetadataFake } from '../test/fakes/metadata.ts';

/** Median of `runs` runs after one warm-up, each expected to exit with `status`. */
async function timeRuns(argv, { env = {}, runs = 15, status = 0 } = {}) {
  const base = { PATH: '/usr/bin:/bin', AWS_EC2_METADATA_DISABLED: 'true', ...env };
  return median(await timedRuns(argv, base, { runs, status }));
}

export async function run({ binary }) {
  const refused = await startMetadataFake({ mode: 'refused' });
  const silent = await startMetadataFake({ clouds: ['aws'], mode: 'slow' });
  const aws = await startMetadataFake({ clouds: ['aws'] });
  const google = await startMetadataFake({ clouds: ['gcp'], foreign: 200 });
  try {
    const detect = [binary, 'detect'];
    const rows = [
      ['--version (start-up only)', [binary, '--version'], { SECRETS_EXEC_METADATA_URL: refused.url }, 0, 15],
      [
        'detect --provider vault,local (no probing)',
        [...detect, '--provider', 'vault,local'],
        { SECRETS_EXEC_METADATA_URL: refused.url },
        0,
        15,
      ],
      [
        'detect, AWS_LAMBDA_FUNCTION_NAME set (no probing)',
        detect,
        { SECRETS_EXEC_METADATA_URL: refused.url, AWS_LAMBDA_FUNCTION_NAME: 'f' },
        0,
        15,
      ],
      ['detect off-cloud: metadata address refuses', detect, { SECRETS_EXEC_METADATA_URL: refused.url }, 125, 15],
      [
        'detect off-cloud: metadata address silent (300 ms budget)',
        detect,
        { SECRETS_EXEC_METADATA_URL: silent.url },
        125,
        7,
      ],
      ['detect on a fake AWS (IMDSv2 answers)', detect, { SECRETS_EXEC_METADATA_URL: aws.url }, 0, 15],
      ['detect on a fake Google (200 to foreign paths)', detect, { SECRETS_EXEC_METADATA_URL: google.url }, 0, 15],
    ];
    const results = [];
    for (const [label, argv, env, status, runs] of rows)
      results.push([label, await timeRuns(argv, { env, status, runs })]);
    const base = results[0][1];
    printTable(
      ['run', 'median ms', 'over start-up ms'],
      results.map(([label, ms]) => [label, ms.toFixed(1), (ms - base).toFixed(1)]),
    );
    console.log(
      `\nrequests the silent fake saw: ${silent.requests.length}, ` +
        `all abandoned by the client: ${silent.requests.every((r) => r.clientLeft)}`,
    );
  } finally {
    await Promise.all([refused, silent, aws, google].map((f) => f.close()));
  }
}
