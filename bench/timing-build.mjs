// Builds the benchmark-only executable with phase timings (scripts/timing-probe.mjs) into a temporary
// folder, and reads the `SE-TIMING` lines one of its runs wrote to stderr.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './ts-module.mjs';

/** Builds the timing executable; returns its path (the caller removes `dir`). */
export function buildTimingExecutable() {
  return buildBenchExecutable({ SECRETS_EXEC_TIMINGS: '1' });
}

/** Builds a benchmark-only executable with the given build variables into a temporary folder. */
export function buildBenchExecutable(variables) {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-bench-build-'));
  execFileSync(process.execPath, [join(root, 'build.mjs')], {
    env: { ...process.env, ...variables, SECRETS_EXEC_DIST_DIR: dir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { dir, binary: join(dir, 'secrets-exec') };
}

/** The phases of one run, in ms, from its stderr; undefined fields when the run had no such phase. */
export function phasesOf(stderr) {
  const marks = stderr
    .split('\n')
    .filter((l) => l.startsWith('SE-TIMING '))
    .map((l) => JSON.parse(l.slice('SE-TIMING '.length)));
  const first = (e) => marks.find((m) => m.e === e)?.t;
  const last = (e) => marks.findLast((m) => m.e === e)?.t;
  const main = first('main');
  const exec = last('exec');
  const loadStart = first('load-start');
  const loadEnd = last('load-end');
  const fetchEnd = last('fetch-end');
  // The request that fetched the value is the last one started before the batch ended; any request
  // before it (a token, a login) counts as authentication, with the credential work around it.
  const dataRequest = marks.filter((m) => m.e === 'req-start' && m.t <= (fetchEnd ?? 0)).at(-1)?.t;
  // Module evaluation (the SDK's, mostly) from the provider's load to the value, wherever it happened.
  const inResolution = (m) => m.t >= (loadStart ?? Infinity) && m.t <= (fetchEnd ?? 0);
  const evaluated = (until) =>
    marks.filter((m) => m.e === 'eval' && inResolution(m) && m.t <= until).reduce((sum, m) => sum + m.d, 0);
  const requests = marks.filter((m) => m.e === 'req-start').length;
  return {
    boot: main,
    beforeLoad: loadStart === undefined ? undefined : loadStart - main,
    load: loadStart === undefined ? undefined : loadEnd - loadStart + evaluated(Infinity) - evaluated(loadEnd),
    auth: dataRequest === undefined ? undefined : dataRequest - loadEnd - (evaluated(dataRequest) - evaluated(loadEnd)),
    request:
      dataRequest === undefined ? undefined : fetchEnd - dataRequest - (evaluated(Infinity) - evaluated(dataRequest)),
    afterFetch: fetchEnd === undefined ? undefined : exec - fetchEnd,
    toExec: exec,
    requests,
  };
}
