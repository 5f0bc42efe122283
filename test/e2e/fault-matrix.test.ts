// The fault matrix (test/support/fault-matrix.ts): every store × every fault, against the built executable.
// Semantic faults come from the fakes themselves; the others from a fault front between the executable and
// the fake (test/fakes/fault-front.ts). Each cell asserts the class and exit 125 (or the value), that
// `?optional` forgives NotFound only, the number of requests the store saw, that the deadline holds, that
// the message names the variable and the reference but no value nor any body text, and that no program ran.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTlsFiles, type TlsFiles } from '../fakes/vault-tls.js';
import { type Cell, MARKER, optional, runCell, STARTED } from '../support/fault-cell.js';
import { cells, FAULTS, MATRIX_PROVIDERS, type Outcome } from '../support/fault-matrix.js';
import { renderMatrix } from '../support/fault-matrix-doc.js';
import { VENDOR_FORMS } from '../support/fault-vendors.js';
import { AWS_SSM_SETUP, PROVIDER_SETUPS, type RunningSetup } from '../support/provider-setups.js';
import { ROOT } from '../support/run-binary.js';

let tls: TlsFiles;
let scratch: string;
beforeAll(() => {
  tls = generateTlsFiles();
  scratch = mkdtempSync(join(tmpdir(), 'fault-matrix-'));
});
afterAll(() => {
  tls.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function expectTries(cell: Cell, expected: Outcome['tries'], retryAfter: boolean): void {
  if (expected === 'once') expect(cell.tries).toBe(1);
  else if (expected === 'three') expect(cell.tries).toBe(3);
  else if (expected === 'four') expect(cell.tries).toBe(4);
  else {
    // Retried for as long as the deadline leaves time: past the four tries of other failures (the first
    // four waits are at most 1.5 s in all, under a 6 s deadline), or at least once where the store asks
    // for a second's wait each time; and no storm (the backoff starts at 100 ms).
    expect(cell.tries).toBeGreaterThanOrEqual(retryAfter ? 2 : 5);
    expect(cell.tries).toBeLessThan(60);
  }
}

const secs = (timeout: string): number => Number(timeout.replace(/s$/, '')) * 1000;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SETUPS = [...PROVIDER_SETUPS, AWS_SSM_SETUP];
describe.each(SETUPS.map((s) => [s.name, s] as const))('%s', (name, setup) => {
  let running: RunningSetup;
  beforeAll(async () => {
    running = await setup.start();
  });
  afterAll(() => running?.close());

  const mine = cells().filter((c) => c.provider === name);
  it.concurrent.each(mine.map((c) => [c.fault.name, c] as const))('%s', async (_fault, { fault, expect: want }) => {
    const cell = await runCell(name, running, fault, { tls, scratch });
    const context = `${name} × ${fault.name}:\n${cell.stderr.slice(-3000)}`;
    // The deadline holds (generously: this machine is shared).
    expect(cell.ms, context).toBeLessThan(secs(fault.timeout) + 8_000);
    expectTries(cell, want.tries, VENDOR_FORMS[name]?.throttleWaits === true);
    // No value and no body text in anything secrets-exec wrote.
    expect(cell.stderr).not.toContain(running.value);
    expect(cell.stderr).not.toContain(MARKER);
    expect(cell.stderr).not.toMatch(/-other-(password|6f20)/);
    if (want.kinds.includes('ok')) {
      expect(cell.status, context).toBe(0);
      expect(cell.stdout).toContain(`${STARTED} A=${running.value} O=${running.value}`);
      return;
    }
    expect(cell.status, context).toBe(125);
    expect(cell.stdout).not.toContain(STARTED);
    const kinds = want.kinds.join('|');
    const line = (variable: string, ref: string): RegExp =>
      new RegExp(`^secrets-exec: error: ${variable}: ${escape(ref)} via \\S+: (${kinds}): .+$`, 'm');
    expect(cell.stderr, context).toMatch(line('SECRET_A', cell.ref));
    if (fault.says) expect(cell.stderr, context).toMatch(fault.says);
    // ?optional forgives NotFound and nothing else.
    if (want.kinds.includes('NotFound')) {
      expect(cell.stderr, context).not.toMatch(/error: SECRET_O:/);
      expect(cell.stderr).toMatch(/debug: SECRET_O is left unset: \?optional and not found/);
    } else expect(cell.stderr, context).toMatch(line('SECRET_O', optional(cell.ref)));
  });
});

it('runs every store of the table, and the table shows every store run', () => {
  expect(SETUPS.map((s) => s.name).sort()).toEqual([...MATRIX_PROVIDERS].sort());
});

it('docs/fault-matrix.md shows the table the test runs', () => {
  const file = join(ROOT, 'docs', 'fault-matrix.md');
  const doc = readFileSync(file, 'utf8');
  const block = /<!-- matrix:start -->\n[\s\S]*?<!-- matrix:end -->/;
  const wanted = `<!-- matrix:start -->\n${renderMatrix()}\n<!-- matrix:end -->`;
  // To update it: FAULT_MATRIX_WRITE=1 npm test -- test/e2e/fault-matrix.test.ts -t docs
  if (process.env.FAULT_MATRIX_WRITE)
    writeFileSync(
      file,
      doc.replace(block, () => wanted),
    );
  else expect(block.exec(doc)?.[0]).toBe(wanted);
  expect(FAULTS.length).toBe(12);
});
