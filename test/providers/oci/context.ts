// In-process helpers for the OCI provider's tests: a run's context with an explicit environment (never
// the runner's), a logger that keeps its lines, and canonical references.
import { readFile } from 'node:fs/promises';
import { createLogger } from '../../../src/log/logger.js';
import { parseReference, type Reference } from '../../../src/refs/index.js';
import { ociProvider } from '../../../src/providers/oci/provider.js';
import type { Outcome, ProviderContext } from '../../../src/resolve/types.js';

/** A fresh run's context with debug logging and a 30 s deadline. */
export function makeContext(env: Record<string, string>): { ctx: ProviderContext; lines: string[] } {
  const lines: string[] = [];
  const ctx: ProviderContext = {
    env,
    flags: { vaultKeepToken: false },
    log: createLogger({ level: 'debug', format: 'text', write: (line) => lines.push(line) }),
    signal: new AbortController().signal,
    deadline: Date.now() + 30_000,
    readFile: (path) => readFile(path),
  };
  return { ctx, lines };
}

/** The fetch form of a reference, as the engine hands it to a provider (no #KEY, no optional). */
export function ref(text: string): Reference {
  const { key: _key, optional: _optional, ...rest } = parseReference(text);
  return { ...rest, optional: false };
}

/**
 * Resolves references in one fresh run and closes it, as main() does; a thrown failure (a session that
 * could not be set up) becomes every reference's outcome through `classify`, as the engine does it.
 */
export async function resolveIn(
  env: Record<string, string>,
  refs: readonly Reference[],
): Promise<{ outcomes: Outcome[]; lines: string[] }> {
  const { ctx, lines } = makeContext(env);
  const run = ociProvider.create(ctx);
  try {
    const classified = (error: unknown): Outcome[] => refs.map(() => ociProvider.classify(error));
    const outcomes = await run.resolve(refs).catch(classified);
    return { outcomes, lines };
  } finally {
    await run.close();
  }
}
