// In-process helpers for the IBM provider's tests: a run's ProviderContext with an explicit environment
// (never the runner's), a logger that keeps its lines, and references in their canonical shape.
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { createLogger } from '../../../src/log/logger.js';
import { ibmProvider } from '../../../src/providers/ibm/provider.js';
import { toFetchReference } from '../../../src/refs/format.js';
import { parseReference, type Reference } from '../../../src/refs/index.js';
import { isFetched, type Outcome, type ProviderContext } from '../../../src/resolve/types.js';

export interface TestRun {
  readonly ctx: ProviderContext;
  readonly lines: string[];
  readonly abort: AbortController;
}

/** A fresh run's context with debug logging and a 30 s deadline. */
export function makeContext(env: Record<string, string>): TestRun {
  const lines: string[] = [];
  const abort = new AbortController();
  const ctx: ProviderContext = {
    env,
    flags: { vaultKeepToken: false },
    log: createLogger({ level: 'debug', format: 'text', write: (line) => lines.push(line) }),
    signal: abort.signal,
    deadline: Date.now() + 30_000,
    readFile: (path) => readFile(path),
  };
  return { ctx, lines, abort };
}

/** The fetch reference of `ibm-sm://…` text. */
export const ibmRef = (text: string): Reference => toFetchReference(parseReference(text));

/** Resolves references in one run and closes it, as main() does. */
export async function resolveIn(
  env: Record<string, string>,
  refs: readonly string[],
): Promise<{ outcomes: Outcome[]; lines: string[] }> {
  const { ctx, lines } = makeContext(env);
  const run = ibmProvider.create(ctx);
  try {
    return { outcomes: await run.resolve(refs.map(ibmRef)), lines };
  } finally {
    await run.close();
  }
}

export { valueOf } from '../../support/outcomes.js';

/** The failure of an outcome (throws when it was fetched). */
export function failureOf(outcome: Outcome | undefined): { kind: string; message: string } {
  if (outcome === undefined || isFetched(outcome)) throw new Error('expected a failure');
  return { kind: outcome.kind, message: outcome.message };
}

/** Asserts a failure of `kind` whose message matches `message`. */
export function expectFailure(outcome: Outcome | undefined, kind: string, message: RegExp | string = /./): void {
  const failure = failureOf(outcome);
  expect(failure.kind).toBe(kind);
  if (typeof message === 'string') expect(failure.message).toBe(message);
  else expect(failure.message).toMatch(message);
}
