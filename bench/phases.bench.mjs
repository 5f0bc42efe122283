// Where start-up goes, per provider: one reference answered at once by each provider's loopback fake (the
// set-ups of test/support/provider-setups.ts). Two measurements, in the same run:
//   - whole-process wall time of the release executable (`secrets-exec -- true`), medians, as ratios to
//     `node -e 0` and as time added to the no-reference run;
//   - the phases of a benchmark build that logs timings (scripts/timing-probe.mjs): Node's own boot up to
//     the bundle's first line, secrets-exec's work before the provider loads, the provider's load (module
//     evaluation and SDK), authentication (up to the request that fetches the value), that request, and
//     what follows it up to exec (closing clients, revoking a login token).
import { rmSync } from 'node:fs';
import { median, printTable, runTimed } from './measure.mjs';
import { buildTimingExecutable, phasesOf } from './timing-build.mjs';
import { importTs } from './ts-module.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 11);

const BASE_ENV = { PATH: '/usr/bin:/bin', AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' };
const fmt = (v) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(1));

export async function run({ binary, node }) {
  const { PROVIDER_SETUPS } = await importTs('test/support/provider-setups.ts');
  const timing = buildTimingExecutable();
  const running = [];
  try {
    const cases = [{ name: 'none', env: {} }];
    for (const setup of PROVIDER_SETUPS) {
      const started = await setup.start();
      running.push(started);
      // Only the provider's own reference: the set-up's local store would load a second provider.
      const { SECRETS_EXEC_LOCAL_FILE: file, WARN_REF: _warn, ...env } = started.env;
      cases.push({ name: setup.name, env: setup.name === 'local' ? { ...env, SECRETS_EXEC_LOCAL_FILE: file } : env });
    }
    const wall = new Map(cases.map((c) => [c.name, []]));
    const phases = new Map(cases.map((c) => [c.name, []]));
    const baseline = [];
    // Rounds interleave every case, so that the machine's noise falls on all of them alike.
    for (let round = 0; round <= RUNS; round++) {
      const b = await runTimed([node, '-e', '0'], BASE_ENV);
      for (const c of cases) {
        const env = { ...BASE_ENV, ...c.env };
        const w = await runTimed([binary, '--', 'true'], env);
        const t = await runTimed([timing.binary, '--', 'true'], env);
        if (round === 0) continue; // warm-up
        wall.get(c.name).push(w.ms);
        phases.get(c.name).push(phasesOf(t.stderr));
      }
      if (round > 0) baseline.push(b.ms);
    }
    const base = median(baseline);
    const none = median(wall.get('none'));
    console.log(`node -e 0: ${base.toFixed(1)} ms (median of ${RUNS})\n`);
    const rows = cases.map((c) => {
      const ms = median(wall.get(c.name));
      const p = (key) => {
        const values = phases
          .get(c.name)
          .map((x) => x[key])
          .filter((v) => v !== undefined);
        return values.length ? median(values) : undefined;
      };
      return [
        c.name === 'none' ? 'no reference' : c.name,
        fmt(ms),
        (ms / base).toFixed(2),
        c.name === 'none' ? '-' : `+${fmt(ms - none)}`,
        fmt(p('boot')),
        fmt(p('beforeLoad')),
        fmt(p('load')),
        fmt(p('auth')),
        fmt(p('request')),
        fmt(p('afterFetch')),
        fmt(p('toExec')),
        fmt(p('requests')),
      ];
    });
    printTable(
      [
        'run',
        'wall ms',
        '× node -e 0',
        'added',
        'Node boot',
        'before load',
        'load',
        'auth',
        'request',
        'after',
        'to exec',
        'requests',
      ],
      rows,
    );
  } finally {
    for (const r of running) await r.close();
    rmSync(timing.dir, { recursive: true, force: true });
  }
}
