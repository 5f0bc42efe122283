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
import { cells, FAULTS, type FaultName, MATRIX_PROVIDERS, type Outcome } from '../support/fault-matrix.js';
import { renderLoginMatrix, renderMatrix } from '../support/fault-matrix-doc.js';
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
const running = new Map<string, RunningSetup>();
beforeAll(async () => {
  const started = await Promise.all(SETUPS.map(async (s) => [s.name, await s.start()] as const));
  for (const [name, setup] of started) running.set(name, setup);
}, 60_000);
afterAll(() => Promise.all([...running.values()].map((r) => r.close())));

// One flat list, the cells that wait longest first: they overlap the quick ones instead of ending the run.
const WAITS: Partial<Record<FaultName, number>> = {
  'throttled forever': 3,
  'throttled, then ok': 2,
  'slow past the deadline': 2,
};
const ordered = cells().sort((a, b) => (WAITS[b.fault.name] ?? 0) - (WAITS[a.fault.name] ?? 0));

describe('fault matrix', () => {
  it.concurrent.each(ordered.map((c) => [`${c.provider} × ${c.at}: ${c.fault.name}`, c] as const))(
    '%s',
    async (_name, matrixCell) => {
      const name = matrixCell.provider;
      const store = running.get(name);
      if (!store) throw new Error(`${name} did not start`);
      const { at, fault, expect: want } = matrixCell;
      const cell = await runCell(matrixCell, store, { tls, scratch });
      const context = `${name} × ${at}: ${fault.name}:\n${cell.stderr.slice(-3000)}`;
      // The deadline holds (generously: this machine is shared).
      expect(cell.ms, context).toBeLessThan(secs(fault.timeout) + 8_000);
      const vendor = VENDOR_FORMS[name];
      expectTries(cell, want.tries, (at === 'read' ? vendor?.throttleWaits : vendor?.login?.throttleWaits) === true);
      // No value and no body text in anything secrets-exec wrote.
      expect(cell.stderr).not.toContain(store.value);
      expect(cell.stderr).not.toContain(MARKER);
      expect(cell.stderr).not.toMatch(/-other-(password|6f20)/);
      if (want.kinds.includes('ok')) {
        expect(cell.status, context).toBe(0);
        expect(cell.stdout).toContain(`${STARTED} A=${store.value} O=${store.value}`);
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
    },
  );
});

it('runs every store of the table, and the table shows every store run', () => {
  expect(SETUPS.map((s) => s.name).sort()).toEqual([...MATRIX_PROVIDERS].sort());
});

it('docs/fault-matrix.md shows the tables the test runs', () => {
  const file = join(ROOT, 'docs', 'fault-matrix.md');
  let doc = readFileSync(file, 'utf8');
  for (const [name, render] of [
    ['matrix', renderMatrix],
    ['login-matrix', renderLoginMatrix],
  ] as const) {
    const block = new RegExp(`<!-- ${name}:start -->\\n[\\s\\S]*?<!-- ${name}:end -->`);
    const wanted = `<!-- ${name}:start -->\n${render()}\n<!-- ${name}:end -->`;
    // To update them: FAULT_MATRIX_WRITE=1 npm test -- test/e2e/fault-matrix.test.ts -t docs
    if (process.env.FAULT_MATRIX_WRITE) doc = doc.replace(block, () => wanted);
    else expect(block.exec(doc)?.[0]).toBe(wanted);
  }
  if (process.env.FAULT_MATRIX_WRITE) writeFileSync(file, doc);
  expect(FAULTS.length).toBe(12);
});
