// `npm test`: builds the executable, then runs the whole vitest suite inside a fresh network namespace
// in which only loopback is up: a request to a metadata service or a cloud API that
// slips past the fakes fails at once instead of leaving the machine. Prints a closing
// "N passed, N failed" line for CI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

if (process.env.SECRETS_EXEC_SKIP_BUILD !== '1') {
  execFileSync(process.execPath, [join(root, 'build.mjs')], { stdio: 'inherit', cwd: root });
}

const probe = spawnSync('unshare', ['-n', 'true']);
if (probe.status !== 0) {
  console.error('npm test needs `unshare -n` (run as root, or in a container that allows user namespaces)');
  process.exit(1);
}

const reportDir = mkdtempSync(join(tmpdir(), 'secrets-exec-test-'));
const report = join(reportDir, 'report.json');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const inner = 'ip link set lo up && exec "$0" "$@"';
const result = spawnSync(
  'unshare',
  [
    '-n',
    '--',
    'sh',
    '-c',
    inner,
    process.execPath,
    vitest,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...args,
  ],
  {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' },
  },
);

let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTotalTests: 0 };
try {
  summary = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.error('vitest wrote no report');
}
rmSync(reportDir, { recursive: true, force: true });
const failed = summary.numFailedTests + (result.status !== 0 && summary.numFailedTests === 0 ? 1 : 0);
console.log(`\n${summary.numPassedTests} passed, ${failed} failed, ${summary.numPendingTests} skipped`);
process.exit(result.status === 0 && summary.numTotalTests > 0 ? 0 : 1);
