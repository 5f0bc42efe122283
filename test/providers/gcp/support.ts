// Shared set-up for the gcp provider tests: the Google fakes of one test, a provider context whose
// environment points at them (files read from disk, as the entrypoint's readFile does), and helpers.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, vi } from 'vitest';
import { createLogger } from '../../../src/log/logger.js';
import { gcpProvider } from '../../../src/providers/gcp/provider.js';
import type { Outcome, ProviderContext } from '../../../src/resolve/types.js';
import { startGoogleFakes, type GoogleFakes } from '../../fakes/gcp/google.js';
import { testContext } from '../../support/memory-provider.js';
import { resolveInOneRun } from '../../support/outcomes.js';

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
export function resolveRefs(
  refs: readonly string[],
  env: Record<string, string | undefined>,
  ctx = gcpContext(env),
): Promise<Outcome[]> {
  return resolveInOneRun(gcpProvider, refs, ctx);
}

export { errorOf, valueOf } from '../../support/outcomes.js';
