// What provider unit tests do with outcomes: resolve reference texts as one batch of one run (closed after,
// as the engine does), and take the value or the failure out of an outcome.
import type { ProviderError } from '../../src/errors/errors.js';
import { parseReference, toFetchReference } from '../../src/refs/index.js';
import { isFetched, type Outcome, type ProviderContext, type ProviderModule } from '../../src/resolve/types.js';

/** Resolves reference texts as one batch of one run of `provider`, then closes the run. */
export async function resolveInOneRun(
  provider: ProviderModule,
  refs: readonly string[],
  ctx: ProviderContext,
): Promise<Outcome[]> {
  const run = provider.create(ctx);
  try {
    return await run.resolve(refs.map((r) => toFetchReference(parseReference(r))));
  } finally {
    await run.close();
  }
}

/** The plain value of a successful outcome; fails the test with the error's message otherwise. */
export function valueOf(outcome: Outcome | undefined): string {
  if (outcome === undefined) throw new Error('no outcome');
  if (!isFetched(outcome)) throw new Error(`expected a value, got ${outcome.kind}: ${outcome.message}`);
  return outcome.value.reveal();
}

/** The failure of an outcome; fails the test when it holds a value. */
export function errorOf(outcome: Outcome | undefined): ProviderError {
  if (outcome === undefined || isFetched(outcome)) throw new Error('expected a failure, got a value');
  return outcome;
}
