// Shared set-up for the gcp provider tests: the Google fakes of one test, a provider context whose
// environment points at them (files read from disk, as the entrypoint's readFile does), and helpers.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, vi } from 'vitest';
import type { ProviderError } from '../../../src/errors/errors.js';
import { createLogger } from '../../../src/log/logger.js';
import { gcpProvider } from '../../../src/providers/gcp/provider.js';
import { parseReference, toFetchReference } from '../../../src/refs/index.js';
import { isFetched, type Outcome, type ProviderContext } from '../../../src/resolve/types.js';
import { startGoogleFakes, type GoogleFakes } from '../../fakes/gcp/google.js';
import { testContext } from '../../support/memory-provider.js';

export const current: { fakes: GoogleFakes } = { fakes: undefined as unknown as GoogleFakes };

/** Fresh fakes for every test; Google's library never looks for a real metadata server. */
export function useGoogleFakes(options: Parameters<typeof startGoogleFakes>[0] = {}): void {
  beforeEach(async () => {
    vi.stubEnv('METADATA_SERVER_DETECTION', 'none');
    for (const name of [
      'GOOGLE_APPLICATION_CREDENTIALS',
      'GCE_METADATA_HOST',
      'GCE_METADATA_IP',
      'GOOGLE_CLOUD_PROJECT',
      'GCLOUD_PROJECT',
      'CLOUDSDK_CONFIG',
      'GOOGLE_CLOUD_QUOTA_PROJECT',
    ])
      vi.stubEnv(name, undefined);
    vi.stubEnv('HOME', '/nonexistent-home');
    // The library advises against configurations from untrusted sources on console.warn (secrets-exec
    // routes it to a debug line); here it would only be noise.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    current.fakes = await startGoogleFakes(options);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    await current.fakes.close();
  });
}

/** A context with `env`, logging into `lines`. */
export function gcpContext(env: Record<string, string | undefined>, lines: string[] = []): ProviderContext {
  return testContext({
    env,
    log: createLogger({ level: 'debug', format: 'text', write: (line: string) => void lines.push(line) }),
    readFile: (path) => readFile(path),
  });
}

/** Resolves reference texts as one batch of one run, then closes the run. */
export async function resolveRefs(
  refs: readonly string[],
  env: Record<string, string | undefined>,
  ctx = gcpContext(env),
): Promise<Outcome[]> {
  const run = gcpProvider.create(ctx);
  try {
    return await run.resolve(refs.map((r) => toFetchReference(parseReference(r))));
  } finally {
    await run.close();
  }
}

export function valueOf(outcome: Outcome | undefined): string {
  if (outcome === undefined) throw new Error('no outcome');
  if (!isFetched(outcome)) throw new Error(`expected a value, got ${outcome.kind}: ${outcome.message}`);
  return outcome.value.reveal();
}

export function errorOf(outcome: Outcome | undefined): ProviderError {
  if (outcome === undefined || isFetched(outcome)) throw new Error('expected a failure, got a value');
  return outcome;
}
