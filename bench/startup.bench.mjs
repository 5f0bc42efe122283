// Start-up cost of the executable: `secrets-exec -- true` with no references and with 20
// local references, against `node -e 0` on the same pinned Node.js, as medians of 21 interleaved rounds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable, timeInterleaved } from './measure.mjs';

export async function run({ binary, bundle, node }) {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-bench-'));
  try {
    const store = join(dir, 'store.json');
    writeFileSync(
      store,
      JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, `value-${i}`]))),
    );
    const refs = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`VAR${i}`, `local://key${i}`]));
    const cases = [
      ['node -e 0 (pinned Node.js)', [node, '-e', '0']],
      ['secrets-exec -- true (no references)', [binary, '--', 'true']],
      ['secrets-exec -- true (20 local references)', [binary, '--local-file', store, '--', 'true'], refs],
      // Node's own variables make secrets-exec re-execute itself once without them.
      ['secrets-exec -- true (NODE_DEBUG set: one re-exec)', [binary, '--', 'true'], { NODE_DEBUG: 'net' }],
      // The supervisor re-executes itself with the program's environment before spawning it.
      ['secrets-exec --supervise -- true', [binary, '--supervise', '--', 'true']],
      ['node secrets-exec.cjs -- true (bundle, no references)', [node, bundle, '--', 'true']],
    ];
    const medians = timeInterleaved(cases.map(([, argv, env]) => ({ argv, env })));
    const baseline = medians[0];
    const rows = cases.map(([name], i) => [name, medians[i]]);
    printTable(
      ['run', 'median ms', 'ratio to node -e 0'],
      rows.map(([name, ms]) => [name, ms.toFixed(1), (ms / baseline).toFixed(2)]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
