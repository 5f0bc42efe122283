// Start-up cost of the executable: `secrets-exec -- true` with no references and with 20
// local references, against `node -e 0` on the same pinned Node.js, as medians of 15 runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable, timeProcess } from './measure.mjs';

export async function run({ binary, bundle, node }) {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-bench-'));
  try {
    const store = join(dir, 'store.json');
    writeFileSync(
      store,
      JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, `value-${i}`]))),
    );
    const refs = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`VAR${i}`, `local://key${i}`]));
    const baseline = timeProcess([node, '-e', '0']);
    const rows = [
      ['node -e 0 (pinned Node.js)', baseline, {}],
      ['secrets-exec -- true (no references)', timeProcess([binary, '--', 'true']), {}],
      [
        'secrets-exec -- true (20 local references)',
        timeProcess([binary, '--local-file', store, '--', 'true'], { env: refs }),
        {},
      ],
      // Node's own variables make secrets-exec re-execute itself once without them.
      [
        'secrets-exec -- true (NODE_DEBUG set: one re-exec)',
        timeProcess([binary, '--', 'true'], { env: { NODE_DEBUG: 'net' } }),
        {},
      ],
      // The supervisor re-executes itself with the program's environment before spawning it.
      ['secrets-exec --supervise -- true', timeProcess([binary, '--supervise', '--', 'true']), {}],
      ['node secrets-exec.cjs -- true (bundle, no references)', timeProcess([node, bundle, '--', 'true']), {}],
    ];
    printTable(
      ['run', 'median ms', 'ratio to node -e 0'],
      rows.map(([name, ms]) => [name, ms.toFixed(1), (ms / baseline).toFixed(2)]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
